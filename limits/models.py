"""Credit decision templates, limit requests and limits in force with their history."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.money import MONEY_DIGITS, MONEY_PLACES, validate_money_digits
from core.text import REASON_MAX, plain_multiline_text, plain_text

from .engine import OnFail, Outcome
from .params import param_choices


def money_field(verbose_name, **kwargs):
    """An amount: at most 13 digits before the point (core.money)."""
    kwargs["validators"] = [*kwargs.get("validators", ()), validate_money_digits]
    return models.DecimalField(
        verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs
    )


# Templates ----------------------------------------------------------------------------------

PARAM_CHOICES = param_choices()  # labels from the registry (limits.params)
ON_FAIL_CHOICES = [
    (OnFail.REFER.value, _("Refer to an underwriter")),
    (OnFail.REFUSE.value, _("Refuse")),
]
ABOVE_GUIDELINE_CHOICES = [
    (Outcome.PARTLY_APPROVE.value, _("Partly approve at the guideline")),
    (Outcome.REFER.value, _("Refer to an underwriter")),
]


class DecisionTemplate(models.Model):
    """One per legal form (an empty legal form is the template for every other form)."""

    legal_form = models.CharField(
        _("legal form"), max_length=40, unique=True, blank=True, validators=[plain_text]
    )
    name = models.CharField(_("name"), max_length=100, validators=[plain_text])
    above_guideline = models.CharField(
        _("above the guideline limit"),
        max_length=20,
        choices=ABOVE_GUIDELINE_CHOICES,
        default=Outcome.PARTLY_APPROVE.value,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit decision template")
        verbose_name_plural = _("credit decision templates")
        ordering = ["legal_form"]

    def __str__(self) -> str:
        return self.name


class TemplateRule(models.Model):
    template = models.ForeignKey(DecisionTemplate, on_delete=models.CASCADE, related_name="rules")
    param = models.CharField(_("parameter"), max_length=30, choices=PARAM_CHOICES)
    enabled = models.BooleanField(_("counts"), default=True)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_money_digits],
    )
    months = models.PositiveSmallIntegerField(
        _("within months"), null=True, blank=True, validators=[MaxValueValidator(240)]
    )
    on_fail = models.CharField(
        _("when it fails"), max_length=10, choices=ON_FAIL_CHOICES, default=OnFail.REFER.value
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("template rule")
        verbose_name_plural = _("template rules")
        ordering = ["template", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "param"], name="one_rule_per_param")
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.get_param_display()}"


# Requests -----------------------------------------------------------------------------------


class RequestKind(models.TextChoices):
    NEW = "new", _("New limit")
    INCREASE = "increase", _("Increase")
    RENEWAL = "renewal", _("Renewal")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REFERRED = "referred", _("Referred to an underwriter")
    APPROVED = "approved", _("Approved")
    PARTLY_APPROVED = "partly_approved", _("Partly approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PENDING = (RequestStatus.SUBMITTED, RequestStatus.REFERRED)
DECIDED = (RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED, RequestStatus.REFUSED)


class LimitRequest(models.Model):
    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name=_("policy"),
        on_delete=models.PROTECT,
        related_name="limit_requests",
    )
    debtor = models.ForeignKey(
        "debtors.Debtor",
        verbose_name=_("debtor"),
        on_delete=models.PROTECT,
        related_name="limit_requests",
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=RequestKind.choices, default=RequestKind.NEW
    )
    amount = money_field(_("amount requested"), validators=[MinValueValidator(1)])
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
    )
    reference = models.CharField(
        _("your reference"), max_length=100, blank=True, validators=[plain_text]
    )
    status = FSMField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    # The automatic assessment, kept even when an underwriter decides later.
    guideline = money_field(_("guideline limit"), null=True, blank=True)
    assessment = models.JSONField(_("assessment"), default=dict, blank=True)
    # The decision.
    decided_amount = money_field(_("amount decided"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the template decided."),
    )
    decision_note = models.TextField(
        _("reason"),
        blank=True,
        max_length=REASON_MAX,
        validators=[MaxLengthValidator(REASON_MAX), plain_multiline_text],
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    max_terms_days = models.PositiveSmallIntegerField(
        _("maximum payment terms (days)"), null=True, blank=True
    )
    expires_on = models.DateField(_("limit expires on"), null=True, blank=True)
    is_dcl = models.BooleanField(_("discretionary limit"), default=False)
    history = HistoricalRecords(excluded_fields=["submitted_at", "assessment"])

    class Meta:
        verbose_name = _("limit request")
        verbose_name_plural = _("limit requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "debtor"],
                condition=Q(status__in=["submitted", "referred"]),
                name="one_pending_request_per_policy_debtor",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} · {self.debtor}"

    @property
    def currency(self) -> str:
        return self.policy.currency

    @property
    def decided_automatically(self) -> bool:
        return self.decided_at is not None and self.decided_by_id is None

    # Allowed status changes, declared here and applied by limits.services.
    @transition(field=status, source=RequestStatus.SUBMITTED, target=RequestStatus.REFERRED)
    def refer(self):
        """The template could not decide: an underwriter will."""

    @transition(field=status, source=PENDING, target=RequestStatus.APPROVED)
    def approve(self):
        """Approved at the amount asked."""

    @transition(field=status, source=PENDING, target=RequestStatus.PARTLY_APPROVED)
    def approve_partly(self):
        """Approved at a lower amount."""

    @transition(field=status, source=PENDING, target=RequestStatus.REFUSED)
    def refuse(self):
        """Refused, with reasons."""

    @transition(field=status, source=PENDING, target=RequestStatus.WITHDRAWN)
    def withdraw(self):
        """The insured withdrew it before a decision."""


# Limits -------------------------------------------------------------------------------------


class LimitKind(models.TextChoices):
    NAMED = "named", _("Named limit")
    DCL = "dcl", _("Discretionary limit")


class ReviewStatus(models.TextChoices):
    NONE = "none", _("Not under review")
    REQUESTED = "requested", _("Under review")


class Limit(models.Model):
    """The limit of one policy on one debtor. Its amount over time is in its changes: the
    limit on any date is the latest change effective on or before it."""

    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("policy"), on_delete=models.PROTECT, related_name="limits"
    )
    debtor = models.ForeignKey(
        "debtors.Debtor", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="limits"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    review = FSMField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.NONE
    )
    review_requested_at = models.DateTimeField(_("review requested"), null=True, blank=True)
    review_event = models.ForeignKey(
        "debtors.RiskEvent",
        verbose_name=_("review after"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("limit")
        verbose_name_plural = _("limits")
        constraints = [
            models.UniqueConstraint(fields=["policy", "debtor"], name="one_limit_per_policy_debtor")
        ]
        indexes = [
            models.Index(
                fields=["review_requested_at"],
                condition=Q(review_requested_at__isnull=False),
                name="limit_under_review",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.debtor}"

    # The review an underwriter owes a limit after a risk event, applied by limits.services.
    @transition(
        field=review,
        source=[ReviewStatus.NONE, ReviewStatus.REQUESTED],
        target=ReviewStatus.REQUESTED,
    )
    def request_review(self):
        """A risk event on the debtor puts the limit up for review (a later one replaces it)."""

    @transition(field=review, source=ReviewStatus.REQUESTED, target=ReviewStatus.NONE)
    def close_review(self):
        """An underwriter kept, reduced or withdrew the limit."""

    @property
    def review_summary(self) -> str:
        """The risk event behind a review, in the reader's language."""
        event = self.review_event
        return f"{event.get_kind_display()} {event.occurred_on:%Y-%m-%d}" if event else ""


