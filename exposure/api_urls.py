"""The exposure API (see config/api_urls.py)."""

urlpatterns = []
