"""Filing a claim and its life before settlement: assessment, documents asked for and sent,
withdrawal (DOMAIN.md, "A claim's life")."""

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ensure_acts_for
from accounts.models import Role, User
from core.exceptions import NotFound
from core.status import apply_transition, save_with_history
from exposure import timeline
from policies.models import Policy, PolicyStatus

from ..exceptions import ClaimConflict, ClaimInvalid, DocumentInvalid
from ..models import (
    OPEN_STATUSES,
    Cause,
    Claim,
    ClaimDocument,
    ClaimStatus,
    DocumentKind,
    InsolvencyKind,
)
from ..selectors import (
    calculate,
    filing_deadline_of,
    loss_date_of,
    open_notification,
    policy_year_number,
)

# Files a claim takes: PDF, images and the office formats insurers ask for, at most 10 MB.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# What each cause of loss needs on file (DOMAIN.md, "Documents").
COMMON_DOCUMENTS = (
    DocumentKind.INVOICES,
    DocumentKind.ACCOUNT_STATEMENT,
    DocumentKind.PROOF_OF_DELIVERY,
    DocumentKind.CORRESPONDENCE,
    DocumentKind.COLLECTION_HISTORY,
)
CHECKLIST = {
    Cause.INSOLVENCY: (*COMMON_DOCUMENTS, DocumentKind.INSOLVENCY_PROOF),
    Cause.PROTRACTED_DEFAULT: COMMON_DOCUMENTS,
    Cause.POLITICAL: (*COMMON_DOCUMENTS, DocumentKind.POLITICAL_EVENT),
}


def checklist(claim: Claim) -> list[tuple[str, str, bool]]:
    """(kind, label, there) for each document the claim's cause needs, then any other kind
    the handler asked for."""
    present = set(claim.documents.values_list("kind", flat=True))
    kinds = list(CHECKLIST[claim.cause])
    kinds += [k for k in claim.documents_requested if k not in kinds]
    return [(k, str(DocumentKind(k).label), k in present) for k in kinds]


def _is_handler(actor) -> bool:
    return actor is None or actor.role in (Role.CLAIMS, Role.ADMIN)


def _locked_claim(actor, claim_id: int) -> Claim:
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("policy", "debtor")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound(field="claim")
    ensure_acts_for(actor, claim.policy.insured_id, field="claim")
    return claim


def handler_claim(actor, claim_id: int) -> Claim:
    """The claim, locked, for a claims handler (anyone else: as if it did not exist)."""
    if not _is_handler(actor):
        raise NotFound(field="claim")
    return _locked_claim(actor, claim_id)


def _filing_window(
    policy: Policy, notified_on: date, cause: str, loss_date: date, today: date
) -> date:
    """The claim filing deadline, after checking the claim may be filed today."""
    terms = timeline.Terms.of(policy)
    if cause == Cause.PROTRACTED_DEFAULT and today < loss_date:  # the waiting period's end
        raise ClaimInvalid(
            _(
                "A claim for protracted default may be filed once the waiting period "
                "has ended, on %(day)s."
            )
            % {"day": loss_date.isoformat()},
            field="cause",
            code="waiting_period",
            may_file_from=loss_date.isoformat(),
        )
    deadline = filing_deadline_of(cause, notified_on=notified_on, loss_date=loss_date, terms=terms)
    if today > deadline:
        raise ClaimInvalid(
            _("The claim filing deadline was %(day)s: a claim filed later is refused.")
            % {"day": deadline.isoformat()},
            field="filed_on",
            code="filing_deadline_passed",
            deadline=deadline.isoformat(),
        )
    return deadline


