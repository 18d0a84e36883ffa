"""The cover check and overdue notification API (see config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from .apis_cover import CoverCheckViewSet, OverdueNotificationViewSet

router = SimpleRouter()
router.register("cover-check", CoverCheckViewSet, basename="api-cover-check")
router.register(
    "overdue-notifications", OverdueNotificationViewSet, basename="api-overdue-notification"
)

urlpatterns = router.urls
