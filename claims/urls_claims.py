"""The claim pages."""

urlpatterns = []