@transaction.atomic
def claim_file(
    *,
    actor,
    policy_id: int,
    debtor_id: int,
    cause: str,
    evidence: str,
    loss_date: date | None = None,
    insolvency_kind: str = "",
) -> Claim:
    """File a claim on a notified debtor: insolvency (its kind and date), protracted default
    (once the waiting period has ended) or political risk (where the policy covers it), within
    the claim filing deadline."""
    today = timezone.localdate()
    policy = Policy.objects.select_related("insured").filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(field="policy")
    ensure_acts_for(actor, policy.insured_id, field="policy")
    if policy.status not in (PolicyStatus.ISSUED, PolicyStatus.EXPIRED):
        raise ClaimInvalid(
            _("Claims are filed under an issued policy; this one is %(status)s.")
            % {"status": policy.get_status_display()},
            field="policy",
            code="policy_not_in_force",
        )
    Policy.objects.select_for_update().filter(pk=policy.pk).first()  # one filing at a time
    if cause not in Cause.values:
        raise ClaimInvalid(_("Choose the cause of loss."), field="cause")
    evidence = (evidence or "").strip()
    if not evidence:
        raise ClaimInvalid(
            _("Say what happened: the event, and the evidence you have."), field="evidence"
        )
    notice = open_notification(policy.pk, debtor_id)
    if notice is None:
        raise ClaimInvalid(
            _(
                "Notify the debtor overdue first: a claim follows an overdue notification "
                "under this policy."
            ),
            field="debtor",
            code="not_notified",
        )
    if Claim.objects.filter(
        policy=policy, debtor_id=debtor_id, status__in=[s.value for s in OPEN_STATUSES]
    ).exists():
        raise ClaimConflict(
            _("A claim on this debtor is already open under this policy."),
            field="debtor",
            code="claim_open",
        )
    if cause == Cause.POLITICAL and not policy.political_risk:
        raise ClaimInvalid(
            _("This policy does not cover political risk."), field="cause", code="not_covered"
        )
    if cause == Cause.INSOLVENCY and insolvency_kind not in InsolvencyKind.values:
        raise ClaimInvalid(
            _("Say which insolvency: bankruptcy, liquidation or composition."),
            field="insolvency_kind",
        )
    if cause != Cause.INSOLVENCY:
        insolvency_kind = ""
    loss_date = loss_date_of(
        cause,
        notified_on=notice.notified_on,
        terms=timeline.Terms.of(policy),
        insolvent_since=notice.debtor.insolvent_since,
        given=loss_date,
    )
    if loss_date is None:
        message = (
            _("Give the date of the insolvency.")
            if cause == Cause.INSOLVENCY
            else _("Give the date of the political event.")
        )
        raise ClaimInvalid(message, field="loss_date")
    # (a protracted default's date of loss is the end of the waiting period: before it, the
    # refusal below names the day the claim may be filed)
    if cause != Cause.PROTRACTED_DEFAULT and loss_date > today:
        raise ClaimInvalid(_("The date lies in the future."), field="loss_date", code="in_future")
    deadline = _filing_window(policy, notice.notified_on, cause, loss_date, today)
    preview = calculate(policy, debtor_id, today=today, loss_date=loss_date)
    claim = Claim(
        policy=policy,
        debtor_id=debtor_id,
        notification=notice,
        currency=policy.currency,
        cause=cause,
        insolvency_kind=insolvency_kind,
        loss_date=loss_date,
        evidence=evidence,
        filed_on=today,
        filing_deadline=deadline,
        policy_year=policy_year_number(policy, loss_date),
        claimed_amount=preview.indemnity,
        created_by=actor,
    )
    claim.full_clean(exclude=["policy", "debtor", "notification", "created_by"])
    save_with_history(claim, actor=actor, reason=_("Claim filed"))
    claim.number = f"CL-{today.year}-{claim.pk:06d}"
    Claim.objects.filter(pk=claim.pk).update(number=claim.number)
    claim.history.filter(id=claim.pk).update(number=claim.number)
    transaction.on_commit(lambda: tell(claim.pk, "claim_filed", handlers=True))
    return claim


@transaction.atomic
def claim_assess(*, actor, claim_id: int) -> Claim:
    """A claims handler takes the claim up."""
    claim = handler_claim(actor, claim_id)
    return apply_transition(claim, "start_assessment", actor=actor, reason=_("Assessment started"))


