"""The API's shapes for limit requests, limits in force and decision letters.

Input serializers check types and resolve ids; every rule lives in limits.services, whose
errors reach the client through core.api.exception_handler. Amounts travel as decimal
strings, never floats (StrictDecimalField).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api import FieldsBuiltOnce
from core.identifiers import normalise_registration_number
from core.money import MONEY_DIGITS, MONEY_PLACES
from debtors.models import Debtor
from policies.selectors import policies_for
from policies.serializers import StrictDecimalField, money_field

from .engine import Outcome
from .models import (
    ChangeKind,
    DecisionLetter,
    LetterKind,
    LetterStatus,
    Limit,
    LimitChange,
    LimitKind,
    LimitRequest,
    RequestKind,
    RequestStatus,
)
from .reasons import describe, describe_step

DEBTORS_API = "/api/v1/debtors/"


def amount_input(**kwargs) -> StrictDecimalField:
    return StrictDecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


# Shared pieces --------------------------------------------------------------------------------


class DebtorBriefSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Debtor
        fields = ("id", "name", "country", "registration_number")
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy(
            "Stable code: a template parameter (`rating`, `payment_remarks`, …), "
            "`above_guideline`, `no_guideline`, `insolvent`, `insolvency_event` or "
            "`risk_event_unreviewed` (naming the event in `values`: `kind`, `date`, "
            "`event_id`), `dcl` or `underwriter`. `message` is in the caller's language."
        )
    )
    message = serializers.CharField(help_text=gettext_lazy("The reason as a sentence."))
    values = serializers.DictField(help_text=gettext_lazy("The figures the message refers to."))


class StepSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy("Stable code of the line (`band`, `param`, `decision`, …).")
    )
    message = serializers.CharField(help_text=gettext_lazy("The line in the caller's language."))
    values = serializers.DictField(help_text=gettext_lazy("The figures the line refers to."))


class AssessmentSerializer(serializers.Serializer):
    template = serializers.CharField(help_text=gettext_lazy("The credit decision template."))
    steps = StepSerializer(many=True)


class ConditionsSerializer(serializers.Serializer):
    max_terms_days = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Longest payment terms covered, if limited.")
    )
    expires_on = serializers.DateField(
        allow_null=True, help_text=gettext_lazy("Last day of the limit, if it expires.")
    )


class LetterSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A decision letter. One component for every place a letter appears, so its enums keep
    one name in the schema."""

    kind = serializers.ChoiceField(choices=LetterKind.choices, read_only=True)
    status = serializers.ChoiceField(
        choices=LetterStatus.choices,
        read_only=True,
        help_text=gettext_lazy("`pending`: being prepared; `ready`: downloadable; `failed`."),
    )
    download_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Where the PDF is downloaded; null until the letter is ready.")
    )

    class Meta:
        model = DecisionLetter
        fields = (
            "id",
            "kind",
            "status",
            "language",
            "policy",
            "request",
            "limit",
            "created_at",
            "rendered_at",
            "download_url",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, letter: DecisionLetter) -> str | None:
        if letter.status != LetterStatus.READY:
            return None
        return reverse(
            "api-letter-download", kwargs={"pk": letter.pk}, request=self.context.get("request")
        )


# Limit requests -------------------------------------------------------------------------------


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


class VisibleIdField(serializers.IntegerField):
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


def registered_debtors(user):
    """Every debtor: the register is one, shared by all policies."""
    return Debtor.objects.all()


