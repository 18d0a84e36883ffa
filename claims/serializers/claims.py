"""Claims as the API shows them: in a list, and whole (state and reasons, the calculation,
the documents checklist, documents, status history, statements, recoveries)."""

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api import FieldsBuiltOnce
from limits.serializers import DebtorBriefSerializer
from policies.serializers import money_field

from ..calculation import ZERO
from ..models import Claim, ClaimDocument, ClaimStatement, ClaimStatus, Recovery, StatementStatus
from ..selectors import claim_calculation
from ..services.claims import checklist
from .calculation import CalculationSerializer, calculation_data
from .state import (
    ClaimHistoryStepSerializer,
    ClaimReasonSerializer,
    claim_history,
    claim_reasons,
    person,
)

STATUSES = ", ".join(f"`{value}`" for value in ClaimStatus.values)


class ClaimSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A claim in a list."""

    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    # A string, not an enum: an enum named `status` would rename the API's other ones.
    status = serializers.CharField(
        read_only=True,
        help_text=format_lazy("{} {}", gettext_lazy("The claim's status:"), STATUSES),
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    cause_label = serializers.CharField(source="get_cause_display", read_only=True)
    claimed_amount = money_field(
        help_text=gettext_lazy("What the calculation gave on the day of filing.")
    )
    calculated_amount = money_field(
        allow_null=True,
        help_text=gettext_lazy("What the calculation gave when decided; null before."),
    )
    indemnity = money_field(
        allow_null=True,
        help_text=gettext_lazy("The indemnity decided (approved or adjusted); null before."),
    )
    open = serializers.BooleanField(source="is_open", read_only=True)

    class Meta:
        model = Claim
        fields = (
            "id",
            "number",
            "policy",
            "policy_number",
            "debtor",
            "notification",
            "currency",
            "cause",
            "cause_label",
            "insolvency_kind",
            "loss_date",
            "evidence",
            "filed_on",
            "filing_deadline",
            "policy_year",
            "status",
            "status_label",
            "open",
            "claimed_amount",
            "calculated_amount",
            "indemnity",
            "decision_reason",
            "decided_at",
            "paid_on",
            "created_at",
        )
        read_only_fields = fields


class ChecklistItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("The document kind's code."))
    label = serializers.CharField()
    present = serializers.BooleanField(help_text=gettext_lazy("A document of it is on the claim."))


class ClaimDocumentSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy(
            "`invoices`, `account_statement`, `proof_of_delivery`, `correspondence`, "
            "`collection_history`, `insolvency_proof`, `political_event`, `other`."
        ),
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    uploaded_by = serializers.SerializerMethodField()

    class Meta:
        model = ClaimDocument
        fields = (
            "id",
            "claim",
            "kind",
            "kind_label",
            "name",
            "size",
            "content_type",
            "sha256",
            "note",
            "uploaded_at",
            "uploaded_by",
        )
        read_only_fields = fields

    def get_uploaded_by(self, document: ClaimDocument) -> str | None:
        return person(document.uploaded_by, self.context)


class ClaimStatementSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text=gettext_lazy("`settlement` or `recovery`.")
    )
    status = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("`pending`: being prepared; `ready`: downloadable; `failed`."),
    )
    download_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Where the PDF is downloaded; null until the statement is ready.")
    )

    class Meta:
        model = ClaimStatement
        fields = (
            "id",
            "kind",
            "status",
            "language",
            "recovery",
            "created_at",
            "rendered_at",
            "download_url",
        )
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download_url(self, statement: ClaimStatement) -> str | None:
        if statement.status != StatementStatus.READY:
            return None
        return reverse(
            "api-claim-statement",
            kwargs={"pk": statement.claim_id, "statement_id": statement.pk},
            request=self.context.get("request"),
        )


class RecoverySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """Money recovered after payment and its split (DOMAIN.md, "Recoveries after payment")."""

    amount = money_field()
    on_insured_loss = money_field(
        help_text=gettext_lazy("The part that falls on the insured loss.")
    )
    on_excess = money_field(help_text=gettext_lazy("The part on the uninsured excess."))
    to_insurer = money_field(
        help_text=gettext_lazy(
            "The insured percentage of the part on the insured loss, never more than the "
            "insurer paid less what it got back before."
        )
    )
    to_insured = money_field(help_text=gettext_lazy("The rest."))
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Recovery
        fields = (
            "id",
            "claim",
            "received_on",
            "amount",
            "source",
            "on_insured_loss",
            "on_excess",
            "to_insurer",
            "to_insured",
            "recorded_at",
            "recorded_by",
        )
        read_only_fields = fields

    def get_recorded_by(self, recovery: Recovery) -> str | None:
        return person(recovery.recorded_by, self.context)


class RecoveryLedgerSerializer(serializers.Serializer):
    """The claim's recoveries and their totals."""

    claim = serializers.IntegerField(source="claim.pk")
    currency = serializers.CharField(source="claim.currency")
    paid = money_field(
        source="claim.indemnity",
        allow_null=True,
        help_text=gettext_lazy("The indemnity paid; null before payment."),
    )
    recovered = money_field()
    to_insurer = money_field()
    to_insured = money_field()
    recoveries = RecoverySerializer(many=True)


