from django.urls import path

from . import views

urlpatterns = [
    path("", views.DebtorListView.as_view(), name="debtor-list"),
    path("new/", views.DebtorCreateView.as_view(), name="debtor-create"),
    path("lookup/", views.DebtorLookupView.as_view(), name="debtor-lookup"),
    path("import/", views.ReportImportView.as_view(), name="debtor-import"),
    path("<int:pk>/", views.DebtorDetailView.as_view(), name="debtor-detail"),
    path("<int:pk>/events/new/", views.RiskEventCreateView.as_view(), name="risk-event-create"),
]
