"""The cover check and overdue notification API (see config/api_urls.py)."""

urlpatterns = []
