"""Routes of the exposure pages (see exposure/urls.py)."""

urlpatterns = []
