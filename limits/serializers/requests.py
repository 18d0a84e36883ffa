"""Limit requests and their decisions, and the input to submit or decide one."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import FieldsBuiltOnce
from core.api_input import StrictIntegerField
from core.identifiers import normalise_registration_number
from core.text import plain_multiline_text, plain_text
from debtors.models import Debtor
from policies.selectors import policies_for

from ..engine import Outcome
from ..models import LimitRequest, RequestKind, RequestStatus
from ..reasons import describe, describe_step
from .common import (
    AssessmentSerializer,
    ConditionsSerializer,
    DebtorBriefSerializer,
    ReasonSerializer,
    amount_input,
)
from .letters import LetterSerializer

DEBTORS_API = "/api/v1/debtors/"


class LimitRequestSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A request with its decision, when there is one. Needs `request` in its context."""

    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=RequestKind.choices, read_only=True)
    status = serializers.ChoiceField(
        choices=RequestStatus.choices,
        read_only=True,
        help_text=gettext_lazy(
            "`submitted`, `referred` (waiting for an underwriter), `approved`, "
            "`partly_approved`, `refused` or `withdrawn`."
        ),
    )
    currency = serializers.CharField(source="policy.currency", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_automatically = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("Decided by the credit decision template.")
    )
    decided_by = serializers.SerializerMethodField(
        help_text=gettext_lazy("The underwriter's username; null when automatic or undecided.")
    )
    reasons = serializers.SerializerMethodField()
    assessment = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Staff only (null for insured users): the automatic assessment, line by line."
        )
    )
    conditions = serializers.SerializerMethodField()
    letters = serializers.SerializerMethodField()

    class Meta:
        model = LimitRequest
        fields = (
            "id",
            "policy",
            "policy_number",
            "debtor",
            "kind",
            "status",
            "amount",
            "currency",
            "payment_terms_days",
            "reference",
            "requested_by",
            "submitted_at",
            "guideline",
            "decided_amount",
            "decided_automatically",
            "decided_at",
            "decided_by",
            "decision_note",
            "is_dcl",
            "reasons",
            "assessment",
            "conditions",
            "letters",
        )
        read_only_fields = fields

    def get_decided_by(self, request: LimitRequest) -> str | None:
        return request.decided_by.username if request.decided_by_id else None

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, request: LimitRequest) -> list[dict]:
        currency = request.policy.currency
        return [
            {
                "code": reason.get("code", ""),
                "message": describe(reason, currency),
                "values": reason.get("values") or {},
            }
            for reason in request.reasons or []
        ]

    @extend_schema_field(AssessmentSerializer(allow_null=True))
    def get_assessment(self, request: LimitRequest) -> dict | None:
        user = getattr(self.context.get("request"), "user", None)
        if not (user and user.is_insurer_staff and request.assessment):
            return None
        currency = request.policy.currency
        return {
            "template": request.assessment.get("template", ""),
            "steps": [
                {
                    "code": step.get("code", "") if isinstance(step, dict) else "",
                    "message": describe_step(step, currency),
                    "values": step.get("values", {}) if isinstance(step, dict) else {},
                }
                for step in request.assessment.get("steps", [])
            ],
        }

    @extend_schema_field(ConditionsSerializer)
    def get_conditions(self, request: LimitRequest) -> dict:
        """The conditions of the limit the decision granted (a DCL's expiry included), else
        those recorded on the request."""
        granted = []
        if request.status in (RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED):
            granted = [c for c in request.limit_changes.all() if c.amount > 0]
        source = granted[0] if granted else request
        return {"max_terms_days": source.max_terms_days, "expires_on": source.expires_on}

    @extend_schema_field(LetterSerializer(many=True))
    def get_letters(self, request: LimitRequest) -> list[dict]:
        # The request is already one the user may see; so are its letters (their PDFs are
        # downloadable once `ready`).
        return LetterSerializer(request.letters.all(), many=True, context=self.context).data


class VisibleIdField(StrictIntegerField):
    """The id of a row in `queryset(user)`, checked with one EXISTS and returned as an id:
    the service loads (and locks) the row itself. A row the user may not see is refused
    exactly like one that does not exist."""

    default_error_messages = {
        "does_not_exist": serializers.PrimaryKeyRelatedField.default_error_messages[
            "does_not_exist"
        ]
    }

    def __init__(self, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(min_value=1, **kwargs)

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        if not self.queryset(self.context["request"].user).filter(pk=pk).exists():
            self.fail("does_not_exist", pk_value=pk)
        return pk


class LimitRequestCreateInputSerializer(serializers.Serializer):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    # The register is one, shared by all policies: the service loads the debtor and refuses
    # an id that is not in it (field `debtor`, code `does_not_exist`).
    debtor = StrictIntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Debtor id in the register; or leave it out and send `debtor_country` and "
            "`debtor_registration_number`."
        ),
    )
    debtor_country = serializers.CharField(
        required=False,
        max_length=2,
        validators=[plain_text],
        help_text=gettext_lazy("ISO 3166 code, e.g. SE."),
    )
    debtor_registration_number = serializers.CharField(
        required=False,
        max_length=40,
        validators=[plain_text],
        help_text=gettext_lazy("Organisationsnummer, enterprise number, KvK number or VAT number."),
    )
    kind = serializers.ChoiceField(choices=RequestKind.choices, default=RequestKind.NEW)
    amount = amount_input(help_text=gettext_lazy("In the policy currency, as a string."))
    payment_terms_days = StrictIntegerField(min_value=0, max_value=365, default=30)
    reference = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default="", validators=[plain_text]
    )

    def validate(self, attrs):
        country = attrs.pop("debtor_country", "").strip().upper()
        number = attrs.pop("debtor_registration_number", "").strip()
        if "debtor" in attrs:
            if country or number:
                raise serializers.ValidationError(
                    {"debtor": _("Send either `debtor` or the debtor's country and number.")}
                )
            return attrs
        if not (country and number):
            raise serializers.ValidationError(
                {
                    field: _("Send `debtor`, or `debtor_country` and `debtor_registration_number`.")
                    for field, value in (
                        ("debtor_country", country),
                        ("debtor_registration_number", number),
                    )
                    if not value
                }
            )
        attrs["debtor"] = self._debtor_by_identity(country, number)
        return attrs

    def _debtor_by_identity(self, country: str, number: str) -> int:
        try:
            number = normalise_registration_number(country, number)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"debtor_registration_number": exc.messages}) from exc
        debtor = (
            Debtor.objects.filter(country=country, registration_number=number)
            .values_list("pk", flat=True)
            .first()
        )
        if debtor is None:
            raise serializers.ValidationError(
                {
                    "debtor_registration_number": serializers.ErrorDetail(
                        _(
                            "No debtor %(country)s %(number)s is in the register. Register "
                            "it at %(url)s first, then ask again."
                        )
                        % {"country": country, "number": number, "url": DEBTORS_API},
                        code="debtor_not_registered",
                    )
                }
            )
        return debtor


class LimitRequestDecideInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[Outcome.APPROVE.value, Outcome.PARTLY_APPROVE.value, Outcome.REFUSE.value],
        help_text=gettext_lazy(
            "`approve` (the amount asked), `partly_approve` (give `amount`) or `refuse`."
        ),
    )
    amount = amount_input(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("For `partly_approve`: above zero, below the amount asked."),
    )
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        validators=[plain_multiline_text],
        help_text=gettext_lazy("What the insured will read."),
    )
    max_terms_days = StrictIntegerField(required=False, allow_null=True, min_value=0)
    expires_on = serializers.DateField(required=False, allow_null=True)
