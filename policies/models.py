"""Policies with every term of the policy table, turnover declarations and the policy's
documents. The insured company they cover is `accounts.InsuredCompany`, the tenant."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.models import LANGUAGE_CHOICES, InsuredCompany
from core.money import (
    MONEY_DIGITS,
    MONEY_PLACES,
    RATE_DIGITS,
    RATE_PLACES,
    above_zero,
    validate_money_digits,
)
from core.text import plain_multiline_text, plain_text


def money_field(verbose_name, *, positive: bool = False, **kwargs):
    """An amount: at least 0 (above 0 when `positive`), at most 13 digits before the point."""
    kwargs.setdefault(
        "validators",
        [above_zero if positive else MinValueValidator(0), validate_money_digits],
    )
    return models.DecimalField(
        verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs
    )


def days_field(verbose_name, default, maximum, minimum=0, help_text=""):
    return models.PositiveIntegerField(
        verbose_name,
        default=default,
        help_text=help_text,
        validators=[MinValueValidator(minimum), MaxValueValidator(maximum)],
    )


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class DeclarationFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Policy(models.Model):
    """A credit insurance policy. Every number is a term with a default, never a constant."""

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    insured = models.ForeignKey(
        InsuredCompany,
        verbose_name=_("insured company"),
        on_delete=models.PROTECT,
        related_name="policies",
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = FSMField(
        _("status"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )

    # Cover and losses
    insured_percentage = models.DecimalField(
        _("insured percentage"),
        max_digits=5,
        decimal_places=2,
        default=90,
        validators=[above_zero, MaxValueValidator(100)],
        help_text=_("Share of a covered loss the insurer pays."),
    )
    intervention_threshold = money_field(
        _("intervention threshold"),
        default=500,
        help_text=_(
            "A loss on one debtor at or below this is not handled. 0: no threshold, every "
            "loss is handled."
        ),
    )
    max_credit_period_days = days_field(
        _("maximum credit period (days)"),
        90,
        365,
        1,
        _("Invoices with longer payment terms are not covered."),
    )
    max_extension_days = days_field(
        _("maximum extension period (days)"),
        60,
        365,
        0,
        _("Extra time the insured may give after the original due date."),
    )
    notification_deadline_days = days_field(
        _("overdue notification deadline (days after the MEP)"), 30, 365, 0
    )
    waiting_period_days = days_field(_("waiting period (days)"), 180, 730, 0)
    claim_filing_days = days_field(
        _("claim filing deadline (days after the waiting period)"), 60, 730, 1
    )
    claim_filing_insolvency_days = days_field(
        _("claim filing deadline (days after insolvency)"), 180, 730, 1
    )
    reduction_notice_days = days_field(_("notice period for limit reductions (days)"), 30, 365, 0)
    discretionary_limit = money_field(
        _("discretionary credit limit (DCL)"),
        default=10000,
        help_text=_("0: no discretionary limits; the insured asks for every limit."),
    )
    dcl_report_max_age_months = days_field(_("DCL credit report maximum age (months)"), 12, 60, 1)
    dcl_duration_months = days_field(_("DCL duration (months)"), 12, 60, 1)
    max_liability_multiple = models.DecimalField(
        _("maximum liability (× the year's premium)"),
        max_digits=7,
        decimal_places=2,
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    covered_countries = models.JSONField(_("covered countries"), default=list, blank=True)
    political_risk = models.BooleanField(_("political risk covered"), default=False)
    four_eyes_amount = money_field(
        _("four-eyes amount"),
        default=50000,
        help_text=_(
            "Claim settlements above this need a second claims handler. 0: every settlement "
            "needs one."
        ),
    )
    vat_insured = models.BooleanField(_("VAT insured in claims"), default=False)

    # Premium
    premium_rate = models.DecimalField(
        _("premium rate (‰ of insured turnover)"),
        max_digits=RATE_DIGITS,
        decimal_places=RATE_PLACES,
        default=2,
        validators=[above_zero, MaxValueValidator(1000)],
    )
    minimum_premium = money_field(
        _("minimum premium"),
        default=2500,
        positive=True,
        help_text=_("Per policy year: the year's premium is never less."),
    )
    limit_fee = money_field(_("limit fee per named-limit decision"), default=25, positive=True)
    declaration_frequency = models.CharField(
        _("declaration frequency"),
        max_length=10,
        choices=DeclarationFrequency.choices,
        default=DeclarationFrequency.MONTHLY,
    )
    declaration_due_days = days_field(_("declaration due (days after the period)"), 30, 120, 0)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="policy_end_after_start", condition=Q(end_date__gt=models.F("start_date"))
            ),
            models.CheckConstraint(
                name="policy_percentage_range",
                condition=Q(insured_percentage__gte=0, insured_percentage__lte=100),
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return self.number or _("Draft policy")

    # Allowed status changes, declared here and checked by policies.services.
    @transition(field=status, source=PolicyStatus.DRAFT, target=PolicyStatus.ISSUED)
    def issue(self):
        """Draft → issued: the policy starts to cover."""

    @transition(
        field=status,
        source=[PolicyStatus.DRAFT, PolicyStatus.ISSUED],
        target=PolicyStatus.CANCELLED,
    )
    def cancel(self):
        """A draft or issued policy is cancelled."""

    @transition(field=status, source=PolicyStatus.ISSUED, target=PolicyStatus.EXPIRED)
    def expire(self):
        """An issued policy reaches its end date."""

    def clean(self):
        from core.countries import is_country
        from core.currencies import is_currency

        errors = {}
        if self.currency and not is_currency(self.currency):
            errors["currency"] = _("%(code)s is not the ISO 4217 code of a currency in use.") % {
                "code": self.currency
            }
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = _("The end date must be after the start date.")
        if self.start_date and self.end_date and (self.end_date - self.start_date).days > 5 * 366:
            errors["end_date"] = _("A policy period is at most five years.")
        if not isinstance(self.covered_countries, list):
            errors["covered_countries"] = _("Give a list of country codes.")
        else:
            bad = [c for c in self.covered_countries if not (isinstance(c, str) and is_country(c))]
            if bad:
                errors["covered_countries"] = _("Not ISO 3166 country codes: %(codes)s") % {
                    "codes": ", ".join(map(str, bad))
                }
            elif not self.covered_countries:
                errors["covered_countries"] = _("Cover at least one country.")
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: date) -> bool:
        return self.status == PolicyStatus.ISSUED and self.start_date <= day <= self.end_date


# The policy terms in the order the editor, the schedule and the API show them.
TERM_FIELDS = (
    "currency",
    "start_date",
    "end_date",
    "insured_percentage",
    "intervention_threshold",
    "max_credit_period_days",
    "max_extension_days",
    "notification_deadline_days",
    "waiting_period_days",
    "claim_filing_days",
    "claim_filing_insolvency_days",
    "reduction_notice_days",
    "discretionary_limit",
    "dcl_report_max_age_months",
    "dcl_duration_months",
    "max_liability_multiple",
    "premium_rate",
    "minimum_premium",
    "limit_fee",
    "declaration_frequency",
    "declaration_due_days",
    "covered_countries",
    "political_risk",
    "four_eyes_amount",
    "vat_insured",
)
MONEY_TERMS = frozenset(
    {
        "intervention_threshold",
        "discretionary_limit",
        "minimum_premium",
        "limit_fee",
        "four_eyes_amount",
    }
)


class TurnoverDeclaration(models.Model):
    """The insured turnover of one period, and the premium it costs at the rate then in force."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="declarations"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    turnover = money_field(_("insured turnover"))
    premium_rate = models.DecimalField(
        _("premium rate (‰)"), max_digits=RATE_DIGITS, decimal_places=RATE_PLACES
    )
    premium = money_field(_("premium"))
    due_date = models.DateField(_("due date"))
    declared_at = models.DateTimeField(_("declared"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True, validators=[plain_text])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("turnover declaration")
        verbose_name_plural = _("turnover declarations")
        ordering = ["policy_id", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "period_start"], name="one_declaration_per_period"
            ),
            models.CheckConstraint(
                name="declaration_period_order",
                condition=Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def is_late(self) -> bool:
        return timezone.localdate(self.declared_at) > self.due_date

    @property
    def currency(self) -> str:
        return self.policy.currency


class DocumentKind(models.TextChoices):
    SCHEDULE = "schedule", _("Policy schedule")
    ENDORSEMENT = "endorsement", _("Endorsement")
    PREMIUM_INVOICE = "premium_invoice", _("Premium invoice")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def document_path(instance, filename):
    return f"policies/{instance.policy_id}/{filename}"


class PolicyDocument(models.Model):
    """A PDF issued for a policy: versioned per kind, and never changed once rendered.

    The row is written with the policy's history snapshot it shows; a Celery task renders
    the file from that snapshot and fills `file` once.
    """

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    policy_snapshot = models.ForeignKey(
        Policy.history.model, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    previous_snapshot = models.ForeignKey(
        Policy.history.model, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    declaration = models.ForeignKey(
        TurnoverDeclaration,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
    )
    reason = models.CharField(
        _("reason"), max_length=500, blank=True, validators=[plain_multiline_text]
    )
    file = models.FileField(_("file"), upload_to=document_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "kind", "version"], name="document_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.policy} v{self.version}"

    @property
    def filename(self) -> str:
        return f"{self.policy.number or 'draft'}-{self.kind}-v{self.version}.pdf"


class ChargeKind(models.TextChoices):
    TURNOVER_PREMIUM = "turnover_premium", _("Premium on insured turnover")
    LIMIT_FEE = "limit_fee", _("Limit fee")
    MINIMUM_TOPUP = "minimum_topup", _("Top-up to the minimum premium")


class PolicyCharge(models.Model):
    """One amount the insured owes under a policy: a period's turnover premium, a limit fee
    for a named-limit decision, or the top-up to a policy year's minimum premium (negative
    when a later declaration makes part of a top-up already charged unnecessary).

    Written by policies.charges (the limits app records its fees through
    `policy_charge_record`), never changed except to note the invoice it went on."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="charges"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChargeKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[validate_money_digits],
    )
    charged_on = models.DateField(_("charged on"))
    # What the charge is for: a declaration period, the day of a limit decision, a policy
    # year. Its policy year is the one `period_start` falls in.
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("What the charge comes from, e.g. limit-request:42; one charge per reference."),
    )
    declaration = models.ForeignKey(
        TurnoverDeclaration,
        on_delete=models.PROTECT,
        related_name="charges",
        null=True,
        blank=True,
    )
    invoice = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        related_name="charges",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Empty when recorded automatically."),
    )

    class Meta:
        verbose_name = _("policy charge")
        verbose_name_plural = _("policy charges")
        ordering = ["policy_id", "period_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "kind", "reference"],
                condition=~Q(reference=""),
                name="policy_charge_reference_unique",
            ),
            models.CheckConstraint(
                name="policy_charge_period_order",
                condition=Q(period_end__gte=models.F("period_start")),
            ),
        ]
        indexes = [models.Index(fields=["policy", "invoice"])]

    def __str__(self) -> str:
        return f"{self.policy} {self.get_kind_display()} {self.amount}"
