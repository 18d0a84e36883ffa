from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.ImportJobView.as_view(), name="import-job"),
    path("<int:pk>/progress/", views.ImportJobProgressView.as_view(), name="import-job-progress"),
    path(
        "<int:pk>/errors/download/", views.ImportJobErrorsView.as_view(), name="import-job-errors"
    ),
]
