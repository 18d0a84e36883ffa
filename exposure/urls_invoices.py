"""Routes of the exposure pages (see exposure/urls.py): invoices, payments and extensions."""

from django.urls import path

from .views import invoices, underwriting

urlpatterns = [
    # Everyone (scoped): invoices and payments; the insured reports and acts
    path("invoices/", invoices.InvoiceListView.as_view(), name="invoice-list"),
    path("invoices/new/", invoices.InvoiceCreateView.as_view(), name="invoice-create"),
    path("invoices/<int:pk>/", invoices.InvoiceDetailView.as_view(), name="invoice-detail"),
    path(
        "invoices/<int:pk>/payment/",
        invoices.InvoicePaymentView.as_view(),
        name="invoice-payment",
    ),
    path(
        "invoices/<int:pk>/credit-note/",
        invoices.InvoiceCreditNoteView.as_view(),
        name="invoice-credit-note",
    ),
    path(
        "invoices/<int:pk>/dispute/",
        invoices.InvoiceDisputeView.as_view(),
        name="invoice-dispute",
    ),
    path(
        "invoices/<int:pk>/settle-dispute/",
        invoices.InvoiceSettleDisputeView.as_view(),
        name="invoice-settle-dispute",
    ),
    path("invoices/<int:pk>/extend/", invoices.InvoiceExtendView.as_view(), name="invoice-extend"),
    path("payments/", invoices.PaymentListView.as_view(), name="payment-list"),
    path("payments/new/", invoices.PaymentCreateView.as_view(), name="payment-create"),
    # Underwriters and administrators
    path("extensions/", underwriting.ExtensionQueueView.as_view(), name="extension-queue"),
    path(
        "extensions/<int:pk>/decide/",
        underwriting.ExtensionDecideView.as_view(),
        name="extension-decide",
    ),
]
