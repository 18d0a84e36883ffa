"""The claims pages, under /claims/: each part's routes in its own module."""

from django.urls import include, path

urlpatterns = [
    path("", include("claims.urls_claims")),  # claims: list and queue, filing, the claim page
    path("collections/", include("claims.urls_collections")),  # collections cases
]
