from django.urls import path

from .views import insured, underwriting

urlpatterns = [
    # Everyone (scoped): limits and requests
    path("", insured.LimitListView.as_view(), name="limit-list"),
    path("<int:pk>/", insured.LimitDetailView.as_view(), name="limit-detail"),
    path("<int:pk>/reduce/", insured.LimitReduceView.as_view(), name="limit-reduce"),
    path("requests/", insured.RequestListView.as_view(), name="limit-request-list"),
    path("requests/new/", insured.RequestCreateView.as_view(), name="limit-request-create"),
    path("requests/<int:pk>/", insured.RequestDetailView.as_view(), name="limit-request-detail"),
    path(
        "requests/<int:pk>/withdraw/",
        insured.RequestWithdrawView.as_view(),
        name="limit-request-withdraw",
    ),
    path(
        "letters/<int:pk>/download/", insured.LetterDownloadView.as_view(), name="letter-download"
    ),
    # Underwriters and administrators
    path("queue/", underwriting.QueueView.as_view(), name="underwriting-queue"),
    path(
        "requests/<int:pk>/decide/",
        underwriting.RequestDecideView.as_view(),
        name="limit-request-decide",
    ),
    path(
        "<int:pk>/insurer-reduce/",
        underwriting.InsurerReduceView.as_view(),
        name="limit-insurer-reduce",
    ),
    path("risk-events/", underwriting.RiskEventListView.as_view(), name="risk-event-list"),
    path(
        "risk-events/<int:pk>/review/",
        underwriting.RiskEventReviewView.as_view(),
        name="risk-event-review",
    ),
    path("templates/", underwriting.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", underwriting.TemplateCreateView.as_view(), name="template-create"),
    path("templates/<int:pk>/", underwriting.TemplateEditView.as_view(), name="template-edit"),
]
