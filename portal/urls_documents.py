"""The Documents page and the claim statements' download, under /policies/documents/."""

from django.urls import path

from . import documents

urlpatterns = [
    path("", documents.DocumentListView.as_view(), name="document-list"),
    path(
        "statements/<int:pk>/download/",
        documents.StatementDownloadView.as_view(),
        name="claim-statement-download",
    ),
]
