"""The REST API, version 1."""

from django.urls import include, path

from accounts.apis import TokenObtainApi

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("", include("policies.api_urls")),
    path("", include("debtors.api_urls")),
    path("", include("limits.api_urls")),
]