def ledger(claim: Claim, recoveries) -> dict:
    rows = list(recoveries)
    return {
        "claim": claim,
        "recovered": sum((r.amount for r in rows), ZERO),
        "to_insurer": sum((r.to_insurer for r in rows), ZERO),
        "to_insured": sum((r.to_insured for r in rows), ZERO),
        "recoveries": rows,
    }


class ClaimDetailSerializer(ClaimSerializer):
    """The whole claim. Reads `today` and `request` from its context."""

    reasons = serializers.SerializerMethodField(
        help_text=gettext_lazy("Why the claim is where it is, and what it waits for.")
    )
    calculation = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The figures it was decided on once decided (`calculation_settled`), the live "
            "calculation before."
        )
    )
    calculation_settled = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The documents the claim's cause needs, then any other the handler asked for."
        )
    )
    documents_requested = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=gettext_lazy("The kinds of document the handler asked for."),
    )
    documents = ClaimDocumentSerializer(many=True, read_only=True)
    history = serializers.SerializerMethodField(
        help_text=gettext_lazy("Every step of the claim, oldest first.")
    )
    statements = ClaimStatementSerializer(many=True, read_only=True)
    recoveries = RecoverySerializer(many=True, read_only=True)
    decided_by = serializers.SerializerMethodField()
    second_approved_by = serializers.SerializerMethodField()
    paid_by = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = (
            *ClaimSerializer.Meta.fields,
            "reasons",
            "calculation",
            "calculation_settled",
            "checklist",
            "documents_requested",
            "documents_message",
            "documents",
            "history",
            "decided_by",
            "second_approved_at",
            "second_approved_by",
            "payment_reference",
            "paid_by",
            "statements",
            "recoveries",
        )
        read_only_fields = fields

    def _checklist(self, claim: Claim) -> list[tuple[str, str, bool]]:
        cache = self.context.setdefault("_checklist", {})
        if claim.pk not in cache:
            cache[claim.pk] = checklist(claim)
        return cache[claim.pk]

    @extend_schema_field(ClaimReasonSerializer(many=True))
    def get_reasons(self, claim: Claim) -> list[dict]:
        return ClaimReasonSerializer(claim_reasons(claim, self._checklist(claim)), many=True).data

    @extend_schema_field(CalculationSerializer)
    def get_calculation(self, claim: Claim) -> dict:
        today = self.context.get("today") or timezone.localdate()
        return calculation_data(claim_calculation(claim, today=today), claim.currency)

    def get_calculation_settled(self, claim: Claim) -> bool:
        return bool(claim.calculation)

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_checklist(self, claim: Claim) -> list[dict]:
        rows = [
            {"kind": kind, "label": label, "present": present}
            for kind, label, present in self._checklist(claim)
        ]
        return ChecklistItemSerializer(rows, many=True).data

    @extend_schema_field(ClaimHistoryStepSerializer(many=True))
    def get_history(self, claim: Claim) -> list[dict]:
        return ClaimHistoryStepSerializer(claim_history(claim, self.context), many=True).data

    def get_decided_by(self, claim: Claim) -> str | None:
        return person(claim.decided_by, self.context)

    def get_second_approved_by(self, claim: Claim) -> str | None:
        return person(claim.second_approved_by, self.context)

    def get_paid_by(self, claim: Claim) -> str | None:
        return person(claim.paid_by, self.context)
