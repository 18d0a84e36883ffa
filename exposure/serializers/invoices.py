"""Invoices as the API shows them (in a list, and whole with their timeline, cover, payments,
credit notes and extension requests), and the input to report one or many, dispute one,
settle its dispute or extend its due date."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import FieldsBuiltOnce
from core.api_input import StrictIntegerField
from core.text import REASON_MAX, plain_multiline_text, plain_text
from limits.serializers import DebtorBriefSerializer, VisibleIdField, amount_input
from policies.selectors import policies_for
from policies.serializers import money_field

from .. import selectors
from ..models import Invoice
from .common import (
    DebtorNamedInput,
    day_input,
    debtor_ids_by_identity,
    not_registered,
)
from .extensions import ExtensionRequestSerializer
from .payments import CreditNoteSerializer

# The most invoices one bulk call reports (the schema's `maxItems`): about 250 kB of JSON, a
# few seconds' work. A larger file goes in several calls, or through the CSV upload.
INVOICE_BULK_MAX = 500


def today_of(context: dict) -> date:
    return context.get("today") or timezone.localdate()


class InvoiceSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """An invoice in a list. Reads `today` from the context (default: today)."""

    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    net_amount = money_field()
    vat_amount = money_field()
    gross_amount = money_field(help_text=gettext_lazy("Net amount plus VAT."))
    open_amount = money_field(
        help_text=gettext_lazy(
            "What is unpaid: the gross amount less payments and credit notes; 0 when paid."
        )
    )
    terms_days = serializers.IntegerField(
        read_only=True,
        help_text=gettext_lazy(
            "Payment terms: days from the invoice date to the original due date."
        ),
    )
    due_date = serializers.DateField(
        read_only=True,
        help_text=gettext_lazy(
            "The due date now, after any extension (the deadlines still count from the "
            "original due date)."
        ),
    )
    disputed = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "The debtor disputes it: it counts in exposure but is not covered while the dispute "
            "lasts."
        ),
    )
    overdue = serializers.SerializerMethodField(
        help_text=gettext_lazy("Unpaid after its (extended) due date.")
    )

    class Meta:
        model = Invoice
        fields = (
            "id",
            "policy",
            "policy_number",
            "debtor",
            "number",
            "reference",
            "currency",
            "net_amount",
            "vat_amount",
            "gross_amount",
            "open_amount",
            "invoice_date",
            "delivery_date",
            "original_due_date",
            "due_date",
            "consented_due_date",
            "terms_days",
            "disputed",
            "disputed_since",
            "dispute_reason",
            "overdue",
            "reported_at",
        )
        read_only_fields = fields

    def get_overdue(self, invoice: Invoice) -> bool:
        return invoice.open_amount > 0 and invoice.due_date < today_of(self.context)


class MilestoneSerializer(serializers.Serializer):
    """One date of an invoice's timeline (exposure.timeline.Milestone)."""

    # A string, not an enum: an enum named `code` would rename the API's other `code` enums.
    code = serializers.CharField(
        help_text=gettext_lazy(
            "Stable code of the date: `original_due`, `consented_due`, `extension_end`, "
            "`stop_delivery`, `notification_deadline`, `notified`, `waiting_period_end`, "
            "`claim_filing_deadline`."
        )
    )
    label = serializers.CharField(help_text=gettext_lazy("The date's name, in your language."))
    date = serializers.DateField(source="day")
    term = serializers.CharField(
        help_text=gettext_lazy(
            "The policy term the date comes from (`max_extension_days`, "
            "`notification_deadline_days`, `waiting_period_days`, `claim_filing_days`, "
            "`claim_filing_insolvency_days`); empty for the invoice's own dates."
        )
    )
    term_label = serializers.CharField(help_text=gettext_lazy("The term's name; may be empty."))
    days = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("The term's number of days; null without a term.")
    )


class InvoiceCoverSerializer(serializers.Serializer):
    """How much of an unpaid invoice is covered today (exposure.selectors.cover_of)."""

    covered = money_field(help_text=gettext_lazy("Within the limit and every cover rule."))
    uncovered = money_field(help_text=gettext_lazy("The rest of what is unpaid."))
    reason = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy(
            "Why the uncovered part is not covered: the first rule the invoice fails "
            "(`country_not_covered`, `terms_too_long`, `disputed`, `notified_late`, "
            "`stop_delivery`, `no_limit`), or `above_limit` for the part beyond the limit; "
            "null when it is all covered."
        ),
    )
    reason_label = serializers.CharField(
        help_text=gettext_lazy("The reason in your language; empty when all is covered.")
    )
    limit_amount = money_field(
        help_text=gettext_lazy("The limit in force on the delivery date; 0 when none.")
    )
    notification_deadline = serializers.DateField(
        help_text=gettext_lazy("The last day to notify the debtor overdue for this invoice.")
    )


class InvoicePaymentSerializer(serializers.Serializer):
    """The part of a payment set against this invoice."""

    payment = serializers.IntegerField(source="payment_id")
    received_on = serializers.DateField(source="payment.received_on")
    amount = money_field(help_text=gettext_lazy("The part set against this invoice."))
    reference = serializers.CharField(source="payment.reference")


