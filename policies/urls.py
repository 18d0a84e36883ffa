from django.urls import path

from . import views

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="policy-list"),
    path("new/", views.PolicyCreateView.as_view(), name="policy-create"),
    path("<int:pk>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("<int:pk>/terms/", views.PolicyTermsView.as_view(), name="policy-terms"),
    path("<int:pk>/issue/", views.PolicyIssueView.as_view(), name="policy-issue"),
    path("<int:pk>/cancel/", views.PolicyCancelView.as_view(), name="policy-cancel"),
    path("<int:pk>/declare/", views.DeclarationCreateView.as_view(), name="declaration-create"),
    path("declarations/", views.DeclarationListView.as_view(), name="declaration-list"),
    path(
        "documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document-download",
    ),
    path("companies/", views.CompanyListView.as_view(), name="company-list"),
    path("companies/new/", views.CompanyCreateView.as_view(), name="company-create"),
]
