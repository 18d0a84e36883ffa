"""The debtor register's pages. The list and a debtor's page show risk data to those who may
see it, a rule of a higher layer: the project's URL conf passes it in (`debtor_urls(access)`)."""

from django.urls import path

from . import views
from .selectors import RiskAccess


def debtor_urls(access: RiskAccess) -> list:
    return [
        path("", views.DebtorListView.as_view(access=access), name="debtor-list"),
        path("new/", views.DebtorCreateView.as_view(), name="debtor-create"),
        path("lookup/", views.DebtorLookupView.as_view(), name="debtor-lookup"),
        path("import/", views.ReportImportView.as_view(), name="debtor-import"),
        path("<int:pk>/", views.DebtorDetailView.as_view(access=access), name="debtor-detail"),
        path("<int:pk>/events/new/", views.RiskEventCreateView.as_view(), name="risk-event-create"),
    ]
