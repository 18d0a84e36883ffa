"""Collections on a notified debt, the claim that follows, its documents, its settlement and
the recoveries after payment (DOMAIN.md, "Overdue, collections and claims").

The collections case of a debtor is its overdue notification (exposure) with the steps
recorded here; its plan (next action, who, by when) is `claims.collections`. A claim's
amount is never typed: it is `claims.calculation.claim_amount`, and the figures it settled on
are kept on the claim as they were (`calculation`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.text import REASON_MAX, plain_multiline_text, plain_text
from policies.models import money_field


def _by_user(verbose_name, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


# Collections --------------------------------------------------------------------------------


class StepKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    DEMAND = "demand", _("Collection demand")
    ENFORCEMENT = "enforcement", _("Application to the enforcement authority")
    OBJECTION = "objection", _("The debtor objected")
    COURT = "court", _("Taken to court")
    COURT_DECISION = "court_decision", _("Dispute settled")


class CollectionStep(models.Model):
    """One step of collections on a notified debt, as staff recorded it."""

    notification = models.ForeignKey(
        "exposure.OverdueNotification",
        verbose_name=_("overdue notification"),
        on_delete=models.PROTECT,
        related_name="collection_steps",
    )
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    done_on = models.DateField(_("date"))
    fee = money_field(_("fee"), default=0)
    pay_by = models.DateField(_("to pay by"), null=True, blank=True)
    note = models.CharField(
        _("note"), max_length=REASON_MAX, blank=True, validators=[plain_multiline_text]
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = _by_user(_("recorded by"))

    class Meta:
        verbose_name = _("collection step")
        verbose_name_plural = _("collection steps")
        ordering = ["done_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on}"


# Claims -------------------------------------------------------------------------------------


class Cause(models.TextChoices):
    INSOLVENCY = "insolvency", _("Insolvency")
    PROTRACTED_DEFAULT = "protracted_default", _("Protracted default")
    POLITICAL = "political", _("Political risk")


class InsolvencyKind(models.TextChoices):
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    LIQUIDATION = "liquidation", _("Liquidation")
    COMPOSITION = "composition", _("Composition with creditors")


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    ASSESSMENT = "assessment", _("Under assessment")
    WAITING_DOCUMENTS = "waiting_documents", _("Waiting for documents")
    SECOND_APPROVAL = "second_approval", _("Waiting for a second approval")
    APPROVED = "approved", _("Approved")
    ADJUSTED = "adjusted", _("Adjusted")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    ClaimStatus.FILED,
    ClaimStatus.ASSESSMENT,
    ClaimStatus.WAITING_DOCUMENTS,
    ClaimStatus.SECOND_APPROVAL,
    ClaimStatus.APPROVED,
    ClaimStatus.ADJUSTED,
)
# A claim in these uses the policy year's maximum liability with its indemnity.
USING_LIABILITY = (
    ClaimStatus.SECOND_APPROVAL,
    ClaimStatus.APPROVED,
    ClaimStatus.ADJUSTED,
    ClaimStatus.PAID,
)
ASSESSING = (ClaimStatus.FILED, ClaimStatus.ASSESSMENT)


class Claim(models.Model):
    """The insured's claim for its loss on one debtor under one policy."""

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    policy = models.ForeignKey(
        "policies.Policy", verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+"
    )
    debtor = models.ForeignKey(
        "debtors.Debtor", verbose_name=_("debtor"), on_delete=models.PROTECT, related_name="+"
    )
    notification = models.ForeignKey(
        "exposure.OverdueNotification",
        verbose_name=_("overdue notification"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    currency = models.CharField(_("currency"), max_length=3)
    cause = models.CharField(_("cause of loss"), max_length=20, choices=Cause.choices)
    insolvency_kind = models.CharField(
        _("kind of insolvency"), max_length=20, choices=InsolvencyKind.choices, blank=True
    )
    loss_date = models.DateField(_("date of loss"))
    evidence = models.CharField(
        _("what happened"), max_length=REASON_MAX, validators=[plain_multiline_text]
    )
    filed_on = models.DateField(_("filed on"))
    filing_deadline = models.DateField(_("claim filing deadline"))
    policy_year = models.PositiveIntegerField(_("policy year"))
    status = FSMField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.FILED
    )
    claimed_amount = money_field(
        _("indemnity at filing"), help_text=_("What the calculation gave on the day of filing.")
    )
    # The settlement: the calculation it was decided on, kept as it was.
    calculation = models.JSONField(_("calculation"), default=dict, blank=True)
    calculated_amount = money_field(_("indemnity calculated"), null=True, blank=True)
    indemnity = money_field(_("indemnity"), null=True, blank=True)
    decision_reason = models.CharField(
        _("reason"), max_length=REASON_MAX, blank=True, validators=[plain_multiline_text]
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = _by_user(_("decided by"))
    second_approved_at = models.DateTimeField(_("second approval"), null=True, blank=True)
    second_approved_by = _by_user(_("second approval by"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(
        _("payment reference"), max_length=100, blank=True, validators=[plain_text]
    )
    paid_by = _by_user(_("paid by"))
    documents_requested = models.JSONField(_("documents asked for"), default=list, blank=True)
    documents_message = models.CharField(
        _("message to the insured"),
        max_length=REASON_MAX,
        blank=True,
        validators=[plain_multiline_text],
    )
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    created_by = _by_user(_("filed by"))
    history = HistoricalRecords(excluded_fields=["created_at", "calculation"])

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "debtor"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="one_open_claim_per_debtor",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "filed_on"]),
            models.Index(fields=["policy", "policy_year", "status"]),
        ]

    def __str__(self) -> str:
        return self.number or str(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def requested_documents(self) -> list[str]:
        """The documents the handler asked for, by name."""
        return [
            str(DocumentKind(k).label) for k in self.documents_requested if k in DocumentKind.values
        ]

    # Allowed status changes, declared here and applied by claims.services through
    # core.status.
    @transition(field=status, source=ClaimStatus.FILED, target=ClaimStatus.ASSESSMENT)
    def start_assessment(self):
        """A claims handler takes the claim up."""

    @transition(field=status, source=list(ASSESSING), target=ClaimStatus.WAITING_DOCUMENTS)
    def ask_documents(self):
        """The handler asks the insured for documents: the claim waits for the insured."""

    @transition(field=status, source=ClaimStatus.WAITING_DOCUMENTS, target=ClaimStatus.ASSESSMENT)
    def documents_sent(self):
        """The insured says the documents asked for are there."""

    @transition(field=status, source=list(ASSESSING), target=ClaimStatus.APPROVED)
    def approve(self):
        """Approved at the calculated indemnity, at or below the four-eyes amount."""

    @transition(field=status, source=list(ASSESSING), target=ClaimStatus.ADJUSTED)
    def adjust(self):
        """Approved at another amount, with the reason, at or below the four-eyes amount."""

    @transition(field=status, source=list(ASSESSING), target=ClaimStatus.SECOND_APPROVAL)
    def propose(self):
        """Approved or adjusted above the four-eyes amount: a second handler must agree."""

    @transition(field=status, source=ClaimStatus.SECOND_APPROVAL, target=ClaimStatus.APPROVED)
    def second_approve(self):
        """A second handler agrees with an approval."""

    @transition(field=status, source=ClaimStatus.SECOND_APPROVAL, target=ClaimStatus.ADJUSTED)
    def second_approve_adjusted(self):
        """A second handler agrees with an adjustment."""

    @transition(field=status, source=ClaimStatus.SECOND_APPROVAL, target=ClaimStatus.ASSESSMENT)
    def send_back(self):
        """The second handler does not agree: the claim is assessed again."""

    @transition(
        field=status,
        source=[*ASSESSING, ClaimStatus.WAITING_DOCUMENTS],
        target=ClaimStatus.REFUSED,
    )
    def refuse(self):
        """Refused, with the reason."""

    @transition(
        field=status, source=[ClaimStatus.APPROVED, ClaimStatus.ADJUSTED], target=ClaimStatus.PAID
    )
    def pay(self):
        """The indemnity is paid."""

    @transition(
        field=status,
        source=[*ASSESSING, ClaimStatus.WAITING_DOCUMENTS],
        target=ClaimStatus.WITHDRAWN,
    )
    def withdraw(self):
        """The insured withdraws the claim before it is decided."""


class DocumentKind(models.TextChoices):
    INVOICES = "invoices", _("The unpaid invoices")
    ACCOUNT_STATEMENT = "account_statement", _("Statement of the debtor's account")
    PROOF_OF_DELIVERY = "proof_of_delivery", _("Proof of delivery")
    CORRESPONDENCE = "correspondence", _("Correspondence with the debtor")
    COLLECTION_HISTORY = "collection_history", _("Collection history")
    INSOLVENCY_PROOF = "insolvency_proof", _("Proof of insolvency")
    POLITICAL_EVENT = "political_event", _("Proof of the political event")
    OTHER = "other", _("Other")


def claim_document_path(instance, filename):
    return f"claims/{instance.claim_id}/documents/{filename}"


class ClaimDocument(models.Model):
    """A file the insured (or a handler) added to a claim as evidence."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=claim_document_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("note"), max_length=500, blank=True, validators=[plain_text])
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = _by_user(_("uploaded by"))

    class Meta:
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Recovery(models.Model):
    """Money recovered from the debtor after the claim was paid, and how it is split."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="recoveries"
    )
    received_on = models.DateField(_("received on"))
    amount = money_field(_("amount recovered"), positive=True)
    source = models.CharField(
        _("from"), max_length=REASON_MAX, blank=True, validators=[plain_multiline_text]
    )
    on_insured_loss = money_field(_("on the insured loss"))
    on_excess = money_field(_("on the uninsured excess"))
    to_insurer = money_field(_("to the insurer"))
    to_insured = money_field(_("to the insured"))
    split = models.JSONField(_("split"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = _by_user(_("recorded by"))

    class Meta:
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount} {self.received_on}"


class StatementKind(models.TextChoices):
    SETTLEMENT = "settlement", _("Settlement statement")
    RECOVERY = "recovery", _("Recovery statement")


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def statement_path(instance, filename):
    return f"claims/{instance.claim_id}/{filename}"


class ClaimStatement(models.Model):
    """A statement PDF of a claim (its settlement, or a recovery), in the insured's language;
    rendered once by core.stored_pdf and never changed."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="statements"
    )
    recovery = models.OneToOneField(
        Recovery,
        verbose_name=_("recovery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StatementKind.choices)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StatementStatus.choices,
        default=StatementStatus.PENDING,
    )
    file = models.FileField(_("file"), upload_to=statement_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("claim statement")
        verbose_name_plural = _("claim statements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.claim}"

    @property
    def filename(self) -> str:
        return f"{self.claim.number}-{self.kind}-{self.pk}.pdf"