class LimitRequestCreateInputSerializer(serializers.Serializer):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    debtor = VisibleIdField(
        registered_debtors,
        required=False,
        help_text=gettext_lazy(
            "Debtor id in the register; or leave it out and send `debtor_country` and "
            "`debtor_registration_number`."
        ),
    )
    debtor_country = serializers.CharField(
        required=False, max_length=2, help_text=gettext_lazy("ISO 3166 code, e.g. SE.")
    )
    debtor_registration_number = serializers.CharField(
        required=False,
        max_length=40,
        help_text=gettext_lazy("Organisationsnummer, enterprise number, KvK number or VAT number."),
    )
    kind = serializers.ChoiceField(choices=RequestKind.choices, default=RequestKind.NEW)
    amount = amount_input(help_text=gettext_lazy("In the policy currency, as a string."))
    payment_terms_days = serializers.IntegerField(min_value=0, max_value=365, default=30)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")

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
        max_length=2000, allow_blank=True, help_text=gettext_lazy("What the insured will read.")
    )
    max_terms_days = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    expires_on = serializers.DateField(required=False, allow_null=True)


# Limits ---------------------------------------------------------------------------------------


class LimitChangeSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices, read_only=True)
    limit_kind = serializers.ChoiceField(choices=LimitKind.choices, read_only=True)
    by = serializers.SerializerMethodField(
        help_text=gettext_lazy("`automatic`, or the username of who made the change.")
    )

    class Meta:
        model = LimitChange
        fields = (
            "id",
            "kind",
            "limit_kind",
            "amount",
            "effective_from",
            "expires_on",
            "max_terms_days",
            "request",
            "reason",
            "recorded_at",
            "by",
        )
        read_only_fields = fields

    def get_by(self, change: LimitChange) -> str:
        return change.recorded_by.username if change.recorded_by_id else "automatic"


class LimitSerializer(serializers.ModelSerializer):
    """A limit as it stood on `as_of` (selectors.limits_as_of). Needs `as_of` in its context."""

    policy_number = serializers.CharField(source="policy.number", read_only=True)
    debtor = DebtorBriefSerializer(read_only=True)
    currency = serializers.CharField(source="policy.currency", read_only=True)
    amount = money_field(help_text=gettext_lazy("The limit on `as_of`; 0 when none was in force."))
    limit_kind = serializers.ChoiceField(
        choices=LimitKind.choices,
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("`named` (decided by the insurer) or `dcl` (discretionary)."),
    )
    effective_from = serializers.DateField(
        read_only=True, allow_null=True, help_text=gettext_lazy("Since when this amount holds.")
    )
    expires_on = serializers.DateField(read_only=True, allow_null=True)
    max_terms_days = serializers.IntegerField(read_only=True, allow_null=True)
    under_review = serializers.SerializerMethodField(
        help_text=gettext_lazy("A risk event put the limit up for an underwriter's review.")
    )
    as_of = serializers.SerializerMethodField()

    class Meta:
        model = Limit
        fields = (
            "id",
            "policy",
            "policy_number",
            "debtor",
            "currency",
            "amount",
            "limit_kind",
            "effective_from",
            "expires_on",
            "max_terms_days",
            "under_review",
            "as_of",
        )
        read_only_fields = fields

    def get_under_review(self, limit: Limit) -> bool:
        return limit.review_requested_at is not None

    @extend_schema_field(OpenApiTypes.DATE)
    def get_as_of(self, limit: Limit) -> str:
        return self.context["as_of"].isoformat()


class LimitDetailSerializer(LimitSerializer):
    history = serializers.SerializerMethodField()

    class Meta(LimitSerializer.Meta):
        fields = (*LimitSerializer.Meta.fields, "history")
        read_only_fields = fields

    @extend_schema_field(LimitChangeSerializer(many=True))
    def get_history(self, limit: Limit) -> list[dict]:
        """Every change, oldest first: amounts, effective dates, why and by whom."""
        changes = limit.changes.select_related("recorded_by").order_by("effective_from", "id")
        return LimitChangeSerializer(changes, many=True).data


class LimitReductionSerializer(serializers.Serializer):
    """A reduction: the change written, and the limit as it stands today."""

    change = LimitChangeSerializer()
    limit = LimitSerializer()


class LimitReduceInputSerializer(serializers.Serializer):
    amount = amount_input(
        help_text=gettext_lazy('The new, lower amount as a string; "0" cancels the limit.')
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)
