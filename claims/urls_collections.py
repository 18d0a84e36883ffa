"""The collections pages."""

urlpatterns = []
