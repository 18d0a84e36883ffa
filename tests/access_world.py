"""The world of tests/test_access_matrix.py and the words of its tables.

The world: company A with its policies, declaration, limit, limit requests (one referred,
one approved with its letter) and message; company B with its own policy; debtors, a risk
event, a credit decision template; one user of each role; and what of A's no one else may
read. Everything of A's is made through the services, as users would make it.

The words: Rule (who may GET a route) and Write (who is refused a write, and with what).
"""

import json
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import InsuredCompany, Role
from claims.models import Claim, ClaimDocument, ClaimStatement, CollectionStep, Recovery
from claims.pdf import statement_render
from claims.services.claims import claim_assess, claim_document_add, claim_file
from claims.services.collections import collection_step_record
from claims.services.recoveries import recovery_record
from claims.services.settlement import claim_decide, claim_pay
from core.models import ImportJob, ImportLineError, ImportStatus, JobRun, Notification
from debtors import services as debtor_services
from debtors.models import CreditReport, Debtor, RiskEvent, RiskEventKind
from exposure import services as exposure_services
from exposure.models import (
    CoverCheck,
    CreditNote,
    ExtensionRequest,
    Invoice,
    OverdueNotification,
    Payment,
)
from exposure.services.cover import cover_check
from exposure.services.deadlines import deadlines_run_recorded
from exposure.services.notifications import overdue_notify
from limits import services as limit_services
from limits.models import (
    DecisionLetter,
    DecisionTemplate,
    Limit,
    LimitChange,
    LimitRequest,
    RequestStatus,
    TemplateRule,
)
from limits.uw_forms import TemplateEditor
from policies import services
from policies.models import (
    DocumentKind,
    Policy,
    PolicyDocument,
    TurnoverDeclaration,
)
from tests.factories import CompanyFactory, UserFactory
from tests.factories.limits import CreditReportFactory, DebtorFactory, default_template

ANON, INSURED_A, INSURED_B = "anonymous", "insured A", "insured B"
UNDERWRITER, CLAIMS, ADMIN = "underwriter", "claims handler", "admin"
ROLES = (ANON, INSURED_A, INSURED_B, UNDERWRITER, CLAIMS, ADMIN)

# A's limit requests carry references no one else may read; their amounts too.
REF_REFERRED, REF_APPROVED = "A-SECRET-REF-001", "A-SECRET-REF-002"
REFERRED_AMOUNT, APPROVED_AMOUNT = Decimal("271828"), Decimal("123457")
# The credit report of the debtor A holds a limit on: risk data, for staff and A only.
RATING, REPORT_SOURCE = 73, "RISK-SRC-H73"
# The debtor A holds a limit on has a real number, so the information provider can know it.
LIMITED_DEBTOR_NUMBER = "556677-8907"
# A's invoices on that debtor: their numbers are A's secrets.
INVOICE_NUMBER, OVERDUE_INVOICE_NUMBER = "A-INV-SECRET-7", "A-INV-SECRET-8"
# What A wrote when it filed its claim.
CLAIM_EVIDENCE = "A-CLAIM-SECRET-9: the debtor went bankrupt"

STAFF = frozenset({UNDERWRITER, CLAIMS, ADMIN})
UNDERWRITING = frozenset({UNDERWRITER, ADMIN})
CLAIMS_ROLES = frozenset({CLAIMS, ADMIN})
INSURED = frozenset({INSURED_A, INSURED_B})
SIGNED_IN = INSURED | STAFF
A_AND_STAFF = frozenset({INSURED_A}) | STAFF
ONLY_A, ONLY_B, ONLY_ADMIN = frozenset({INSURED_A}), frozenset({INSURED_B}), frozenset({ADMIN})
NOBODY = frozenset()

PAGE, API, PUBLIC = "page", "api", "public"


@dataclass(frozen=True)
class Rule:
    """Who may GET a route. `page`: anonymous → the login page; `api`: anonymous → 401.
    Signed-in roles not allowed get 403, or 404 when in `hidden` (the object is not theirs
    even to know of). `ok` is what an allowed role gets (405 for a POST-only view). `shows`:
    roles whose answer must contain A's `mark` (World.mark: A's policy number, the
    reference of A's referred limit request, the amount of A's limit, the link to A's
    letter), which B's answer never contains. `statuses` replaces all of this for a public
    route."""

    kind: str
    allowed: frozenset = NOBODY
    obj: str | None = None
    ok: int = 200
    hidden: frozenset = NOBODY
    shows: frozenset = NOBODY
    mark: str = "policy"
    statuses: dict = field(default_factory=dict)

    def expected(self, role: str) -> int:
        if self.kind == PUBLIC:
            return self.statuses[role]
        if role == ANON:
            return 302 if self.kind == PAGE else 401
        if role in self.allowed:
            return self.ok
        return 404 if role in self.hidden else 403


