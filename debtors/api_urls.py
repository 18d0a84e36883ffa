from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("debtors", apis.DebtorViewSet, basename="api-debtor")

urlpatterns = router.urls
