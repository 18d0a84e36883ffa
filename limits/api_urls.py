from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("limit-requests", apis.LimitRequestViewSet, basename="api-limit-request")
router.register("limits", apis.LimitViewSet, basename="api-limit")
router.register("letters", apis.LetterViewSet, basename="api-letter")

urlpatterns = router.urls
