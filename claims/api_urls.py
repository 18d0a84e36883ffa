"""The claims API (see config/api_urls.py)."""

urlpatterns = []
