"""The exposure pages, under /exposure/: each part's routes in its own module."""

from django.urls import include, path

urlpatterns = [
    path("", include("exposure.urls_invoices")),  # invoices, payments, extensions
    path("", include("exposure.urls_import")),  # the invoice CSV upload
    path("", include("exposure.urls_cover")),  # cover check, notifications
    path("", include("exposure.urls_dashboard")),  # dashboard, a debtor's exposure, job runs
]
