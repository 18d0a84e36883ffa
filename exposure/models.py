"""Invoices the insured reports, the payments and credit notes set against them, disputes and
due-date extensions, the stop-delivery state of a policy and debtor, and the overdue
notification (DOMAIN.md, "Exposure" and "Overdue").

An invoice keeps its `open_amount` (gross less payments and credit notes), written by the
services in the same transaction as each payment or credit note, so that exposure is one
set-based sum."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.text import REASON_MAX, plain_multiline_text, plain_text
from policies.models import money_field  # one definition of an amount for every app


def _by_user(verbose_name, related_name="+", **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        **kwargs,
    )


class Invoice(models.Model):
    """A delivery on credit to a debtor under a policy, as the insured reported it."""

    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name=_("policy"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    debtor = models.ForeignKey(
        "debtors.Debtor",
        verbose_name=_("debtor"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    number = models.CharField(_("invoice number"), max_length=60, validators=[plain_text])
    reference = models.CharField(
        _("your reference"), max_length=100, blank=True, validators=[plain_text]
    )
    currency = models.CharField(_("currency"), max_length=3)
    net_amount = money_field(_("net amount"), positive=True)
    vat_amount = money_field(_("VAT"), default=0)
    open_amount = money_field(_("unpaid"))
    invoice_date = models.DateField(_("invoice date"))
    delivery_date = models.DateField(_("delivery date"))
    original_due_date = models.DateField(_("original due date"))
    due_date = models.DateField(_("due date"))
    terms_days = models.PositiveIntegerField(
        _("payment terms (days)"), help_text=_("From the invoice date to the original due date.")
    )
    consented_due_date = models.DateField(
        _("due date the insurer consented to"),
        null=True,
        blank=True,
        help_text=_(
            "An extension beyond the maximum extension period, with the insurer's consent."
        ),
    )
    disputed_since = models.DateField(_("disputed since"), null=True, blank=True)
    dispute_reason = models.CharField(
        _("reason for the dispute"),
        max_length=REASON_MAX,
        blank=True,
        validators=[plain_multiline_text],
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    reported_by = _by_user(_("reported by"))
    history = HistoricalRecords(excluded_fields=["reported_at"])

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["original_due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "debtor", "number"], name="invoice_number_once_per_debtor"
            ),
            models.CheckConstraint(
                condition=Q(open_amount__gte=0)
                & Q(open_amount__lte=F("net_amount") + F("vat_amount")),
                name="invoice_open_within_gross",
            ),
            models.CheckConstraint(
                condition=Q(original_due_date__gte=F("invoice_date")),
                name="invoice_due_after_invoice_date",
            ),
        ]
        indexes = [
            models.Index(fields=["policy", "debtor", "delivery_date"]),
            models.Index(fields=["policy", "original_due_date"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def gross_amount(self):
        return self.net_amount + self.vat_amount

    @property
    def disputed(self) -> bool:
        return self.disputed_since is not None


class Payment(models.Model):
    """Money the debtor paid, set against its oldest unpaid invoices unless it named one."""

    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name=_("policy"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    debtor = models.ForeignKey(
        "debtors.Debtor",
        verbose_name=_("debtor"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    amount = money_field(_("amount"), positive=True)
    received_on = models.DateField(_("received on"))
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("for invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="named_payments",
    )
    reference = models.CharField(
        _("your reference"), max_length=100, blank=True, validators=[plain_text]
    )
    unallocated_amount = money_field(
        _("not set against an invoice"),
        default=0,
        help_text=_("What was paid beyond every unpaid invoice: a credit balance of the debtor."),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = _by_user(_("recorded by"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["policy", "debtor", "received_on"])]

    def __str__(self) -> str:
        return f"{self.amount} {self.received_on}"


class PaymentAllocation(models.Model):
    """The part of a payment set against one invoice."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field(_("amount"), positive=True)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")

    def __str__(self) -> str:
        return f"{self.amount} → {self.invoice_id}"


