"""The exposure API (see config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("invoices", apis.InvoiceViewSet, basename="api-invoice")
router.register(
    "extension-requests", apis.ExtensionRequestViewSet, basename="api-extension-request"
)
router.register("payments", apis.PaymentViewSet, basename="api-payment")
router.register("credit-notes", apis.CreditNoteViewSet, basename="api-credit-note")

urlpatterns = router.urls
