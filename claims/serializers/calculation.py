"""A claim's calculation as the API shows it: every invoice line and the six steps, named
by claims.presentation (the same words as the claim page and the statement PDF), and the
insured's "what would this claim pay today" preview."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from debtors.models import Debtor
from exposure.serializers.common import day_input
from limits.serializers import DebtorBriefSerializer, VisibleIdField
from policies.selectors import policies_for
from policies.serializers import money_field

from ..calculation import Calculation
from ..models import Cause
from ..presentation import reason_label, step_rows


def rate_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True, **kwargs)


class CalculationLineSerializer(serializers.Serializer):
    """One unpaid invoice of the debtor as the calculation counts it."""

    invoice = serializers.IntegerField(source="invoice_id", read_only=True)
    number = serializers.CharField(read_only=True)
    delivery_date = serializers.DateField(read_only=True)
    invoiced = money_field(
        help_text=gettext_lazy("The amount counted: net, or gross where the policy insures VAT.")
    )
    deducted = money_field(
        help_text=gettext_lazy("Paid, credited or recovered, on the amount counted.")
    )
    unpaid = money_field(help_text=gettext_lazy("Invoiced less deducted."))
    limit_amount = money_field(help_text=gettext_lazy("The limit in force on the delivery date."))
    covered = money_field(
        help_text=gettext_lazy(
            "The part within the limit on the delivery date (shared with earlier deliveries, "
            "oldest first); 0 when the invoice does not qualify."
        )
    )
    qualifies = serializers.BooleanField(read_only=True)
    reason = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "Why the invoice does not qualify for cover (`country_not_covered`, "
            "`terms_too_long`, `disputed`, `notified_late`, `stop_delivery`, `no_limit`); null "
            "when it does."
        ),
    )
    reason_message = serializers.SerializerMethodField(
        help_text=gettext_lazy("The reason in your language; empty when it qualifies.")
    )

    def get_reason_message(self, line) -> str:
        return reason_label(line.reason)


class CalculationStepSerializer(serializers.Serializer):
    """One of the six steps (claims.presentation.step_rows)."""

    step = serializers.IntegerField(read_only=True, help_text=gettext_lazy("1 to 6."))
    code = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy(
            "`qualifying`, `eligible_loss`, `insured_loss`, `threshold`, `percentage`, `indemnity`."
        ),
    )
    label = serializers.CharField(read_only=True)
    amount = money_field()
    note = serializers.CharField(
        read_only=True, help_text=gettext_lazy("What explains the figure, in your language.")
    )


class CalculationSerializer(serializers.Serializer):
    """The claim amount, step by step. Needs `currency` in its context."""

    currency = serializers.SerializerMethodField()
    indemnity = money_field(help_text=gettext_lazy("What the claim pays (step 6)."))
    lines = CalculationLineSerializer(many=True, read_only=True)
    steps = serializers.SerializerMethodField()
    vat_insured = serializers.BooleanField(read_only=True)
    not_qualifying = money_field(
        help_text=gettext_lazy("Unpaid on invoices that do not qualify, left out in step 1.")
    )
    invoiced = money_field(help_text=gettext_lazy("Step 1: the qualifying invoices."))
    deductions = money_field(help_text=gettext_lazy("Step 2: paid, credited or recovered."))
    eligible_loss = money_field(help_text=gettext_lazy("Step 2."))
    above_limit = money_field(help_text=gettext_lazy("Step 3: the part beyond the limit."))
    insured_loss = money_field(help_text=gettext_lazy("Step 3."))
    threshold = money_field(help_text=gettext_lazy("Step 4: the intervention threshold."))
    below_threshold = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("Step 4: at or below it nothing is paid.")
    )
    insured_percentage = rate_field(help_text=gettext_lazy("Step 5, in per cent."))
    indemnity_before_cap = money_field(help_text=gettext_lazy("Step 5."))
    max_liability_left = money_field(
        help_text=gettext_lazy("Step 6: what is left of the policy year's maximum liability.")
    )
    capped_by_liability = serializers.BooleanField(read_only=True)

    def get_currency(self, calc: Calculation) -> str:
        return self.context["currency"]

    @extend_schema_field(CalculationStepSerializer(many=True))
    def get_steps(self, calc: Calculation) -> list[dict]:
        return CalculationStepSerializer(step_rows(calc, self.context["currency"]), many=True).data


def calculation_data(calc: Calculation, currency: str) -> dict:
    return CalculationSerializer(calc, context={"currency": currency}).data


# The preview ----------------------------------------------------------------------------------


class ClaimPreviewInputSerializer(serializers.Serializer):
    policy = VisibleIdField(policies_for, help_text=gettext_lazy("Policy id."))
    debtor = VisibleIdField(
        lambda user: Debtor.objects.all(), help_text=gettext_lazy("Debtor id in the register.")
    )
    cause = serializers.ChoiceField(
        choices=Cause.choices,
        required=False,
        help_text=gettext_lazy(
            "The cause of loss you would claim; it sets the default date of loss."
        ),
    )
    loss_date = day_input(
        required=False,
        help_text=gettext_lazy(
            "The date of loss, which sets the policy year whose maximum liability is used. "
            "Default: the end of the waiting period for a protracted default, the debtor's "
            "insolvency date for an insolvency, otherwise today."
        ),
    )


class ClaimPreviewSerializer(serializers.Serializer):
    """What a claim on the debtor would pay today, without filing it."""

    policy = serializers.IntegerField(source="policy.pk")
    policy_number = serializers.CharField(source="policy.number")
    debtor = DebtorBriefSerializer()
    currency = serializers.CharField(source="policy.currency")
    cause = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The cause asked about; null when none.")
    )
    loss_date = serializers.DateField(help_text=gettext_lazy("The date of loss counted."))
    policy_year = serializers.IntegerField(help_text=gettext_lazy("Its policy year (1, 2, …)."))
    notification = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy(
            "The open overdue notification a claim would follow; null: notify the debtor "
            "overdue before filing."
        ),
    )
    calculation = serializers.SerializerMethodField()

    @extend_schema_field(CalculationSerializer)
    def get_calculation(self, preview: dict) -> dict:
        return calculation_data(preview["calculation"], preview["policy"].currency)
