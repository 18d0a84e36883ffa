"""The claims part of the demo data (`demo_data`): a collections case with its steps, a claim
waiting for documents, one waiting for a second approval and one paid with a recovery.

Everything goes through the services, on explicit dates before today as the exposure part
does: each debtor's invoices were delivered weeks ago, notified overdue on a past day, and the
collection steps and insolvencies are dated. What happens to a claim happens today (the
services date a filing, a decision and a payment today).

The claims sit on the Swedish policy once it has the history they need (its year starts on
1 January); early in the year, on the euro policy, at a tenth of the amounts."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

# Days before today the oldest delivery below needs within the policy.
HISTORY_DAYS = 80
# A collection demand's statutory fee in Sweden, in euro on the euro policy (11.50 SEK/EUR).
EURO_DEMAND_FEE = Decimal("15.65")


@dataclass(frozen=True)
class Case:
    """One debtor of the demo insured that stopped paying."""

    number: str
    name: str
    city: str
    limit: Decimal  # SEK; a tenth on the euro policy
    invoices: tuple  # (invoice number, days ago delivered, net SEK)
    notified_days_ago: int
    insolvency: tuple | None = None  # (risk event kind, days ago, details)


COLLECTIONS = Case(
    "556342-1121",
    "Kvarnbergs Snickeri AB",
    "Västerås",
    Decimal("150000"),
    (("K-501", 75, "60000"), ("K-502", 62, "45000")),
    notified_days_ago=28,
)
WAITING_DOCUMENTS = Case(
    "559201-4475",
    "Österlens Livs AB",
    "Simrishamn",
    Decimal("200000"),
    (("O-88", 70, "80000"), ("O-91", 50, "40000")),
    notified_days_ago=18,
    insolvency=("bankruptcy", 9, "Declared bankrupt by Ystads tingsrätt"),
)
SECOND_APPROVAL = Case(
    "556718-9039",
    "Mälardalens Elgrossist AB",
    "Eskilstuna",
    Decimal("700000"),
    (("M-1207", 72, "350000"), ("M-1244", 58, "250000")),
    notified_days_ago=21,
    insolvency=("liquidation", 7, "Compulsory liquidation ordered by Bolagsverket"),
)
PAID = Case(
    "559334-6504",
    "Vänerns Åkeri AB",
    "Karlstad",
    Decimal("100000"),
    (("V-310", 74, "60000"), ("V-322", 60, "55000")),
    notified_days_ago=35,
    insolvency=("bankruptcy", 30, "Declared bankrupt by Värmlands tingsrätt"),
)
CASES = (COLLECTIONS, WAITING_DOCUMENTS, SECOND_APPROVAL, PAID)


def claims_policy(sek, eur, today: date):
    """The Swedish policy once its year has the history the cases need, else the euro one."""
    return sek if (today - sek.start_date).days >= HISTORY_DAYS else eur


def load_claims(*, insured, underwriter, handler, sek, eur) -> list[int]:
    """Load the claims demo; returns the statements (ids) to render once committed."""
    from claims.models import ClaimStatement

    today = timezone.localdate()
    policy = claims_policy(sek, eur, today)
    scale = Decimal(1) if policy.currency == "SEK" else Decimal("0.1")
    debtors = {case: _debtor(case, policy, insured, underwriter, scale, today) for case in CASES}
    notices = {
        case: _notify(case, policy, debtors[case], insured, underwriter, scale, today)
        for case in CASES
    }

    _collections(notices[COLLECTIONS], policy, handler, today)
    _waiting_documents(policy, debtors[WAITING_DOCUMENTS], insured, handler)
    _second_approval(policy, debtors[SECOND_APPROVAL], insured, handler)
    paid = _paid(policy, debtors[PAID], insured, handler, scale, today)
    return list(ClaimStatement.objects.filter(claim=paid).values_list("pk", flat=True))


def _debtor(case: Case, policy, insured, underwriter, scale: Decimal, today: date):
    """The debtor in the register with a clean credit report, and a limit granted at once
    (in force since before its first delivery: demo history, as the exposure part has it)."""
    from debtors.services import credit_report_add, debtor_register
    from limits import timeline
    from limits.models import LimitChange
    from limits.services import limit_request_submit

    debtor = debtor_register(
        actor=underwriter,
        country="SE",
        registration_number=case.number,
        name=case.name,
        legal_form="AB",
        city=case.city,
    )
    credit_report_add(
        debtor=debtor,
        source="Demo credit bureau file",
        as_of=today - timedelta(days=HISTORY_DAYS + 10),
        legal_form="AB",
        rating=70,
        turnover=Decimal("60000000"),
        result=Decimal("2500000"),
        equity_ratio=Decimal("30.0"),
        registered_on=date(2006, 5, 1),
        f_tax=True,
        vat_registered=True,
        employer_registered=True,
        clean_audit=True,
        debt_balance=Decimal(0),
        accounts_closed_on=date(today.year - 1, 12, 31),
        employees=35,
    )
    limit_request_submit(
        actor=insured,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        amount=case.limit * scale,
        reference=f"Demo {case.name}",
    )
    LimitChange.objects.filter(
        limit__policy=policy, limit__debtor=debtor, kind__in=timeline.APPROVALS
    ).update(effective_from=max(policy.start_date, today - timedelta(days=HISTORY_DAYS)))
    return debtor


def _notify(case: Case, policy, debtor, insured, underwriter, scale: Decimal, today: date):
    """The case's invoices (30 days' terms, unpaid), notified overdue on a past day; the
    debtor's insolvency, if any, recorded after."""
    from debtors.services import risk_event_record
    from exposure.services.invoices import invoices_report
    from exposure.services.notifications import overdue_notify

    items = []
    for number, days_ago, net in case.invoices:
        delivered = today - timedelta(days=days_ago)
        amount = Decimal(net) * scale
        items.append(
            {
                "debtor": debtor.pk,
                "number": number,
                "net_amount": amount,
                "vat_amount": (amount * Decimal("0.25")).quantize(Decimal("0.01")),
                "currency": policy.currency,
                "invoice_date": delivered,
                "delivery_date": delivered,
                "original_due_date": delivered + timedelta(days=30),
                "reference": f"Order {number}",
            }
        )
    invoices_report(actor=insured, policy_id=policy.pk, items=items)
    notice = overdue_notify(
        actor=insured,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        reason="cash_flow",
        details="No payment since the first invoice fell due; reminders unanswered.",
        notified_on=today - timedelta(days=case.notified_days_ago),
    )
    if case.insolvency:
        kind, days_ago, details = case.insolvency
        risk_event_record(
            actor=underwriter,
            debtor=debtor,
            kind=kind,
            occurred_on=today - timedelta(days=days_ago),
            source="Demo credit bureau alert",
            details=details,
        )
    return notice


