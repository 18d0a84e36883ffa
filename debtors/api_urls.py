"""The debtor API's routes; `access` (who may see risk data) comes from the project's URL conf."""

from rest_framework.routers import SimpleRouter

from . import apis
from .selectors import RiskAccess


def debtor_api_urls(access: RiskAccess) -> list:
    router = SimpleRouter()
    router.register("debtors", apis.DebtorViewSet.with_access(access), basename="api-debtor")
    return router.urls
