"""Pieces the limits API's shapes share: amounts as input, a debtor in brief, and the reasons,
steps and conditions of a decision."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.api import FieldsBuiltOnce
from core.money import MONEY_DIGITS, MONEY_PLACES, validate_money_digits
from debtors.models import Debtor
from policies.serializers import StrictDecimalField


def amount_input(**kwargs) -> StrictDecimalField:
    kwargs["validators"] = [*kwargs.get("validators", ()), validate_money_digits]
    return StrictDecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs)


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
