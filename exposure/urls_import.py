"""Routes of the exposure pages (see exposure/urls.py): the invoice CSV upload. The job's own
pages (progress, result, error report) are core.imports' under /imports/."""

from django.urls import path

from .views.imports import InvoiceImportView

urlpatterns = [
    path("invoices/import/", InvoiceImportView.as_view(), name="invoice-import"),
]
