"""The REST API, version 1."""

from django.urls import include, path

from accounts.apis import TokenObtainApi
from debtors.api_urls import debtor_api_urls
from limits.risk_access import RISK_ACCESS

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("", include("policies.api_urls")),
    path("", include(debtor_api_urls(RISK_ACCESS))),  # risk data by the limits app's rule
    path("", include("limits.api_urls")),
    path("", include("exposure.api_urls")),
    path("", include("exposure.api_urls_cover")),
    path("", include("claims.api_urls")),
]
