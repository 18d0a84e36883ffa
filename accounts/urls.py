from django.contrib.auth import views as auth_views
from django.urls import path

from . import inbox, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/token/", views.ApiTokenView.as_view(), name="account-token"),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", inbox.InboxOpenView.as_view(), name="inbox-open"),
]