def _amount_spellings(amount: Decimal) -> tuple[str, ...]:
    """The amount as the API (123457.00) and the pages (123,457.00, 123 457,00) write it."""
    digits = f"{amount:.0f}"
    head, tail = digits[:-3], digits[-3:]
    return (digits, *(f"{head}{sep}{tail}" for sep in (",", "\u00a0", "\u202f", " ")))


def month_start(months_ago: int) -> date:
    return (timezone.localdate() - relativedelta(months=months_ago)).replace(day=1)


@dataclass
class World:
    users: dict
    company_a: InsuredCompany
    policy: Policy
    draft: Policy
    declaration: TurnoverDeclaration
    schedule: PolicyDocument
    b_policy: Policy
    debtor: Debtor  # A holds a limit on it; its credit report has RATING
    weak_debtor: Debtor  # rating 30: A's request on it waits for an underwriter
    spare_debtor: Debtor  # healthy, nobody's: new requests go here
    referred: LimitRequest
    approved: LimitRequest
    limit: Limit
    letter: DecisionLetter
    event: RiskEvent
    template: DecisionTemplate
    notification: Notification
    import_job: ImportJob  # an underwriter's finished credit report import, one bad line
    invoice: Invoice  # A's invoice on `debtor`, not yet due
    overdue_invoice: Invoice  # A's overdue invoice on `weak_debtor`, notified overdue
    payment: Payment
    credit_note: CreditNote
    extension: ExtensionRequest  # A's request for a due date beyond the extension period
    overdue_notice: OverdueNotification
    cover_answer: CoverCheck
    invoice_job: ImportJob  # A's finished invoice import
    job_run: JobRun  # a deadline run that told A of its stop delivery
    claim: Claim  # A's paid claim on `weak_debtor`, with a document and a recovery
    claim_document: ClaimDocument
    recovery: Recovery
    settlement_statement: ClaimStatement
    collection_step: CollectionStep

    def pk(self, obj: str | None) -> dict:
        """The URL values of a route opened on `obj` (most routes take the object's pk)."""
        match obj:
            case None:
                return {}
            case "claim_document":
                return {"pk": self.claim.pk, "doc_pk": self.claim_document.pk}
            case "claim_statement":
                return {"pk": self.claim.pk, "statement_id": self.settlement_statement.pk}
            case "unknown_calendar":
                return {"token": "no-such-calendar-token"}
        return {"pk": getattr(self, obj).pk}

    @property
    def secrets(self) -> tuple[str, ...]:
        """What of company A no one else may read. Debtors' names are not among them: the
        register is shared, every user finds every debtor."""
        return (
            self.policy.number,
            self.draft.number,
            self.company_a.name,
            REF_REFERRED,
            REF_APPROVED,
            INVOICE_NUMBER,
            OVERDUE_INVOICE_NUMBER,
            CLAIM_EVIDENCE,
            *_amount_spellings(REFERRED_AMOUNT),
            *_amount_spellings(APPROVED_AMOUNT),
        )

    def mark(self, name: str) -> str:
        """A text of A's that a page showing A's object must contain."""
        return {
            "policy": self.policy.number,
            "referred": REF_REFERRED,
            "amount": f"{APPROVED_AMOUNT:,.0f}",  # A's limit, as an English page writes it
            "letter": f"letters/{self.letter.pk}/download/",  # page and API alike
            "invoice": INVOICE_NUMBER,
            "overdue": OVERDUE_INVOICE_NUMBER,
            "claim": self.claim.number,
        }[name]


