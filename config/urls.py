from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.views import favicon
from debtors.urls import debtor_urls
from limits.risk_access import RISK_ACCESS

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", include("portal.urls")),
    path("", include("accounts.urls")),
    # Every document of the user's policies, decision letters and claim statements among them:
    # a page of the portal (which sees every app), at the address it has always had.
    path("policies/documents/", include("portal.urls_documents")),
    path("policies/", include("policies.urls")),
    # The debtor pages show risk data by the limits app's rule (debtors sits below limits).
    path("debtors/", include(debtor_urls(RISK_ACCESS))),
    path("limits/", include("limits.urls")),
    path("exposure/", include("exposure.urls")),
    path("claims/", include("claims.urls")),
    # Imports of every kind: the job's page, its progress and its error report.
    path("imports/", include("core.imports.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Under /api/ every error answers JSON in the API's one error shape (core.api); pages as before.
handler400 = "core.api.handler400"
handler403 = "core.api.handler403"
handler404 = "core.api.handler404"
handler500 = "core.api.handler500"
