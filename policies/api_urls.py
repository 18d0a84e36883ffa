from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("policies", apis.PolicyViewSet, basename="api-policy")
router.register("declarations", apis.DeclarationViewSet, basename="api-declaration")
router.register("documents", apis.DocumentViewSet, basename="api-document")

urlpatterns = router.urls
