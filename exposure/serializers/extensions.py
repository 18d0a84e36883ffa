"""Requests to extend a due date beyond the maximum extension period, and the insurer's
decision on them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import FieldsBuiltOnce
from core.text import REASON_MAX, plain_multiline_text
from limits.serializers import DebtorBriefSerializer
from policies.serializers import money_field

from ..models import ExtensionRequest, ExtensionStatus


class ExtensionReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy("Stable, machine-readable code."))
    message = serializers.CharField(help_text=gettext_lazy("The reason as a sentence."))
    values = serializers.DictField(help_text=gettext_lazy("The figures the message refers to."))


class ExtensionRequestSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    policy = serializers.IntegerField(source="invoice.policy_id", read_only=True)
    policy_number = serializers.CharField(source="invoice.policy.number", read_only=True)
    debtor = DebtorBriefSerializer(source="invoice.debtor", read_only=True)
    currency = serializers.CharField(source="invoice.currency", read_only=True)
    open_amount = money_field(
        source="invoice.open_amount", help_text=gettext_lazy("What is unpaid on the invoice now.")
    )
    original_due_date = serializers.DateField(source="invoice.original_due_date", read_only=True)
    due_date = serializers.DateField(
        read_only=True, help_text=gettext_lazy("The due date asked for.")
    )
    status = serializers.ChoiceField(
        choices=ExtensionStatus.choices,
        read_only=True,
        help_text=gettext_lazy(
            "`pending` (waiting for the insurer), `granted` (the invoice's due date moved) or "
            "`refused`."
        ),
    )
    reasons = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Why it waits (`beyond_extension`) or how it was decided (`underwriter`, with the "
            "underwriter's reason)."
        )
    )
    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField(
        help_text=gettext_lazy("The underwriter's username; null while pending.")
    )

    class Meta:
        model = ExtensionRequest
        fields = (
            "id",
            "invoice",
            "invoice_number",
            "policy",
            "policy_number",
            "debtor",
            "currency",
            "open_amount",
            "original_due_date",
            "due_date",
            "reason",
            "status",
            "reasons",
            "requested_at",
            "requested_by",
            "decided_at",
            "decided_by",
            "decision_reason",
        )
        read_only_fields = fields

    @extend_schema_field(ExtensionReasonSerializer(many=True))
    def get_reasons(self, request: ExtensionRequest) -> list[dict]:
        if request.status == ExtensionStatus.PENDING:
            return [
                {
                    "code": "beyond_extension",
                    "message": _(
                        "%(due)s lies beyond the maximum extension period: the insurer must "
                        "consent."
                    )
                    % {"due": request.due_date.isoformat()},
                    "values": {
                        "due_date": request.due_date.isoformat(),
                        "original_due_date": request.invoice.original_due_date.isoformat(),
                    },
                }
            ]
        return [{"code": "underwriter", "message": request.decision_reason, "values": {}}]

    def get_requested_by(self, request: ExtensionRequest) -> str | None:
        return request.requested_by.username if request.requested_by_id else None

    def get_decided_by(self, request: ExtensionRequest) -> str | None:
        return request.decided_by.username if request.decided_by_id else None


class ExtensionDecideInputSerializer(serializers.Serializer):
    grant = serializers.BooleanField(
        help_text=gettext_lazy("`true` consents to the new due date, `false` refuses it.")
    )
    reason = serializers.CharField(
        max_length=REASON_MAX,
        validators=[plain_multiline_text],
        help_text=gettext_lazy("What the insured will read."),
    )
