"""The collections pages: each overdue notification as a case (scoped: staff every case,
an insured its own company's, read-only) and, for claims handlers, recording a step."""

from django.urls import path

from .views import collections

urlpatterns = [
    path("", collections.CollectionListView.as_view(), name="collection-list"),
    path(
        "<int:pk>/",
        collections.CollectionDetailView.as_view(),
        name="collection-detail",
    ),
    path(
        "<int:pk>/steps/",
        collections.CollectionStepRecordView.as_view(),
        name="collection-step-record",
    ),
]
