"""Payments and credit notes: list, read, record (payments with Idempotency-Key)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.access import INSURED
from core import idempotency
from core.api_views import ScopedViewSet, error_example, errors

from .. import selectors, services
from ..filters import CreditNoteFilter, PaymentFilter
from ..models import CreditNote, Payment
from ..serializers import (
    CreditNoteCreateInputSerializer,
    CreditNoteSerializer,
    PaymentCreateInputSerializer,
    PaymentSerializer,
)
from .examples import CREDIT_NOTE, DEBTOR, KEY_REUSED, NOT_REGISTERED, PAYMENT

FUTURE = error_example(
    "In the future", 400, "in_future", "The date lies in the future.", field="received_on"
)


class PaymentViewSet(ScopedViewSet):
    """What debtors paid, and the invoices each payment was set against."""

    queryset = Payment.objects.none()
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    ordering_fields = ["received_on", "amount", "recorded_at"]
    ordering = ["-received_on", "-id"]
    write_roles = {"create": INSURED}

    def scoped_queryset(self):
        return (
            selectors.payments_for(self.request.user)
            .select_related("policy", "debtor", "recorded_by")
            .prefetch_related("allocations__invoice")
        )

    @extend_schema(
        summary="List payments",
        description="Your company's payments (staff: all), newest first unless `ordering` "
        "says otherwise (`received_on`, `amount`, `recorded_at`; prefix `-` to reverse).",
        tags=["payments"],
        responses={200: PaymentSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("Set against two invoices", value=PAYMENT)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(PaymentSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a payment",
        description="The payment and where it went: `allocations` per invoice, and what was "
        "left over (`unallocated_amount`).",
        tags=["payments"],
        responses={200: PaymentSerializer, **errors(401, 404)},
        examples=[OpenApiExample("Set against two invoices", value=PAYMENT)],
    )
    def retrieve(self, request, pk=None):
        return Response(PaymentSerializer(self.get_object()).data)

    @extend_schema(
        summary="Record a payment",
        description="Insured users, under their company's issued (or expired) policies. Name "
        "the debtor by `debtor` or by `debtor_country` + `debtor_registration_number`. The "
        "payment is set against the debtor's unpaid invoices under the policy: the `invoice` "
        "it named first (404 when that is not one of the debtor's invoices under the "
        "policy), then the oldest by original due date; what is left over stays on the "
        "payment as the debtor's credit balance (`unallocated_amount`). `amount` is a decimal "
        "string in the policy's currency. Send an `Idempotency-Key` to retry safely.",
        tags=["payments"],
        parameters=[idempotency.PARAMETER],
        request=PaymentCreateInputSerializer,
        responses={201: PaymentSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Oldest invoices first",
                value={
                    "policy": 12,
                    "debtor": 88,
                    "amount": "12500.00",
                    "received_on": "2026-06-05",
                    "reference": "BG-1",
                },
                request_only=True,
            ),
            OpenApiExample(
                "For a named invoice, by registration number",
                value={
                    "policy": 12,
                    "debtor_country": DEBTOR["country"],
                    "debtor_registration_number": "5566778907",
                    "amount": "3000.00",
                    "received_on": "2026-06-05",
                    "invoice": 4101,
                },
                request_only=True,
            ),
            OpenApiExample("Recorded", value=PAYMENT, response_only=True, status_codes=["201"]),
            FUTURE,
            NOT_REGISTERED,
            KEY_REUSED,
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = PaymentCreateInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = services.payment_record(
            actor=request.user,
            policy_id=data["policy"],
            debtor_id=data["debtor"],
            amount=data["amount"],
            received_on=data["received_on"],
            invoice_id=data.get("invoice"),
            reference=data["reference"],
        )
        payment = self.scoped_queryset().get(pk=payment.pk)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class CreditNoteViewSet(ScopedViewSet):
    """Credit notes the insured issued against its invoices."""

    queryset = CreditNote.objects.none()
    serializer_class = CreditNoteSerializer
    filterset_class = CreditNoteFilter
    ordering_fields = ["issued_on", "amount", "recorded_at"]
    ordering = ["-issued_on", "-id"]
    write_roles = {"create": INSURED}

    def scoped_queryset(self):
        return selectors.credit_notes_for(self.request.user).select_related(
            "invoice", "recorded_by"
        )

    @extend_schema(
        summary="List credit notes",
        description="Your company's credit notes (staff: all), newest first unless `ordering` "
        "says otherwise (`issued_on`, `amount`, `recorded_at`; prefix `-` to reverse).",
        tags=["credit notes"],
        responses={200: CreditNoteSerializer(many=True), **errors(400, 401)},
        examples=[OpenApiExample("Goods returned", value=CREDIT_NOTE)],
    )
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CreditNoteSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a credit note",
        tags=["credit notes"],
        responses={200: CreditNoteSerializer, **errors(401, 404)},
        examples=[OpenApiExample("Goods returned", value=CREDIT_NOTE)],
    )
    def retrieve(self, request, pk=None):
        return Response(CreditNoteSerializer(self.get_object()).data)

    @extend_schema(
        summary="Record a credit note",
        description="Insured users, against their company's invoices: it lowers what is "
        "unpaid on the invoice, and may not exceed it. A credit note number is recorded once "
        "per invoice. `amount` is a decimal string in the invoice's currency. Send an "
        "`Idempotency-Key` to retry safely.",
        tags=["credit notes"],
        parameters=[idempotency.PARAMETER],
        request=CreditNoteCreateInputSerializer,
        responses={201: CreditNoteSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Goods returned",
                value={
                    "invoice": 4101,
                    "number": "K-17",
                    "amount": "1000.00",
                    "issued_on": "2026-06-03",
                    "reason": "Two pallets returned",
                },
                request_only=True,
            ),
            OpenApiExample("Recorded", value=CREDIT_NOTE, response_only=True, status_codes=["201"]),
            error_example(
                "More than is unpaid",
                400,
                "exceeds_unpaid",
                "The credit note is larger than what is unpaid on the invoice (6 000,00 kr).",
                field="amount",
            ),
            KEY_REUSED,
        ],
    )
    @idempotency.idempotent
    def create(self, request):
        serializer = CreditNoteCreateInputSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        note = services.credit_note_record(
            actor=request.user,
            invoice_id=data["invoice"],
            number=data["number"],
            amount=data["amount"],
            issued_on=data["issued_on"],
            reason=data["reason"],
        )
        note = self.scoped_queryset().get(pk=note.pk)
        return Response(CreditNoteSerializer(note).data, status=status.HTTP_201_CREATED)