def build_world(capture=None) -> World:
    """`capture`: pytest-django's on-commit capture, to render the PDFs (the schedule, the
    decision letter); None skips them."""
    company_a = CompanyFactory(name="Alfa Stål AB", language="en")
    company_b = CompanyFactory(name="Beta Handel AB", language="en")
    users = {
        INSURED_A: UserFactory(role=Role.INSURED, company=company_a),
        INSURED_B: UserFactory(role=Role.INSURED, company=company_b),
        UNDERWRITER: UserFactory(role=Role.UNDERWRITER, company=None),
        CLAIMS: UserFactory(role=Role.CLAIMS, company=None),
        ADMIN: UserFactory(role=Role.ADMIN, company=None, is_staff=True, is_superuser=True),
    }
    for user in users.values():
        Token.objects.create(user=user)
    uw, insured = users[UNDERWRITER], users[INSURED_A]
    start = month_start(4)
    template = default_template()
    debtor = DebtorFactory(name="Hamn Trä AB", registration_number=LIMITED_DEBTOR_NUMBER)
    CreditReportFactory(debtor=debtor, rating=RATING, source=REPORT_SOURCE)
    weak_debtor = CreditReportFactory(rating=30).debtor
    spare_debtor = CreditReportFactory().debtor
    with capture(execute=True) if capture else nullcontext():
        policy = services.policy_create(
            actor=uw, insured=company_a, start_date=start, currency="SEK"
        )
        services.policy_issue(actor=uw, policy_id=policy.pk)
        draft = services.policy_create(actor=uw, insured=company_a, start_date=month_start(-2))
        approved = limit_services.limit_request_submit(
            actor=insured,
            policy_id=policy.pk,
            debtor_id=debtor.pk,
            amount=APPROVED_AMOUNT,
            reference=REF_APPROVED,
        )
        referred = limit_services.limit_request_submit(
            actor=insured,
            policy_id=policy.pk,
            debtor_id=weak_debtor.pk,
            amount=REFERRED_AMOUNT,
            reference=REF_REFERRED,
        )
    assert approved.status == RequestStatus.APPROVED, approved.reasons
    assert referred.status == RequestStatus.REFERRED, referred.reasons
    # Outside the capture: no one downloads these PDFs, and the risk event's alert job is not
    # these tests' business.
    b_policy = services.policy_create(actor=uw, insured=company_b, start_date=start)
    services.policy_issue(actor=uw, policy_id=b_policy.pk)
    declaration = services.declaration_submit(
        actor=insured, policy_id=policy.pk, period_start=start, turnover=Decimal(1)
    )
    event = debtor_services.risk_event_record(
        actor=uw,
        debtor=debtor,
        kind=RiskEventKind.RATING_DROP,
        occurred_on=timezone.localdate() - timedelta(days=5),
    )
    exposure = _exposure(insured, uw, policy, debtor, weak_debtor)
    claims = _claims(insured, users[CLAIMS], exposure["overdue_notice"])
    return World(
        **exposure,
        **claims,
        users=users,
        company_a=company_a,
        policy=policy,
        draft=draft,
        declaration=declaration,
        schedule=PolicyDocument.objects.get(policy=policy, kind=DocumentKind.SCHEDULE),
        b_policy=b_policy,
        debtor=debtor,
        weak_debtor=weak_debtor,
        spare_debtor=spare_debtor,
        referred=referred,
        approved=approved,
        limit=Limit.objects.get(policy=policy, debtor=debtor),
        letter=DecisionLetter.objects.get(request=approved),
        event=event,
        template=template,
        notification=Notification.objects.get(user=insured, url=f"/limits/requests/{approved.pk}/"),
        import_job=_import_job(uw),
    )


def _exposure(insured, uw, policy, debtor, weak_debtor) -> dict:
    """A's invoices, a payment and a credit note, an extension waiting for the insurer, an
    overdue notification, a cover check, an invoice import and a deadline run."""
    today = timezone.localdate()

    def report(debtor_, number, days_ago, terms):
        delivered = today - timedelta(days=days_ago)
        return exposure_services.invoice_report(
            actor=insured,
            policy_id=policy.pk,
            debtor_id=debtor_.pk,
            number=number,
            net_amount=Decimal("8000.00"),
            vat_amount=Decimal("2000.00"),
            currency=policy.currency,
            invoice_date=delivered,
            delivery_date=delivered,
            original_due_date=delivered + timedelta(days=terms),
        )

    invoice = report(debtor, INVOICE_NUMBER, 5, 30)
    overdue_invoice = report(weak_debtor, OVERDUE_INVOICE_NUMBER, 50, 30)
    payment = exposure_services.payment_record(
        actor=insured,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("1000.00"),
        received_on=today,
        invoice_id=invoice.pk,
    )
    credit_note = exposure_services.credit_note_record(
        actor=insured,
        invoice_id=invoice.pk,
        number="CN-1",
        amount=Decimal("500.00"),
        issued_on=today,
    )
    extension = exposure_services.invoice_extend(
        actor=insured,
        invoice_id=invoice.pk,
        due_date=invoice.original_due_date + timedelta(days=120),
        reason="Seasonal",
    )
    notice = overdue_notify(
        actor=insured, policy_id=policy.pk, debtor_id=weak_debtor.pk, reason="cash_flow"
    )
    answer = cover_check(
        actor=insured,
        policy_id=policy.pk,
        debtor_id=debtor.pk,
        amount=Decimal("100"),
        terms_days=30,
    )
    deadlines_run_recorded(today=today)
    invoice_job = ImportJob.objects.create(
        kind="invoices",
        created_by=insured,
        file="imports/invoices.csv",
        file_name="invoices.csv",
        mode="good",
        status=ImportStatus.DONE,
        progress=100,
        lines_read=1,
        lines_imported=1,
        options={"policy": policy.pk},
        result={"imported": 1, "skipped": 0},
    )
    return {
        "invoice": invoice,
        "overdue_invoice": overdue_invoice,
        "payment": payment,
        "credit_note": credit_note,
        "extension": extension,
        "overdue_notice": notice,
        "cover_answer": answer,
        "invoice_job": invoice_job,
        "job_run": JobRun.objects.get(name="exposure_deadlines"),
    }