class ChangeKind(models.TextChoices):
    GRANTED = "granted", _("Granted")
    INCREASED = "increased", _("Increased")
    RENEWED = "renewed", _("Renewed")
    REDUCED_BY_INSURED = "reduced_by_insured", _("Reduced by the insured")
    CANCELLED_BY_INSURED = "cancelled_by_insured", _("Cancelled by the insured")
    REDUCED = "reduced", _("Reduced by the insurer")
    WITHDRAWN = "withdrawn", _("Withdrawn by the insurer")
    EXPIRED = "expired", _("Expired")


class LimitChange(models.Model):
    """Append-only: every amount a limit has had, from when, why and by whom."""

    limit = models.ForeignKey(Limit, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=25, choices=ChangeKind.choices)
    limit_kind = models.CharField(
        _("kind of limit"), max_length=10, choices=LimitKind.choices, default=LimitKind.NAMED
    )
    amount = money_field(_("amount"), validators=[MinValueValidator(0)])
    effective_from = models.DateField(_("effective from"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    max_terms_days = models.PositiveSmallIntegerField(
        _("maximum payment terms (days)"), null=True, blank=True
    )
    request = models.ForeignKey(
        LimitRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="limit_changes"
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=REASON_MAX,
        validators=[MaxLengthValidator(REASON_MAX), plain_multiline_text],
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    announced_on = models.DateField(
        _("in force announced on"),
        null=True,
        blank=True,
        help_text=_("The day the insured was told an insurer's reduction took effect."),
    )

    class Meta:
        verbose_name = _("limit change")
        verbose_name_plural = _("limit changes")
        ordering = ["limit", "effective_from", "id"]
        indexes = [models.Index(fields=["limit", "-effective_from", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} from {self.effective_from}"


# Letters ------------------------------------------------------------------------------------


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class LetterKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    PARTIAL_APPROVAL = "partial_approval", _("Partial approval")
    REFUSAL = "refusal", _("Refusal")
    REDUCTION = "reduction", _("Reduction")


def letter_path(instance, filename):
    return f"limits/{instance.limit_id or 'request'}/{filename}"


class DecisionLetter(models.Model):
    """The PDF letter of a decision, in the insured's language; rendered once, never changed."""

    request = models.ForeignKey(
        LimitRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    change = models.ForeignKey(
        LimitChange, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    limit = models.ForeignKey(
        Limit, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    policy = models.ForeignKey(
        "policies.Policy", on_delete=models.PROTECT, related_name="decision_letters"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to=letter_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.policy}"

    @property
    def filename(self) -> str:
        return f"{self.policy.number}-{self.kind}-{self.pk}.pdf"
