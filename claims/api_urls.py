"""The claims API (see config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("claims", apis.ClaimViewSet, basename="api-claim")
router.register("collections", apis.CollectionViewSet, basename="api-collection")

urlpatterns = router.urls
