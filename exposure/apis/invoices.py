"""Invoices: list, read, report one or many (with Idempotency-Key), dispute, settle a
dispute, extend the due date."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.access import INSURED
from core import idempotency
from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors, services
from ..filters import InvoiceFilter
from ..models import CreditNote, ExtensionRequest, Invoice, PaymentAllocation
from ..serializers import (
    INVOICE_BULK_MAX,
    ExtensionRequestSerializer,
    InvoiceCreateInputSerializer,
    InvoiceDetailSerializer,
    InvoiceDisputeInputSerializer,
    InvoiceExtendInputSerializer,
    InvoicesBulkInputSerializer,
    InvoiceSerializer,
    InvoiceSettleDisputeInputSerializer,
    InvoicesReportedSerializer,
)
from .bulk import report_all_or_name_every_bad_one
from .examples import (
    EXTENSION_PENDING,
    INVOICE,
    INVOICE_DETAIL,
    INVOICE_DISPUTED,
    INVOICE_EXTENDED,
    ITEM,
    KEY_REUSED,
    NOT_REGISTERED,
)

TAGS = ["invoices"]


class InvoiceViewSet(ScopedViewSet):
    """Invoices the insured reports under its policies: one at a time or many at once, with
    each invoice's timeline and cover."""

    queryset = Invoice.objects.none()
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    ordering_fields = [
        "invoice_date",
        "delivery_date",
        "original_due_date",
        "due_date",
        "net_amount",
        "open_amount",
        "number",
        "reported_at",
    ]
    ordering = ["original_due_date", "id"]
    write_roles = dict.fromkeys(("create", "bulk", "dispute", "settle_dispute", "extend"), INSURED)

    def scoped_queryset(self):
        invoices = selectors.invoices_for(self.request.user)
        return with_details(invoices) if self.action == "retrieve" else invoices

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def detail_response(self, invoice_id: int, status_code=status.HTTP_200_OK) -> Response:
        invoice = with_details(selectors.invoices_for(self.request.user)).get(pk=invoice_id)
        data = InvoiceDetailSerializer(invoice, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="List invoices",
        description="Your company's invoices (staff: all), oldest original due date first "
        "unless `ordering` says otherwise (`invoice_date`, `delivery_date`, "
        "`original_due_date`, `due_date`, `net_amount`, `open_amount`, `number`, "
        "`reported_at`; prefix `-` to reverse). Filter by `policy`, `debtor`, `number`, "
        "`open`, `disputed`, `overdue` and the due date range.",
        tags=TAGS,
        responses={200: InvoiceSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("An overdue invoice, partly paid", value=INVOICE)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        return self.get_paginated_response(InvoiceSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Read an invoice",
        description="The invoice with its gross and unpaid amounts, its dispute, its "
        "`timeline` (each date with the policy term it comes from), how much of it is covered "
        "today (`cover`, null when paid), the payments set against it, its credit notes and "
        "its extension requests.",
        tags=TAGS,
        responses={200: InvoiceDetailSerializer, **errors(401, 404)},
        examples=[
            OpenApiExample("Partly paid, overdue", value=INVOICE_DETAIL),
            OpenApiExample("Disputed", value=INVOICE_DISPUTED),
        ],
    )
    def retrieve(self, request, pk=None):
        invoice = self.get_object()
        return Response(
            InvoiceDetailSerializer(invoice, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Report an invoice",
        description="Insured users, under their company's issued (or expired) policies. Name "
        "the debtor by its register id (`debtor`) or by `debtor_country` + "
        "`debtor_registration_number`, as your ERP knows it; a debtor not in the register "
        "is refused: register it at `/api/v1/debtors/` first. Amounts are decimal strings in "
        "the policy's currency; the delivery lies within the policy's period and not in the "
        "future.\n\n"
        "An invoice number is reported once per policy and debtor: the same number again "
        "answers 409 `already_reported`. Send an `Idempotency-Key` to retry safely. To report "
        "many at once, all or nothing, use `/api/v1/invoices/bulk/`.",
        tags=TAGS,
        parameters=[idempotency.PARAMETER],
        request=InvoiceCreateInputSerializer,
        responses={201: InvoiceDetailSerializer, **errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "By registration number",
                value={"policy": 12, **ITEM},
                request_only=True,
            ),
            OpenApiExample(
                "By debtor id",
                value={
                    "policy": 12,
                    "debtor": 88,
                    "number": "F-1002",
                    "net_amount": "4000.00",
                    "vat_amount": "1000.00",
                    "currency": "SEK",
                    "invoice_date": "2026-05-10",
                    "delivery_date": "2026-05-09",
                    "original_due_date": "2026-06-09",
                    "payment_terms_days": 30,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Reported",
                value={**INVOICE_DETAIL, "open_amount": "10000.00", "payments": []},
                response_only=True,
                status_codes=["201"],
            ),
            error_example(
                "Another currency",
                400,
                "currency_mismatch",
                "The policy's currency is SEK: report the invoice in it.",
                field="currency",
            ),
            NOT_REGISTERED,
            error_example(
                "Reported before",
                409,
                "already_reported",
                "Invoice F-1001 was already reported for this debtor under this policy.",
                field="number",
            ),
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = InvoiceCreateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        invoice = services.invoice_report(
            actor=request.user, policy_id=data.pop("policy"), debtor_id=data.pop("debtor"), **data
        )
        return self.detail_response(invoice.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report many invoices at once",
        description=f"Insured users: up to {INVOICE_BULK_MAX} invoices of one policy in one "
        "call, each as in `POST /api/v1/invoices/` without `policy`. All or nothing: when any "
        "invoice is not valid, none is reported and the 400 names every one at fault, its "
        "field as `invoices[3].currency` (index from 0), with a code per error "
        "(`already_reported` for a number reported before, `duplicate` for a number twice in "
        "the call). Send an `Idempotency-Key` to retry safely; more invoices go in further "
        "calls.",
        tags=TAGS,
        parameters=[idempotency.PARAMETER],
        request=InvoicesBulkInputSerializer,
        responses={201: InvoicesReportedSerializer, **errors(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "Two invoices",
                value={
                    "policy": 12,
                    "invoices": [
                        ITEM,
                        {**ITEM, "number": "F-1002", "net_amount": "400.00", "vat_amount": "0"},
                    ],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Reported",
                value={
                    "count": 2,
                    "invoices": [
                        {**INVOICE, "open_amount": "10000.00", "overdue": False},
                        {
                            **INVOICE,
                            "id": 4102,
                            "number": "F-1002",
                            "net_amount": "400.00",
                            "vat_amount": "0.00",
                            "gross_amount": "400.00",
                            "open_amount": "400.00",
                            "overdue": False,
                        },
                    ],
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Two invoices at fault, none reported",
                value={
                    "code": "validation_error",
                    "message": "The input is not valid.",
                    "errors": [
                        {
                            "field": "invoices[1].currency",
                            "code": "currency_mismatch",
                            "message": "The policy's currency is SEK: report the invoice in it.",
                        },
                        {
                            "field": "invoices[3].number",
                            "code": "already_reported",
                            "message": "Invoice F-0998 was already reported for this debtor "
                            "under this policy.",
                        },
                    ],
                },
                response_only=True,
                status_codes=["400"],
            ),
            KEY_REUSED,
        ],
    )
    @action(detail=False, methods=["post"])
    @idempotency.idempotent
    def bulk(self, request):
        serializer = InvoicesBulkInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        invoices = report_all_or_name_every_bad_one(
            request.user, serializer.validated_data["policy"], serializer.validated_data["invoices"]
        )
        data = InvoicesReportedSerializer(
            {"count": len(invoices), "invoices": invoices}, context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record that the debtor disputes an invoice",
        description="Insured users. A disputed invoice still counts in exposure but is not "
        "covered, and does not start the stop-delivery clock while the dispute lasts. "
        "`since` may not lie in the future. An invoice already disputed, or paid, answers "
        "409 (`already_disputed`, `paid`).",
        tags=TAGS,
        request=InvoiceDisputeInputSerializer,
        responses={200: InvoiceDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Damaged goods",
                value={
                    "since": "2026-06-02",
                    "reason": "The debtor says two pallets were damaged.",
                },
                request_only=True,
            ),
            OpenApiExample("Disputed", value=INVOICE_DISPUTED, response_only=True),
            error_example(
                "In the future", 400, "in_future", "The date lies in the future.", field="since"
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        invoice = self.get_object()
        serializer = InvoiceDisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.invoice_dispute(
            actor=request.user, invoice_id=invoice.pk, **serializer.validated_data
        )
        return self.detail_response(invoice.pk)

    @extend_schema(
        summary="Record that a dispute is settled",
        description="Insured users. The invoice is no longer disputed; it is covered again "
        "as far as the other rules allow. An invoice that is not disputed answers 409 "
        "`not_disputed`.",
        tags=TAGS,
        request=InvoiceSettleDisputeInputSerializer,
        responses={200: InvoiceDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Settled",
                value={"reason": "Agreed on a credit note for the damaged pallets."},
                request_only=True,
            ),
            OpenApiExample("No longer disputed", value=INVOICE_DETAIL, response_only=True),
            error_example(
                "Not disputed",
                409,
                "not_disputed",
                "The invoice is not disputed.",
                field="invoice",
            ),
        ],
    )
    @action(detail=True, methods=["post"], url_path="settle-dispute")
    def settle_dispute(self, request, pk=None):
        invoice = self.get_object()
        serializer = InvoiceSettleDisputeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.invoice_dispute_end(
            actor=request.user, invoice_id=invoice.pk, reason=serializer.validated_data["reason"]
        )
        return self.detail_response(invoice.pk)

    @extend_schema(
        summary="Extend an invoice's due date",
        description="Insured users, on unpaid invoices. Within the maximum extension period "
        "the due date moves at once: 200 with the invoice (its deadlines still count from "
        "the original due date). Beyond it the insurer must consent: give a `reason`, and "
        "the answer is 202 with the extension request waiting for an underwriter (see "
        "`/api/v1/extension-requests/`); one may wait per invoice (409 `pending`), and a paid "
        "invoice answers 409 `paid`.",
        tags=TAGS,
        request=InvoiceExtendInputSerializer,
        responses={
            200: OpenApiResponse(InvoiceDetailSerializer, "Extended at once."),
            202: OpenApiResponse(
                ExtensionRequestSerializer, "Beyond the maximum extension period: asked."
            ),
            **errors(400, 401, 403, 404, 409),
        },
        examples=[
            OpenApiExample(
                "Within the period", value={"due_date": "2026-07-15"}, request_only=True
            ),
            OpenApiExample(
                "Beyond the period",
                value={
                    "due_date": "2026-09-15",
                    "reason": "Seasonal trade: the debtor sells the goods in August.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Extended", value=INVOICE_EXTENDED, response_only=True, status_codes=["200"]
            ),
            OpenApiExample(
                "Waiting for the insurer",
                value=EXTENSION_PENDING,
                response_only=True,
                status_codes=["202"],
            ),
            error_example(
                "Not later",
                400,
                "not_later",
                "The new due date must lie after the current one (2026-05-31).",
                field="due_date",
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        invoice = self.get_object()
        serializer = InvoiceExtendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.invoice_extend(
            actor=request.user, invoice_id=invoice.pk, **serializer.validated_data
        )
        if isinstance(result, Invoice):
            return self.detail_response(invoice.pk)
        extension = ExtensionRequest.objects.select_related(
            "invoice__policy", "invoice__debtor", "requested_by", "decided_by"
        ).get(pk=result.pk)
        return Response(ExtensionRequestSerializer(extension).data, status=status.HTTP_202_ACCEPTED)


def with_details(invoices):
    """What the invoice detail shows beside the invoice, in one query per relation."""
    return invoices.select_related("reported_by").prefetch_related(
        Prefetch(
            "allocations",
            PaymentAllocation.objects.select_related("payment").order_by(
                "payment__received_on", "id"
            ),
        ),
        Prefetch(
            "credit_notes",
            CreditNote.objects.select_related("recorded_by").order_by("issued_on", "id"),
        ),
        Prefetch(
            "extensions", ExtensionRequest.objects.select_related("requested_by", "decided_by")
        ),
    )
