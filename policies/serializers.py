"""The API's shapes for policies, declarations and documents.

Input serializers check types only; every rule lives in the services, whose errors reach the
client through core.api.exception_handler. Amounts travel as decimal strings, never floats.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

# StrictDecimalField is also taken from here by the limits API.
from accounts.models import InsuredCompany
from core.api_input import StrictDecimalField, StrictIntegerField, StrictPrimaryKeyRelatedField
from core.money import MONEY_DIGITS, MONEY_PLACES, MONEY_TOTAL_DIGITS, validate_money_digits
from core.text import plain_multiline_text, plain_text

from . import selectors
from .models import (
    TERM_FIELDS,
    DocumentStatus,
    Policy,
    PolicyDocument,
    TurnoverDeclaration,
)


def money_field(**kwargs) -> serializers.DecimalField:
    """An amount or a sum of amounts, as the API writes it: wide enough for any sum."""
    return serializers.DecimalField(
        max_digits=MONEY_TOTAL_DIGITS, decimal_places=MONEY_PLACES, read_only=True, **kwargs
    )


# Policies -------------------------------------------------------------------------------------


class InsuredSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsuredCompany
        fields = ("id", "name", "country", "registration_number")
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=DocumentStatus.choices,
        read_only=True,
        help_text=_("`pending`: being prepared; `ready`: downloadable; `failed`."),
    )
    download_url = serializers.SerializerMethodField(
        help_text=_("Where the PDF is downloaded once the status is `ready`.")
    )

    class Meta:
        model = PolicyDocument
        fields = (
            "id",
            "policy",
            "kind",
            "version",
            "status",
            "language",
            "created_at",
            "rendered_at",
            "download_url",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: PolicyDocument) -> str:
        return reverse(
            "api-document-download", kwargs={"pk": document.pk}, request=self.context["request"]
        )


class PremiumSerializer(serializers.Serializer):
    """The current policy year's premium so far (selectors.policy_premium), in the policy
    currency; `years` on the policy has every policy year."""

    declared_turnover = money_field()
    turnover_premium = money_field(help_text=_("Sum of the declared periods' premium."))
    minimum_premium = money_field()
    minimum_adjustment = money_field(
        help_text=_("Raise to the minimum premium, charged once the year is complete.")
    )
    premium = money_field()
    limit_fees = money_field()
    total = money_field()
    limit_decisions = serializers.IntegerField(
        read_only=True, help_text=_("Named-limit decisions charged a limit fee in the year.")
    )
    max_liability = money_field(help_text=_("Most the insurer pays in the policy year."))


class PolicyYearSerializer(PremiumSerializer):
    """One policy year: minimum premium and maximum liability apply per policy year."""

    number = serializers.IntegerField(read_only=True, help_text=_("1 for the first year."))
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    complete = serializers.BooleanField(
        source="year_complete", read_only=True, help_text=_("The year has ended.")
    )
    minimum_topup_charged = money_field(
        source="topup_charged",
        help_text=_("Top-up to the minimum premium charged so far (invoiced after the year)."),
    )


class OutstandingDeclarationSerializer(serializers.Serializer):
    period_start = serializers.DateField(source="period.start")
    period_end = serializers.DateField(source="period.end")
    due_date = serializers.DateField(source="period.due")
    state = serializers.ChoiceField(
        choices=[("due", _("Due")), ("late", _("Late"))],
        help_text=_("`due`: ended, not yet past its due date; `late`: past its due date."),
    )


class PolicyListSerializer(serializers.ModelSerializer):
    insured = InsuredSerializer(read_only=True)

    class Meta:
        model = Policy
        fields = ("id", "number", "status", "insured", "currency", "start_date", "end_date")
        read_only_fields = fields


class PolicyDetailSerializer(serializers.ModelSerializer):
    """Every term of the policy; amounts are decimal strings in `currency`.

    Needs `request` and `today` in its context."""

    insured = InsuredSerializer(read_only=True)
    covered_countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    documents = serializers.SerializerMethodField()
    premium = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField()
    outstanding_declarations = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = (
            "id",
            "number",
            "status",
            "insured",
            *TERM_FIELDS,
            "created_at",
            "issued_at",
            "documents",
            "premium",
            "years",
            "outstanding_declarations",
        )
        read_only_fields = fields

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, policy: Policy) -> list[dict]:
        request = self.context["request"]
        documents = selectors.documents_for(request.user).filter(policy=policy)
        return DocumentSerializer(documents, many=True, context=self.context).data

    @extend_schema_field(PremiumSerializer)
    def get_premium(self, policy: Policy) -> dict:
        premium = selectors.policy_premium(policy, today=self.context["today"])
        return PremiumSerializer(premium).data

    @extend_schema_field(PolicyYearSerializer(many=True))
    def get_years(self, policy: Policy) -> list[dict]:
        years = selectors.policy_years_premium(policy, today=self.context["today"])
        return PolicyYearSerializer(years, many=True).data

    @extend_schema_field(OutstandingDeclarationSerializer(many=True))
    def get_outstanding_declarations(self, policy: Policy) -> list[dict]:
        states = selectors.outstanding_declarations([policy], today=self.context["today"])
        return OutstandingDeclarationSerializer(states, many=True).data


class PolicyTermsInputSerializer(serializers.ModelSerializer):
    """Any policy terms; those left out keep their value (or their default on create)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: StrictDecimalField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
    }
    covered_countries = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        help_text=_("ISO 3166 codes; left out or empty on create: the insured's country + EU."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        validators=[plain_multiline_text],
        help_text=_("Why the terms change; required once the policy is issued."),
    )

    class Meta:
        model = Policy
        fields = (*TERM_FIELDS, "reason")
        extra_kwargs = {"end_date": {"required": False}}


