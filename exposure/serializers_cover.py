"""The API's shapes for the cover check and the overdue notification: the stored answer with
its reasons in the reader's language, a notification with its figures, invoices and timeline,
and the input to ask for either. Every rule lives in the services (exposure.services.cover,
exposure.services.notifications); these only check types and resolve the debtor."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import FieldsBuiltOnce
from core.api_input import StrictIntegerField
from core.text import REASON_MAX, plain_multiline_text
from limits.serializers import DebtorBriefSerializer, VisibleIdField, amount_input
from policies.selectors import policies_for
from policies.serializers import money_field

from .models import CoverCheck, Invoice, NonPaymentReason, OverdueNotification
from .serializers.common import DebtorNamedInput, day_input
from .serializers.invoices import MilestoneSerializer
from .services.cover import MAX_TERMS, NOTES, REASONS, reason_message

REASON_CODES = ", ".join(f"`{code}`" for code in [*REASONS, *NOTES])


def _username(user) -> str | None:
    return user.username if user is not None else None


# Cover check ----------------------------------------------------------------------------------


class CoverReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=format_lazy(
            "{} {}",
            gettext_lazy(
                "Stable code. Every code but `insurer_reduction` makes the delivery not covered; "
                "`insurer_reduction` only informs. The codes:"
            ),
            REASON_CODES,
        )
    )
    message = serializers.CharField(help_text=gettext_lazy("The reason in your language."))
    values = serializers.DictField(help_text=gettext_lazy("The figures the message refers to."))


class CoverCheckSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A stored answer to "may I deliver this amount to this debtor on these terms?"."""

    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    amount = money_field(help_text=gettext_lazy("The amount asked about."))
    covered = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("True when the whole amount is covered and no reason says no."),
    )
    covered_amount = money_field(
        help_text=gettext_lazy("How much of the amount would be covered (0 when a reason says no).")
    )
    cover_left = money_field(
        help_text=gettext_lazy(
            "The limit on the delivery date less the debtor's unpaid invoices it already covers, "
            "before this delivery."
        )
    )
    limit_amount = money_field(help_text=gettext_lazy("The limit in force on the delivery date."))
    reasons = serializers.SerializerMethodField()
    asked_by = serializers.SerializerMethodField(
        help_text=gettext_lazy("Who asked (username); null when unknown.")
    )

    class Meta:
        model = CoverCheck
        fields = (
            "id",
            "policy",
            "policy_number",
            "debtor",
            "amount",
            "currency",
            "terms_days",
            "delivery_date",
            "covered",
            "covered_amount",
            "cover_left",
            "limit_amount",
            "reasons",
            "asked_at",
            "asked_by",
        )
        read_only_fields = fields

    @extend_schema_field(CoverReasonSerializer(many=True))
    def get_reasons(self, check: CoverCheck) -> list[dict]:
        return [
            {
                "code": reason.get("code", ""),
                "message": reason_message(reason, check.currency),
                "values": reason.get("values") or {},
            }
            for reason in check.reasons or []
        ]

    def get_asked_by(self, check: CoverCheck) -> str | None:
        return _username(check.asked_by) if check.asked_by_id else None


class CoverCheckInputSerializer(DebtorNamedInput):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    amount = amount_input(
        help_text=gettext_lazy("The amount you mean to deliver, in the policy currency, above 0.")
    )
    terms_days = StrictIntegerField(
        min_value=0,
        max_value=MAX_TERMS,
        help_text=gettext_lazy("Payment terms in days from the invoice date."),
    )
    delivery_date = day_input(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The day of delivery, at most a year ahead; default today."),
    )


# Overdue notifications ------------------------------------------------------------------------


class NotifiedInvoiceSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """An invoice named in the notification, with what is unpaid on it now."""

    open_amount = money_field(help_text=gettext_lazy("What is unpaid on it now."))

    class Meta:
        model = Invoice
        fields = (
            "id",
            "number",
            "delivery_date",
            "original_due_date",
            "due_date",
            "open_amount",
        )
        read_only_fields = fields


class OverdueNotificationSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """An overdue notification in a list: its figures as of the day it was made."""

    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    currency = serializers.CharField(source="policy.currency", read_only=True)
    reason = serializers.CharField(
        read_only=True,
        help_text=format_lazy(
            "{} {}",
            gettext_lazy("Why the debtor does not pay:"),
            ", ".join(f"`{v}`" for v in NonPaymentReason.values),
        ),
    )
    reason_label = serializers.CharField(
        source="get_reason_display",
        read_only=True,
        help_text=gettext_lazy("The reason in your language."),
    )
    overdue_amount = money_field(
        help_text=gettext_lazy("Unpaid past its due date on the day of notification.")
    )
    exposure_amount = money_field(
        help_text=gettext_lazy("Everything unpaid that day, invoices not yet due included.")
    )
    deadline = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The overdue notification deadline of the oldest overdue invoice."),
    )
    late = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("Notified after the deadline.")
    )
    cover_lost = money_field(
        help_text=gettext_lazy("What was unpaid on the invoices whose deadline had passed.")
    )
    open = serializers.SerializerMethodField(
        help_text=gettext_lazy("Not yet closed (everything paid, or the claim settled).")
    )
    created_by = serializers.SerializerMethodField(
        help_text=gettext_lazy("Who notified (username); null when unknown.")
    )

    class Meta:
        model = OverdueNotification
        fields = (
            "id",
            "policy",
            "policy_number",
            "debtor",
            "currency",
            "notified_on",
            "reason",
            "reason_label",
            "details",
            "disputed",
            "overdue_amount",
            "exposure_amount",
            "deadline",
            "late",
            "cover_lost",
            "open",
            "closed_on",
            "created_at",
            "created_by",
        )
        read_only_fields = fields

    def get_open(self, notice: OverdueNotification) -> bool:
        return notice.closed_on is None

    def get_created_by(self, notice: OverdueNotification) -> str | None:
        return _username(notice.created_by) if notice.created_by_id else None


class OverdueNotificationDetailSerializer(OverdueNotificationSerializer):
    """The notification whole: its invoices and the timeline after it. Needs `milestones`
    (notice id → list of exposure.timeline.Milestone) in its context."""

    invoices = NotifiedInvoiceSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The notification deadline, the notification, the end of the waiting period and "
            "the claim filing deadline, each with the policy term it comes from."
        )
    )

    class Meta(OverdueNotificationSerializer.Meta):
        fields = (*OverdueNotificationSerializer.Meta.fields, "invoices", "timeline")
        read_only_fields = fields

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_timeline(self, notice: OverdueNotification) -> list[dict]:
        milestones = self.context["milestones"](notice)
        return MilestoneSerializer(milestones, many=True).data


class OverdueNotificationCreateInputSerializer(DebtorNamedInput):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    reason = serializers.ChoiceField(
        choices=NonPaymentReason.choices,
        help_text=gettext_lazy("Why the debtor does not pay, as far as you know."),
    )
    details = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX,
        validators=[plain_multiline_text],
        help_text=gettext_lazy("What the debtor said, what you have done so far."),
    )
    disputed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy("The debtor disputes the debt."),
    )
    notified_on = day_input(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "The day you told the insurer by other means, if earlier; default today. Not in "
            "the future."
        ),
    )
