"""The world of tests/test_access_matrix.py: company A with its policies, declaration, limits,
limit requests, letter and message; company B with its own policy; one user of each role;
and what of A's no one else may read.

Everything of A's is made through the services, as users would make it.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from core.models import Notification
from debtors import services as debtor_services
from debtors.models import CreditReport, Debtor, RiskEvent, RiskEventKind
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
from policies import services
from policies.models import (
    DocumentKind,
    InsuredCompany,
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

    def pk(self, obj: str | None) -> dict:
        return {} if obj is None else {"pk": getattr(self, obj).pk}

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
            *_amount_spellings(REFERRED_AMOUNT),
            *_amount_spellings(APPROVED_AMOUNT),
        )

    def mark(self, name: str) -> str:
        """A text of A's that a page showing A's object must contain."""
        return {
            "policy": self.policy.number,
            "referred": REF_REFERRED,
            "amount": f"{APPROVED_AMOUNT:,.0f}",  # A's limit, as an English page writes it
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
        b_policy = services.policy_create(actor=uw, insured=company_b, start_date=start)
        services.policy_issue(actor=uw, policy_id=b_policy.pk)
        declaration = services.declaration_submit(
            actor=insured, policy_id=policy.pk, period_start=start, turnover=Decimal(1)
        )
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
    # Recorded outside the capture: the alert job it queues is not this test's business.
    event = debtor_services.risk_event_record(
        actor=uw,
        debtor=debtor,
        kind=RiskEventKind.RATING_DROP,
        occurred_on=timezone.localdate() - timedelta(days=5),
    )
    return World(
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
    )


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
    InsuredCompany.history.model,
    Policy.history.model,
    TurnoverDeclaration.history.model,
    Debtor.history.model,
    DecisionTemplate.history.model,
    TemplateRule.history.model,
]


def db_state() -> list:
    """Every row a write could touch, to compare before and after."""
    return [list(m.objects.order_by("pk").values()) for m in STATE_MODELS]
