"""The one register of debtors (buyers) shared by all policies, their credit reports (risk
data with its source and date, one row per import: the history) and their risk events."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.identifiers import normalise_registration_number
from core.money import MONEY_DIGITS, MONEY_PLACES
from core.text import plain_multiline_text, plain_text

from .risk import INSOLVENCY_KINDS


class Debtor(models.Model):
    country = models.CharField(_("country"), max_length=2)
    registration_number = models.CharField(
        _("registration number"), max_length=40, validators=[plain_text]
    )
    name = models.CharField(_("name"), max_length=200, validators=[plain_text])
    legal_form = models.CharField(
        _("legal form"), max_length=40, blank=True, validators=[plain_text]
    )
    city = models.CharField(_("city"), max_length=100, blank=True, validators=[plain_text])
    latest_report = models.ForeignKey(
        "CreditReport",
        verbose_name=_("latest credit report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    insolvent_since = models.DateField(_("insolvent since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["latest_report"])

    class Meta:
        verbose_name = _("debtor")
        verbose_name_plural = _("debtors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"], name="debtor_unique_registration"
            ),
        ]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["registration_number"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country} {self.registration_number})"

    def clean(self):
        try:
            self.registration_number = normalise_registration_number(
                self.country, self.registration_number
            )
        except ValidationError as exc:
            raise ValidationError({"registration_number": exc.messages}) from exc


class CreditReport(models.Model):
    """The debtor's risk data as one source knew it on one date. Never changed: a newer
    report is a new row, so the history of every figure stays readable."""

    debtor = models.ForeignKey(
        Debtor,
        verbose_name=_("debtor"),
        on_delete=models.CASCADE,
        related_name="reports",
        db_index=False,  # the index on (debtor, -as_of) serves every look-up by debtor
    )
    source = models.CharField(_("source"), max_length=100)
    as_of = models.DateField(_("date of the data"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # Dated lists: [{"date": "YYYY-MM-DD", "amount": "123.00"}, ...]
    payment_remarks = models.JSONField(_("payment remarks"), default=list, blank=True)
    debt_balance = models.DecimalField(
        _("debt balance at the enforcement authority (SEK)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    debt_balance_history = models.JSONField(_("historic debt balances"), default=list, blank=True)
    payment_orders = models.JSONField(
        _("applications for payment orders"), default=list, blank=True
    )
    failed_distraints = models.JSONField(_("failed distraint attempts"), default=list, blank=True)
    turnover = models.DecimalField(
        _("turnover (SEK)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    result = models.DecimalField(
        _("result (SEK)"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
    )
    equity_ratio = models.DecimalField(
        _("equity ratio (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    accounts_closed_on = models.DateField(_("accounts closing date"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=40, blank=True)
    f_tax = models.BooleanField(_("F-tax registered"), null=True, blank=True)
    vat_registered = models.BooleanField(_("VAT registered"), null=True, blank=True)
    employer_registered = models.BooleanField(_("employer registered"), null=True, blank=True)
    board_changed_on = models.DateField(_("board last replaced"), null=True, blank=True)
    clean_audit = models.BooleanField(_("clean audit report"), null=True, blank=True)

    class Meta:
        verbose_name = _("credit report")
        verbose_name_plural = _("credit reports")
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["debtor", "-as_of"])]

    def __str__(self) -> str:
        return f"{self.debtor} · {self.source} · {self.as_of}"


class RiskEventKind(models.TextChoices):
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    RESTRUCTURING = "restructuring", _("Restructuring")
    LIQUIDATION = "liquidation", _("Liquidation")
    PAYMENT_REMARK = "payment_remark", _("Payment remark")
    RATING_DROP = "rating_drop", _("Rating drop")


INSOLVENCY_EVENTS = frozenset(RiskEventKind(kind) for kind in INSOLVENCY_KINDS)


class RiskEvent(models.Model):
    debtor = models.ForeignKey(
        Debtor, verbose_name=_("debtor"), on_delete=models.CASCADE, related_name="risk_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RiskEventKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    details = models.CharField(
        _("details"), max_length=500, blank=True, validators=[plain_multiline_text]
    )
    source = models.CharField(_("source"), max_length=100)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alerted_at = models.DateTimeField(_("insureds alerted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            # The same event from the same source is recorded once (imports may repeat).
            models.UniqueConstraint(
                fields=["debtor", "kind", "occurred_on", "source"], name="risk_event_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["reviewed_at"],
                condition=Q(reviewed_at__isnull=True),
                name="risk_event_unreviewed",
            ),
            models.Index(
                fields=["alerted_at"],
                condition=Q(alerted_at__isnull=True),
                name="risk_event_unalerted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.debtor} · {self.occurred_on}"