def _collections(notice, policy, handler, today: date) -> None:
    """A reminder, a collection demand with its fee, and the application to the enforcement
    authority twelve days or more after the demand: the debtor may still object."""
    from claims.services.collections import collection_step_record

    notified = notice.notified_on
    steps = (
        ("reminder", notified + timedelta(days=1), "Reminder sent by letter and email.", None),
        (
            "demand",
            notified + timedelta(days=4),
            "Collection demand sent; the debtor did not answer.",
            None if policy.currency == "SEK" else EURO_DEMAND_FEE,
        ),
        (
            "enforcement",
            today - timedelta(days=10),
            "Application for an order to pay filed with Kronofogden.",
            None,
        ),
    )
    for kind, done_on, note, fee in steps:
        collection_step_record(
            actor=handler,
            notification_id=notice.pk,
            kind=kind,
            done_on=done_on,
            note=note,
            fee=fee,
        )


def _file(policy, debtor, insured, handler, kind: str, evidence: str):
    """The insured files an insolvency claim; the handler takes it up."""
    from claims.services.claims import claim_assess, claim_file

    claim = claim_file(
        actor=insured,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        cause="insolvency",
        insolvency_kind=kind,
        evidence=evidence,
    )
    return claim_assess(actor=handler, claim_id=claim.pk)


def _waiting_documents(policy, debtor, insured, handler) -> None:
    """Filed with three documents; the handler asks for the proof of delivery."""
    from claims.services.claims import claim_document_add, claim_documents_ask
    from exposure.models import Invoice

    claim = _file(
        policy,
        debtor,
        insured,
        handler,
        "bankruptcy",
        "The debtor was declared bankrupt; the administrator has our claim on the estate.",
    )
    invoices = ", ".join(number for number, *_ in WAITING_DOCUMENTS.invoices)
    rows = Invoice.objects.filter(policy=policy, debtor=debtor).order_by("delivery_date")
    ledger = "".join(f"{i.number};{i.delivery_date};{i.open_amount}\n" for i in rows)
    head = f"invoice;delivered;unpaid ({policy.currency})\n"
    documents = (
        ("invoices", "invoices.csv", head + ledger),
        ("account_statement", "account-statement.csv", head + ledger),
        (
            "insolvency_proof",
            "administrator-acknowledgement.txt",
            "The administrator acknowledges the debt of the invoices " + invoices + ".\n",
        ),
    )
    for kind, name, text in documents:
        claim_document_add(
            actor=insured,
            claim_id=claim.pk,
            kind=kind,
            upload=SimpleUploadedFile(name, text.encode(), content_type="text/plain"),
        )
    claim_documents_ask(
        actor=handler,
        claim_id=claim.pk,
        kinds=["proof_of_delivery", "correspondence"],
        message=(
            f"Please send the signed delivery notes for invoices {invoices}, "
            "and your reminders to the debtor."
        ),
    )


def _second_approval(policy, debtor, insured, handler) -> None:
    """Approved by one handler above the policy's four-eyes amount: a second must agree."""
    from claims.services.settlement import claim_decide

    claim = _file(
        policy,
        debtor,
        insured,
        handler,
        "liquidation",
        "The debtor is in compulsory liquidation; the liquidator confirmed our claim.",
    )
    claim_decide(actor=handler, claim_id=claim.pk, decision="approve")


def _paid(policy, debtor, insured, handler, scale: Decimal, today: date):
    """Approved at the calculation (the limit caps the loss), paid, and a first dividend from
    the estate recovered and split."""
    from claims.services.recoveries import recovery_record
    from claims.services.settlement import claim_decide, claim_pay

    claim = _file(
        policy,
        debtor,
        insured,
        handler,
        "bankruptcy",
        "The debtor was declared bankrupt; both invoices are unpaid.",
    )
    claim_decide(actor=handler, claim_id=claim.pk, decision="approve")
    claim = claim_pay(actor=handler, claim_id=claim.pk, reference=f"Payment {claim.number}")
    recovery_record(
        actor=handler,
        claim_id=claim.pk,
        amount=Decimal("23000") * scale,
        received_on=today,
        source="First dividend from the bankruptcy estate",
    )
    return claim