def _claims(insured, handler, notice) -> dict:
    """A's claim on the notified debtor, filed with a document, adjusted, paid and partly
    recovered; and a collections step on the notification."""
    today = timezone.localdate()
    step = collection_step_record(
        actor=handler, notification_id=notice.pk, kind="reminder", done_on=today
    )
    claim = claim_file(
        actor=insured,
        policy_id=notice.policy_id,
        debtor_id=notice.debtor_id,
        cause="insolvency",
        insolvency_kind="bankruptcy",
        loss_date=today - timedelta(days=1),
        evidence=CLAIM_EVIDENCE,
    )
    document = claim_document_add(
        actor=insured,
        claim_id=claim.pk,
        kind="invoices",
        upload=SimpleUploadedFile("invoices.pdf", b"%PDF-1.4 A's invoices", "application/pdf"),
    )
    claim_assess(actor=handler, claim_id=claim.pk)
    claim_decide(
        actor=handler,
        claim_id=claim.pk,
        decision="adjust",
        amount=Decimal("1000.00"),
        reason="Agreed with the insured",
    )
    claim = claim_pay(actor=handler, claim_id=claim.pk, reference="PAY-A-1")
    recovery = recovery_record(
        actor=handler, claim_id=claim.pk, amount=Decimal("100.00"), received_on=today
    )
    statement = ClaimStatement.objects.get(claim=claim, kind="settlement")
    statement_render(statement_id=statement.pk)
    return {
        "claim": claim,
        "claim_document": document,
        "recovery": recovery,
        "settlement_statement": statement,
        "collection_step": step,
    }


def _import_job(uw) -> ImportJob:
    job = ImportJob.objects.create(
        kind="credit_reports",
        created_by=uw,
        file="imports/world.csv",
        file_name="world.csv",
        mode="good",
        status=ImportStatus.DONE,
        progress=100,
        lines_read=2,
        lines_imported=1,
        lines_failed=1,
        result={"debtors": 1, "reports": 1, "events": 0, "imported": 1, "skipped": 0},
    )
    ImportLineError.objects.create(
        job=job, line=3, column="rating", code="invalid", message="140 is not between 1 and 100."
    )
    return job


def client_for(world: World, role: str, path: str) -> Client:
    """Pages with a session, the API with the user's token; anonymous with neither."""
    is_api = path.startswith("/api/")
    client = APIClient() if is_api else Client()
    user = world.users.get(role)
    if user is not None:
        if is_api:
            client.credentials(HTTP_AUTHORIZATION=f"Token {user.auth_token.key}")
        else:
            client.force_login(user)
    return client


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", "replace")


def leaked(world: World, role: str, text: str) -> list[str]:
    """A's secrets in an answer to `role`. An insured user's own company name is in its page
    header everywhere."""
    own = {world.company_a.name} if role == INSURED_A else set()
    return [s for s in world.secrets if s in text and s not in own]


STATE_MODELS = [
    InsuredCompany,
    Policy,
    TurnoverDeclaration,
    PolicyDocument,
    Token,
    Debtor,
    CreditReport,
    RiskEvent,
    DecisionTemplate,
    TemplateRule,
    LimitRequest,
    Limit,
    LimitChange,
    DecisionLetter,
    Notification,
    ImportJob,
    Invoice,
    Payment,
    CreditNote,
    ExtensionRequest,
    OverdueNotification,
    CoverCheck,
    Claim,
    ClaimDocument,
    Recovery,
    ClaimStatement,
    CollectionStep,
    InsuredCompany.history.model,
    Policy.history.model,
    TurnoverDeclaration.history.model,
    Debtor.history.model,
    DecisionTemplate.history.model,
    TemplateRule.history.model,
]