class PolicyCreateInputSerializer(PolicyTermsInputSerializer):
    insured = StrictPrimaryKeyRelatedField(
        queryset=InsuredCompany.objects.all(), help_text=_("The insured company's id.")
    )

    class Meta(PolicyTermsInputSerializer.Meta):
        fields = ("insured", *TERM_FIELDS, "reason")
        extra_kwargs = {
            "start_date": {"required": True},
            "end_date": {"required": False, "help_text": _("Default: one year from the start.")},
        }


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, validators=[plain_multiline_text]
    )


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, max_length=500, validators=[plain_multiline_text]
    )


# Declarations ---------------------------------------------------------------------------------


class DeclarablePolicyField(StrictPrimaryKeyRelatedField):
    """A policy id among those the requesting user may see: another company's policy is
    refused exactly like one that does not exist."""

    def get_queryset(self):
        return selectors.policies_for(self.context["request"].user)


class DeclarationCreateInputSerializer(serializers.Serializer):
    policy = DeclarablePolicyField(queryset=Policy.objects.all(), help_text=_("The policy id."))
    period_start = serializers.DateField(help_text=_("First day of the declared period."))
    turnover = StrictDecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        min_value=0,
        validators=[validate_money_digits],
        help_text=_("Insured turnover of the period in the policy currency, as a string."),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default="", validators=[plain_text]
    )


class DeclarationSerializer(serializers.ModelSerializer):
    policy_number = serializers.CharField(source="policy.number", read_only=True)
    currency = serializers.CharField(source="policy.currency", read_only=True)
    is_late = serializers.BooleanField(read_only=True, help_text=_("Declared after its due date."))

    class Meta:
        model = TurnoverDeclaration
        fields = (
            "id",
            "policy",
            "policy_number",
            "currency",
            "period_start",
            "period_end",
            "turnover",
            "premium_rate",
            "premium",
            "due_date",
            "declared_at",
            "is_late",
            "note",
        )
        read_only_fields = fields