class InvoiceDetailSerializer(InvoiceSerializer):
    """The whole invoice. Reads `today` from the context (default: today)."""

    reported_by = serializers.SerializerMethodField(
        help_text=gettext_lazy("The username of who reported it; null when not known.")
    )
    timeline = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Every date that matters after the original due date, in order, each with the "
            "policy term it comes from."
        )
    )
    cover = serializers.SerializerMethodField(
        help_text=gettext_lazy("How much of the invoice is covered today; null when paid.")
    )
    payments = InvoicePaymentSerializer(source="allocations", many=True, read_only=True)
    credit_notes = CreditNoteSerializer(many=True, read_only=True)
    extension_requests = ExtensionRequestSerializer(source="extensions", many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = (
            *InvoiceSerializer.Meta.fields,
            "reported_by",
            "timeline",
            "cover",
            "payments",
            "credit_notes",
            "extension_requests",
        )
        read_only_fields = fields

    def get_reported_by(self, invoice: Invoice) -> str | None:
        return invoice.reported_by.username if invoice.reported_by_id else None

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_timeline(self, invoice: Invoice) -> list[dict]:
        return MilestoneSerializer(selectors.invoice_milestones(invoice), many=True).data

    @extend_schema_field(InvoiceCoverSerializer(allow_null=True))
    def get_cover(self, invoice: Invoice) -> dict | None:
        cover = selectors.cover_of(invoice, today=today_of(self.context))
        if cover is None:
            return None
        reason = cover.reason or ("above_limit" if cover.uncovered else None)
        return InvoiceCoverSerializer(
            {
                "covered": cover.covered,
                "uncovered": cover.uncovered,
                "reason": reason,
                "reason_label": cover.reason_label,
                "limit_amount": cover.limit_amount,
                "notification_deadline": cover.notification_deadline,
            }
        ).data


# Input ----------------------------------------------------------------------------------------


class InvoiceItemInputSerializer(DebtorNamedInput):
    """One invoice as the insured reports it (exposure.services.INVOICE_FIELDS)."""

    resolve_at_once = False  # a bulk call looks every debtor up in one query

    number = serializers.CharField(
        max_length=60,
        validators=[plain_text],
        help_text=gettext_lazy("Your invoice number: once per policy and debtor."),
    )
    net_amount = amount_input(help_text=gettext_lazy("Above 0, as a string."))
    vat_amount = amount_input(
        required=False, help_text=gettext_lazy('VAT, as a string; default "0.00".')
    )
    currency = serializers.CharField(
        required=False,
        max_length=3,
        validators=[plain_text],
        help_text=gettext_lazy("The policy's currency (the default); any other is refused."),
    )
    invoice_date = day_input()
    delivery_date = day_input(
        help_text=gettext_lazy("Within the policy's period, not in the future.")
    )
    original_due_date = day_input(
        help_text=gettext_lazy("The due date on the invoice; not before the invoice date.")
    )
    due_date = day_input(
        required=False,
        help_text=gettext_lazy(
            "A later due date already agreed, within the maximum extension period; default "
            "the original due date."
        ),
    )
    payment_terms_days = StrictIntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        help_text=gettext_lazy("If given, must match the dates (a check on your data)."),
    )
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=100, validators=[plain_text]
    )


class InvoiceCreateInputSerializer(InvoiceItemInputSerializer):
    resolve_at_once = True

    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))


@dataclass(frozen=True)
class Item:
    """One item of a bulk call after its own checks: its data, or its errors by field."""

    data: dict | None
    errors: dict | None = None


class EachItemOnItsOwn(serializers.ListField):
    """A list whose items are checked one by one without stopping at the first bad one: its
    value is a list of `Item`, so that one answer can name every bad item together with what
    the service finds wrong with the good ones."""

    def run_child_validation(self, data):
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        items = []
        for value in data:
            try:
                items.append(Item(self.child.run_validation(value)))
            except serializers.ValidationError as exc:
                # {field: [errors]}, also for an item that is not an object (null, a string)
                items.append(Item(None, serializers.as_serializer_error(exc)))
        return items


class InvoicesBulkInputSerializer(serializers.Serializer):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    invoices = EachItemOnItsOwn(
        child=InvoiceItemInputSerializer(),
        min_length=1,
        max_length=INVOICE_BULK_MAX,
        help_text=format_lazy(
            gettext_lazy("From 1 to {max} invoices under the policy."), max=INVOICE_BULK_MAX
        ),
    )

    def validate_invoices(self, items: list[Item]) -> list[Item]:
        """The debtors named by registration number, looked up in one query."""
        found = debtor_ids_by_identity(
            i.data["debtor_identity"] for i in items if i.data and "debtor_identity" in i.data
        )
        out = []
        for item in items:
            identity = item.data and item.data.pop("debtor_identity", None)
            if identity is None:
                out.append(item)
            elif identity in found:
                out.append(Item({**item.data, "debtor": found[identity]}))
            else:
                out.append(Item(None, not_registered(identity)))
        return out


class InvoicesReportedSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=gettext_lazy("How many invoices were reported."))
    invoices = InvoiceSerializer(many=True, help_text=gettext_lazy("In the order sent."))


class InvoiceDisputeInputSerializer(serializers.Serializer):
    since = day_input(help_text=gettext_lazy("Since when the debtor disputes it; not in future."))
    reason = serializers.CharField(
        max_length=REASON_MAX,
        validators=[plain_multiline_text],
        help_text=gettext_lazy("What the debtor disputes."),
    )


class InvoiceSettleDisputeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX,
        validators=[plain_multiline_text],
        help_text=gettext_lazy("How the dispute was settled."),
    )


class InvoiceExtendInputSerializer(serializers.Serializer):
    due_date = day_input(help_text=gettext_lazy("The new due date, after the current one."))
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX,
        validators=[plain_multiline_text],
        help_text=gettext_lazy(
            "Why the debtor needs the time: required beyond the maximum extension period, "
            "where the insurer must consent."
        ),
    )