@transaction.atomic
def claim_documents_ask(*, actor, claim_id: int, kinds: list[str], message: str) -> Claim:
    """The handler asks the insured for documents: the claim waits for the insured."""
    claim = handler_claim(actor, claim_id)
    kinds = list(dict.fromkeys(kinds or []))
    bad = [k for k in kinds if k not in DocumentKind.values]
    if bad:
        raise DocumentInvalid(
            _("Not a document a claim takes: %(kinds)s.") % {"kinds": ", ".join(map(str, bad))},
            field="kinds",
            code="unknown_kind",
            kinds=bad,
        )
    message = (message or "").strip()
    if not kinds and not message:
        raise DocumentInvalid(
            _("Name the documents you need, or say in the message what is missing."),
            field="kinds",
        )
    claim = apply_transition(
        claim,
        "ask_documents",
        actor=actor,
        reason=message or _("Documents asked for"),
        documents_requested=kinds,
        documents_message=message,
    )
    transaction.on_commit(lambda: tell(claim.pk, "claim_documents_asked"))
    return claim


@transaction.atomic
def claim_documents_sent(*, actor, claim_id: int, note: str = "") -> Claim:
    """The insured says the documents asked for are on the claim: it is assessed again."""
    claim = _locked_claim(actor, claim_id)
    claim = apply_transition(
        claim,
        "documents_sent",
        actor=actor,
        reason=(note or "").strip() or _("Documents sent"),
    )
    transaction.on_commit(lambda: tell(claim.pk, "claim_documents_sent", handlers=True))
    return claim


@transaction.atomic
def claim_withdraw(*, actor, claim_id: int, reason: str) -> Claim:
    claim = _locked_claim(actor, claim_id)
    reason = (reason or "").strip()
    if not reason:
        raise ClaimInvalid(_("Say why the claim is withdrawn."), field="reason")
    return apply_transition(claim, "withdraw", actor=actor, reason=reason)


@transaction.atomic
def claim_document_add(*, actor, claim_id: int, kind: str, upload, note: str = "") -> ClaimDocument:
    """Add a file to the claim (the insured while the claim is open, or a handler)."""
    claim = _locked_claim(actor, claim_id)
    if claim.status not in OPEN_STATUSES:
        raise ClaimConflict(
            _("The claim is %(status)s: documents can no longer be added.")
            % {"status": claim.get_status_display()},
            field="claim",
        )
    if kind not in DocumentKind.values:
        raise DocumentInvalid(_("Choose which document this is."), field="kind")
    if upload is None:
        raise DocumentInvalid(_("Choose a file."), field="file")
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][-200:]
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in DOCUMENT_TYPES:
        raise DocumentInvalid(
            _("Send a PDF, an image (PNG, JPEG), a spreadsheet or a text file; not %(name)s.")
            % {"name": name},
            field="file",
            code="file_type",
        )
    size = upload.size
    if not size:
        raise DocumentInvalid(_("The file is empty."), field="file", code="empty")
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentInvalid(_("The file is larger than 10 MB."), field="file", code="too_large")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = ClaimDocument(
        claim=claim,
        kind=kind,
        name=name,
        size=size,
        content_type=DOCUMENT_TYPES[extension],
        sha256=digest.hexdigest(),
        note=(note or "").strip()[:500],
        uploaded_by=actor,
    )
    document.file.save(name, upload, save=False)
    document.full_clean(exclude=["claim", "uploaded_by", "file"])
    document.save()
    return document


# Telling people -------------------------------------------------------------------------------


def tell(claim_id: int, template: str, *, handlers: bool = False, but: int | None = None) -> None:
    """Tell the insured's users (or, with `handlers`, the claims handlers) in the inbox and
    by email what happened to the claim."""
    from core.notify import notify_users

    claim = Claim.objects.select_related("policy__insured", "debtor").get(pk=claim_id)
    if handlers:
        users = User.objects.filter(role=Role.CLAIMS, is_active=True).exclude(pk=but)
    else:
        users = User.objects.filter(
            role=Role.INSURED, company_id=claim.policy.insured_id, is_active=True
        )
    with transaction.atomic():
        notify_users(users, template=template, context={"claim": claim}, url=f"/claims/{claim.pk}/")


def claim_status_label(status: str) -> str:
    return str(ClaimStatus(status).label)