class CreditNote(models.Model):
    """A credit note the insured issued against one invoice: it lowers what is unpaid."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    number = models.CharField(_("credit note number"), max_length=60, validators=[plain_text])
    amount = money_field(_("amount"), positive=True)
    issued_on = models.DateField(_("issued on"))
    reason = models.CharField(
        _("reason"), max_length=REASON_MAX, blank=True, validators=[plain_multiline_text]
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = _by_user(_("recorded by"))

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "number"], name="credit_note_once")
        ]

    def __str__(self) -> str:
        return self.number


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the insurer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """A due date the insured asks to give beyond the maximum extension period: the insurer's
    consent is needed (within the period the insured extends the due date itself)."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="extensions"
    )
    due_date = models.DateField(_("new due date"))
    reason = models.CharField(_("reason"), max_length=REASON_MAX, validators=[plain_multiline_text])
    status = FSMField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = _by_user(_("requested by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = _by_user(_("decided by"))
    decision_reason = models.CharField(
        _("reason for the decision"),
        max_length=REASON_MAX,
        blank=True,
        validators=[plain_multiline_text],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(status="pending"),
                name="one_pending_extension_per_invoice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} → {self.due_date}"

    @transition(field=status, source=ExtensionStatus.PENDING, target=ExtensionStatus.GRANTED)
    def grant(self):
        """The underwriter consents to the later due date."""

    @transition(field=status, source=ExtensionStatus.PENDING, target=ExtensionStatus.REFUSED)
    def refuse(self):
        """The underwriter does not consent; the due date stays."""


class StopReason(models.TextChoices):
    PAST_EXTENSION = "past_extension", _("An invoice is unpaid past the maximum extension period")
    NOTIFIED = "notified", _("The debtor was notified overdue")
    INSOLVENT = "insolvent", _("The debtor is insolvent")
    LIMIT_WITHDRAWN = "limit_withdrawn", _("The limit was withdrawn")


class StopDelivery(models.Model):
    """Deliveries on credit to the debtor under the policy are not covered from `started_on`
    until the day it is lifted (everything overdue paid)."""

    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+"
    )
    debtor = models.ForeignKey(
        "debtors.Debtor", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=StopReason.choices)
    started_on = models.DateField(_("from"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.CharField(_("why lifted"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = _by_user(_("recorded by"))  # None: the daily job
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        verbose_name = _("stop delivery")
        verbose_name_plural = _("stop deliveries")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "debtor"],
                condition=Q(lifted_on__isnull=True),
                name="one_open_stop_delivery",
            )
        ]
        indexes = [models.Index(fields=["policy", "debtor", "started_on"])]

    def __str__(self) -> str:
        return f"{self.debtor} {self.started_on}"


class NonPaymentReason(models.TextChoices):
    NO_REASON = "no_reason", _("No reason given")
    CASH_FLOW = "cash_flow", _("The debtor lacks money")
    DISPUTE = "dispute", _("The debtor disputes the debt")
    INSOLVENCY = "insolvency", _("The debtor is insolvent")
    UNREACHABLE = "unreachable", _("The debtor cannot be reached")
    OTHER = "other", _("Other")


class OverdueNotification(models.Model):
    """The insured tells the insurer a debtor does not pay and hands the debt to collections.
    Its figures are those of the day it was made."""

    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+"
    )
    debtor = models.ForeignKey(
        "debtors.Debtor", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+"
    )
    notified_on = models.DateField(_("notified on"))
    reason = models.CharField(
        _("reason for non-payment"), max_length=20, choices=NonPaymentReason.choices
    )
    details = models.CharField(
        _("details"), max_length=REASON_MAX, blank=True, validators=[plain_multiline_text]
    )
    disputed = models.BooleanField(_("the debt is disputed"), default=False)
    invoices = models.ManyToManyField(Invoice, verbose_name=_("overdue invoices"), related_name="+")
    overdue_amount = money_field(_("overdue"))
    exposure_amount = money_field(_("whole exposure"))
    deadline = models.DateField(_("notification deadline"), null=True, blank=True)
    late = models.BooleanField(_("notified late"), default=False)
    cover_lost = money_field(_("cover lost by late notice"), default=0)
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("Everything notified was paid, or the claim on it was settled."),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = _by_user(_("notified by"))
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("overdue notification")
        verbose_name_plural = _("overdue notifications")
        ordering = ["-notified_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "debtor"],
                condition=Q(closed_on__isnull=True),
                name="one_open_notification_per_debtor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.debtor} {self.notified_on}"


class CoverCheck(models.Model):
    """One answer to "may I deliver this amount to this debtor on these terms?", kept with
    the id the ERP stores: proof of what the insurer's system said at the time of delivery."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+"
    )
    debtor = models.ForeignKey(
        "debtors.Debtor", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+"
    )
    amount = money_field(_("amount"), positive=True)
    currency = models.CharField(_("currency"), max_length=3)
    terms_days = models.PositiveIntegerField(_("payment terms (days)"))
    delivery_date = models.DateField(_("delivery date"))
    covered = models.BooleanField(_("covered"))
    covered_amount = money_field(_("amount covered"))
    cover_left = money_field(_("cover left"))
    limit_amount = money_field(_("limit on the delivery date"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    asked_by = _by_user(_("asked by"))

    class Meta:
        verbose_name = _("cover check")
        verbose_name_plural = _("cover checks")
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["policy", "debtor", "asked_at"])]

    def __str__(self) -> str:
        return str(self.id)


class NoticeKind(models.TextChoices):
    WARN_14 = "warn_14", _("Notification deadline in 14 days")
    WARN_7 = "warn_7", _("Notification deadline in 7 days")
    DEADLINE_TODAY = "deadline_today", _("Notification deadline today")
    NOTIFIED_LATE = "notified_late", _("Notification deadline passed")
    STOP_DELIVERY = "stop_delivery", _("Stop delivery")
    STOP_LIFTED = "stop_lifted", _("Stop delivery lifted")
    # After the notification (claims.services.deadlines, DOMAIN.md's step 4)
    CLAIM_WAITING = "claim_waiting", _("Waiting period started")
    CLAIM_MAY_FILE = "claim_may_file", _("A claim may be filed")
    FILING_WARN_14 = "filing_warn_14", _("Claim filing deadline in 14 days")
    FILING_WARN_7 = "filing_warn_7", _("Claim filing deadline in 7 days")
    FILING_TODAY = "filing_today", _("Claim filing deadline today")


class DeadlineNotice(models.Model):
    """The ledger of what the deadline jobs told whom: one row per notice, under a key that
    makes a second run on the same day send nothing."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+"
    )
    debtor = models.ForeignKey(
        "debtors.Debtor", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"))
    amount = money_field(_("amount"), default=0)
    invoices = models.JSONField(_("invoices"), default=list, blank=True)
    run = models.ForeignKey(
        "core.JobRun", verbose_name=_("job run"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline notice")
        verbose_name_plural = _("deadline notices")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["policy", "debtor", "sent_on"])]

    def __str__(self) -> str:
        return self.key
