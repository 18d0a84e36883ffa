from django.urls import path

from . import inbox, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", inbox.InboxOpenView.as_view(), name="inbox-open"),
]
