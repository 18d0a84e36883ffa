"""Routes of the exposure pages (see exposure/urls.py)."""

from django.urls import path

from .views import cover, notifications

urlpatterns = [
    # Cover check and overdue notifications -----------------------------------------------
    # The insured checks cover (the answer on the same page); everyone reads a stored answer
    # (scoped: an insured its company's).
    path("cover-check/", cover.CoverCheckView.as_view(), name="cover-check"),
    path(
        "cover-check/<uuid:pk>/",
        cover.CoverCheckDetailView.as_view(),
        name="cover-check-detail",
    ),
    # Everyone (scoped) reads notifications; the insured notifies.
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/new/",
        notifications.NotificationCreateView.as_view(),
        name="notification-create",
    ),
    path(
        "notifications/<int:pk>/",
        notifications.NotificationDetailView.as_view(),
        name="notification-detail",
    ),
    # End of cover check and overdue notifications ----------------------------------------
]
