"""Routes of the exposure dashboard, a debtor's exposure for underwriters and the deadline
job runs (see exposure/urls.py)."""

from django.urls import path

from .views import dashboard, jobs

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="exposure-dashboard"),
    path(
        "debtors/<int:pk>/exposure/",
        dashboard.DebtorExposureView.as_view(),
        name="debtor-exposure",
    ),
    path("jobs/", jobs.JobRunListView.as_view(), name="job-run-list"),
    path("jobs/<int:pk>/", jobs.JobRunDetailView.as_view(), name="job-run-detail"),
]
