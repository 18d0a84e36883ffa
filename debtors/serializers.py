"""Serializers of the debtor API. Identity data for everyone; risk data (the latest credit
report and its band) only where the caller may see it (see selectors.RiskAccess)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.text import plain_text

from .models import CreditReport, Debtor
from .risk import BAND_LABELS, band_of


class DatedEntrySerializer(serializers.Serializer):
    date = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, help_text=_("SEK, as a string.")
    )


def _dated(help_text):
    return DatedEntrySerializer(many=True, read_only=True, help_text=help_text)


class CreditReportSerializer(serializers.ModelSerializer):
    payment_remarks = _dated(_("Payment remarks, newest first."))
    debt_balance_history = _dated(_("Debt balances recorded at the enforcement authority."))
    payment_orders = _dated(_("Applications for payment orders."))
    failed_distraints = _dated(_("Failed distraint attempts."))

    class Meta:
        model = CreditReport
        fields = (
            "id",
            "source",
            "as_of",
            "imported_at",
            "rating",
            "payment_remarks",
            "debt_balance",
            "debt_balance_history",
            "payment_orders",
            "failed_distraints",
            "turnover",
            "result",
            "equity_ratio",
            "employees",
            "accounts_closed_on",
            "registered_on",
            "legal_form",
            "f_tax",
            "vat_registered",
            "employer_registered",
            "board_changed_on",
            "clean_audit",
        )
        read_only_fields = fields


class RatingBandSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=list(BAND_LABELS.items()),
        help_text=_("very_high 1–14, high 15–39, medium 40–59, low 60–79, very_low 80–100."),
    )
    label = serializers.CharField()


class DebtorSerializer(serializers.ModelSerializer):
    """A debtor's identity, as the register shows it to every user."""

    class Meta:
        model = Debtor
        fields = ("id", "country", "registration_number", "name", "legal_form", "city")
        read_only_fields = fields


class DebtorDetailSerializer(DebtorSerializer):
    """Identity, and the risk data where the caller may see it (context `risk_visible`)."""

    risk_visible = serializers.SerializerMethodField(
        help_text=_(
            "Whether you may see this debtor's risk data: staff always, an insured user when "
            "its company holds a limit on the debtor. When false the risk fields are null."
        )
    )
    insolvent_since = serializers.SerializerMethodField()
    latest_report = serializers.SerializerMethodField()
    rating_band = serializers.SerializerMethodField()

    class Meta(DebtorSerializer.Meta):
        fields = (
            *DebtorSerializer.Meta.fields,
            "risk_visible",
            "insolvent_since",
            "latest_report",
            "rating_band",
        )
        read_only_fields = fields

    def _visible(self, debtor: Debtor) -> bool:
        return bool(self.context.get("risk_visible"))

    def get_risk_visible(self, debtor: Debtor) -> bool:
        return self._visible(debtor)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_insolvent_since(self, debtor: Debtor):
        return (
            debtor.insolvent_since.isoformat()
            if self._visible(debtor) and (debtor.insolvent_since)
            else None
        )

    @extend_schema_field(CreditReportSerializer(allow_null=True))
    def get_latest_report(self, debtor: Debtor):
        if not self._visible(debtor) or debtor.latest_report is None:
            return None
        return CreditReportSerializer(debtor.latest_report).data

    @extend_schema_field(RatingBandSerializer(allow_null=True))
    def get_rating_band(self, debtor: Debtor):
        if not self._visible(debtor) or debtor.latest_report is None:
            return None
        band = band_of(debtor.latest_report.rating)
        return {"code": band["code"], "label": str(band["label"])} if band else None


class DebtorCreateInputSerializer(serializers.Serializer):
    country = serializers.CharField(
        max_length=2, validators=[plain_text], help_text=_("ISO 3166 code, e.g. SE.")
    )
    registration_number = serializers.CharField(
        max_length=40,
        validators=[plain_text],
        help_text=_(
            "SE organisation number, BE enterprise number, NL KvK number (8 digits) or NL VAT "
            "number (`NL004495445B01`), or a VAT number elsewhere in the EU. Check digits are "
            "verified; the number is stored in one normal form (e.g. `556677-8907`)."
        ),
    )
    name = serializers.CharField(max_length=200, validators=[plain_text])
    legal_form = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", validators=[plain_text]
    )
    city = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", validators=[plain_text]
    )
