"""Payments (and how they were set against invoices) and credit notes, and the input to
record them. Amounts are in the policy's currency."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.api import FieldsBuiltOnce
from core.text import REASON_MAX, plain_multiline_text, plain_text
from limits.serializers import DebtorBriefSerializer, VisibleIdField, amount_input
from policies.selectors import policies_for
from policies.serializers import money_field

from .. import selectors
from ..models import CreditNote, Payment, PaymentAllocation
from .common import DebtorNamedInput, day_input


class PaymentAllocationSerializer(serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    amount = money_field(help_text=gettext_lazy("The part of the payment set against it."))

    class Meta:
        model = PaymentAllocation
        fields = ("invoice", "invoice_number", "amount")
        read_only_fields = fields


class PaymentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    currency = serializers.CharField(source="policy.currency", read_only=True)
    amount = money_field()
    invoice = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The invoice the debtor named, if it named one."),
    )
    allocations = PaymentAllocationSerializer(
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "Where the payment went: the named invoice first, then the oldest unpaid ones."
        ),
    )
    unallocated_amount = money_field(
        help_text=gettext_lazy(
            "What was paid beyond every unpaid invoice: the debtor's credit balance."
        )
    )
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = (
            "id",
            "policy",
            "policy_number",
            "debtor",
            "currency",
            "amount",
            "received_on",
            "invoice",
            "reference",
            "allocations",
            "unallocated_amount",
            "recorded_at",
            "recorded_by",
        )
        read_only_fields = fields

    def get_recorded_by(self, payment: Payment) -> str | None:
        return payment.recorded_by.username if payment.recorded_by_id else None


class CreditNoteSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    policy = serializers.IntegerField(source="invoice.policy_id", read_only=True)
    debtor = serializers.IntegerField(
        source="invoice.debtor_id", read_only=True, help_text=gettext_lazy("The debtor id.")
    )
    currency = serializers.CharField(source="invoice.currency", read_only=True)
    amount = money_field()
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = CreditNote
        fields = (
            "id",
            "invoice",
            "invoice_number",
            "policy",
            "debtor",
            "currency",
            "number",
            "amount",
            "issued_on",
            "reason",
            "recorded_at",
            "recorded_by",
        )
        read_only_fields = fields

    def get_recorded_by(self, note: CreditNote) -> str | None:
        return note.recorded_by.username if note.recorded_by_id else None


# Input ----------------------------------------------------------------------------------------


class PaymentCreateInputSerializer(DebtorNamedInput):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    amount = amount_input(help_text=gettext_lazy("Above 0, in the policy's currency, as a string."))
    received_on = day_input(help_text=gettext_lazy("Not in the future."))
    invoice = VisibleIdField(
        selectors.invoices_for,
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "The invoice the debtor named (one of its invoices under the policy): it is paid "
            "first. Leave out to pay the oldest unpaid invoices first."
        ),
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, validators=[plain_text]
    )


class CreditNoteCreateInputSerializer(serializers.Serializer):
    invoice = VisibleIdField(selectors.invoices_for, help_text=gettext_lazy("Invoice id."))
    number = serializers.CharField(
        max_length=60,
        validators=[plain_text],
        help_text=gettext_lazy("Your credit note number: once per invoice."),
    )
    amount = amount_input(
        help_text=gettext_lazy("Above 0 and at most what is unpaid on the invoice, as a string.")
    )
    issued_on = day_input(help_text=gettext_lazy("Not in the future."))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX,
        validators=[plain_multiline_text],
    )