def db_state() -> tuple:
    """Every row a write could touch, as one digest per table (one query), to compare before
    and after."""
    quote = connection.ops.quote_name
    digests = ", ".join(
        f"(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.{quote(m._meta.pk.column)}),"
        f" '')) FROM {quote(m._meta.db_table)} t)"
        for m in STATE_MODELS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {digests}")
        return cursor.fetchone()


# Writes: who is refused, and what they send ------------------------------------------------

DECISION = {"outcome": "partly_approve", "amount": "50000.00", "reason": "Weak rating"}
REDUCTION = {"amount": "100000.00", "reason": "Fewer orders"}


@dataclass(frozen=True)
class Write:
    route: str
    obj: str | None
    data: object  # the body, or a function of the world giving it (called for each request)
    refused: dict  # role → status
    allowed: tuple[str, int]  # a role that may, and its status
    method: str = "post"

    def body(self, world: World) -> dict:
        return self.data(world) if callable(self.data) else self.data


def refusals(kind: str, allowed: frozenset, hidden: frozenset = NOBODY, **special) -> dict:
    """Everyone but `allowed`: anonymous to the login page (401 on the API), `hidden` 404,
    the rest 403; `special` as given."""
    refused = {
        role: (302 if kind == PAGE else 401) if role == ANON else 404 if role in hidden else 403
        for role in ROLES
        if role not in allowed
    }
    return {**refused, **special}


def page_refusals(hidden: frozenset = NOBODY, allowed: frozenset = UNDERWRITING, **special):
    return refusals(PAGE, allowed, hidden, **special)


def api_refusals(allowed: frozenset = UNDERWRITING, hidden: frozenset = NOBODY, **special):
    return refusals(API, allowed, hidden, **special)


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def declared_period(world: World) -> dict:
    return {"period_start": month_start(3).isoformat(), "turnover": "1000", "note": ""}


def report_file(world: World) -> dict:
    """A CSV of one credit report on a new debtor (a fresh upload for every request)."""
    text = "country,registration_number,name,as_of,rating\n"
    text += f"SE,556036-0793,Delta AB,{days_ago(3)},55\n"
    return {"file": SimpleUploadedFile("reports.csv", text.encode(), content_type="text/csv")}


def limit_request_body(world: World) -> dict:
    """A new request of A's on a healthy debtor; B names A's policy, which it cannot see."""
    return {
        "policy": world.policy.pk,
        "debtor": world.spare_debtor.pk,
        "kind": "new",
        "amount": "150000",
        "payment_terms_days": "30",
        "reference": "ERP-1",
    }


def template_form(template=None, **changes) -> dict:
    """What the browser posts for the untouched template editor, with some inputs changed."""
    editor, data = TemplateEditor(template=template), {}
    for form in (editor.form, *editor.rules):
        for bound in form:
            if bound.field.widget.input_type == "checkbox":
                data[bound.html_name] = "on" if bound.value() else None
            else:
                shown = bound.field.widget.format_value(bound.value())
                data[bound.html_name] = "" if shown is None else shown
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def provider_directory(root: Path) -> Path:
    """An information provider's files with a newer report on the debtor A holds a limit
    on."""
    folder = root / "SE"
    folder.mkdir()
    report = {"name": "Hamn Trä AB", "as_of": days_ago(1), "rating": RATING - 5}
    (folder / f"{LIMITED_DEBTOR_NUMBER}.json").write_text(json.dumps(report))
    return root


# Query strings: every parameter a route reads, given values no filter can use -----------------

# A NUL byte (PostgreSQL refuses it in a query), a value longer than any filter's (and too many
# digits for int()), and a character str.isdigit() takes for a digit that int() refuses.
BAD_QUERY_VALUES = ("a\x00b", "9" * 5000, "x" * 5000, "\u00b2")


@contextmanager
def query_keys_read():
    """The names of the query parameters read while the block runs, whatever reads them (a
    view, a filter helper, a FilterSet, a template): the filters of a page are what it asks
    its query string for, so a new page's filters are found without a list to keep."""
    seen = set()

    def getitem(self, key):
        seen.add(key)
        return MultiValueDict.__getitem__(self, key)

    def contains(self, key):
        seen.add(key)
        return dict.__contains__(self, key)

    def getlist(self, key, default=None):
        seen.add(key)
        return MultiValueDict.getlist(self, key, default)

    with (
        patch.object(QueryDict, "__getitem__", getitem),
        patch.object(QueryDict, "__contains__", contains),
        patch.object(QueryDict, "getlist", getlist),
    ):
        yield seen
    # A template's `request.GET.urlencode` asks for the key "urlencode" first.
    seen.difference_update(name for name in list(seen) if hasattr(QueryDict, str(name)))
