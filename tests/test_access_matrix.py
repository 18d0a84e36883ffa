"""Every route of the project, for every role: who may open it, who is refused, and that a
refusal (or another company's view) never shows company A's data.

ACCESS must name every route the URL configuration has: a new route fails
`test_every_route_is_in_the_table` until someone decides here who may open it.
"""

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from policies import services
from policies.forms import PolicyTermsForm
from policies.models import (
    DocumentKind,
    DocumentStatus,
    InsuredCompany,
    Policy,
    PolicyDocument,
    TurnoverDeclaration,
)
from tests.factories import CompanyFactory, UserFactory
from tests.forms import posted

ANON, INSURED_A, INSURED_B = "anonymous", "insured A", "insured B"
UNDERWRITER, CLAIMS, ADMIN = "underwriter", "claims handler", "admin"
ROLES = (ANON, INSURED_A, INSURED_B, UNDERWRITER, CLAIMS, ADMIN)
STAFF = frozenset({UNDERWRITER, CLAIMS, ADMIN})
UNDERWRITING = frozenset({UNDERWRITER, ADMIN})
SIGNED_IN = frozenset({INSURED_A, INSURED_B}) | STAFF
A_AND_STAFF = frozenset({INSURED_A}) | STAFF
NOBODY = frozenset()

# Never walked: the admin site (tested below by its front door), the language switch.
SKIPPED_PREFIXES = ("admin/", "i18n/", "jsi18n/", "static/", "media/")

PAGE, API, PUBLIC = "page", "api", "public"


@dataclass(frozen=True)
class Rule:
    """Who may GET a route. `page`: anonymous → the login page; `api`: anonymous → 401.
    Signed-in roles not allowed get 403, or 404 when in `hidden` (the object is not theirs
    even to know of). `ok` is what an allowed role gets (405 for a POST-only view). `shows`:
    roles whose answer must contain A's policy number. `statuses` replaces all of this for a
    public route."""

    kind: str
    allowed: frozenset = NOBODY
    obj: str | None = None
    ok: int = 200
    hidden: frozenset = NOBODY
    shows: frozenset = NOBODY
    statuses: dict = field(default_factory=dict)

    def expected(self, role: str) -> int:
        if self.kind == PUBLIC:
            return self.statuses[role]
        if role == ANON:
            return 302 if self.kind == PAGE else 401
        if role in self.allowed:
            return self.ok
        return 404 if role in self.hidden else 403


ACCESS = {
    # Accounts
    "home": Rule(PAGE, SIGNED_IN),
    "login": Rule(PUBLIC, statuses={ANON: 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "logout": Rule(PUBLIC, statuses=dict.fromkeys(ROLES, 405)),  # POST only
    "account-token": Rule(PAGE, SIGNED_IN),
    # Policy pages (A's issued policy, A's draft, A's schedule)
    "policy-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF),
    "policy-create": Rule(PAGE, UNDERWRITING),
    "policy-detail": Rule(PAGE, A_AND_STAFF, obj="policy", hidden={INSURED_B}, shows=A_AND_STAFF),
    "policy-terms": Rule(PAGE, UNDERWRITING, obj="policy", shows=UNDERWRITING),
    "policy-issue": Rule(PAGE, UNDERWRITING, obj="draft", ok=405),
    "policy-cancel": Rule(PAGE, UNDERWRITING, obj="policy", shows=UNDERWRITING),
    "declaration-create": Rule(
        PAGE, {INSURED_A}, obj="policy", hidden={INSURED_B}, shows={INSURED_A}
    ),
    "declaration-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF),
    "document-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF),
    "document-download": Rule(PAGE, A_AND_STAFF, obj="schedule", hidden={INSURED_B}),
    "company-list": Rule(PAGE, UNDERWRITING),
    "company-create": Rule(PAGE, UNDERWRITING),
    # REST API v1
    "api-token": Rule(PUBLIC, statuses=dict.fromkeys(ROLES, 405)),  # POST only
    "api-policy-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF),
    "api-policy-detail": Rule(
        API, A_AND_STAFF, obj="policy", hidden={INSURED_B}, shows=A_AND_STAFF
    ),
    # POST-only actions: a GET is refused as a method to every signed-in role; who may POST
    # is checked by test_a_refused_write_changes_nothing.
    "api-policy-issue": Rule(API, SIGNED_IN, obj="draft", ok=405),
    "api-policy-cancel": Rule(API, SIGNED_IN, obj="policy", ok=405),
    "api-declaration-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF),
    "api-declaration-detail": Rule(
        API, A_AND_STAFF, obj="declaration", hidden={INSURED_B}, shows=A_AND_STAFF
    ),
    "api-document-list": Rule(API, SIGNED_IN),
    "api-document-detail": Rule(API, A_AND_STAFF, obj="schedule", hidden={INSURED_B}),
    "api-document-download": Rule(API, A_AND_STAFF, obj="schedule", hidden={INSURED_B}),
    # The API's description is public, as its documentation pages are.
    "api-schema": Rule(PUBLIC, statuses=dict.fromkeys(ROLES, 200)),
    "api-docs": Rule(PUBLIC, statuses=dict.fromkeys(ROLES, 200)),
}


def discovered_routes(patterns=None, prefix: str = "", namespace: str = ""):
    """(route text, name) of every URL pattern, through every include."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from discovered_routes(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            yield route, f"{namespace}{p.name}" if p.name else None


def test_every_route_is_in_the_table():
    routes = list(discovered_routes())
    unnamed = [route for route, name in routes if name is None]
    assert not unnamed, f"Name these routes so the access table can list them: {unnamed}"
    names = {name for _, name in routes}
    assert not names - set(ACCESS), f"Routes with no access rule: {sorted(names - set(ACCESS))}"
    assert not set(ACCESS) - names, f"Rules for no route: {sorted(set(ACCESS) - names)}"


# The world: company A with an issued policy (schedule rendered), a draft and a declaration;
# company B with its own issued policy; one user of each role.


def _month_start(months_ago: int) -> date:
    return (timezone.localdate() - relativedelta(months=months_ago)).replace(day=1)


@dataclass
class World:
    users: dict
    policy: Policy
    draft: Policy
    declaration: TurnoverDeclaration
    schedule: PolicyDocument
    b_policy: Policy
    company_a: InsuredCompany

    def pk(self, obj: str | None) -> dict:
        return {} if obj is None else {"pk": getattr(self, obj).pk}

    @property
    def secrets(self) -> tuple[str, ...]:
        """What of company A no one else may read."""
        return (self.policy.number, self.draft.number, self.company_a.name)


def build_world(capture=None) -> World:
    """`capture`: pytest-django's on-commit capture, to render the PDFs; None skips them."""
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
    uw = users[UNDERWRITER]
    start = _month_start(4)
    with capture(execute=True) if capture else nullcontext():
        policy = services.policy_create(actor=uw, insured=company_a, start_date=start)
        services.policy_issue(actor=uw, policy_id=policy.pk)
        draft = services.policy_create(actor=uw, insured=company_a, start_date=_month_start(-2))
        b_policy = services.policy_create(actor=uw, insured=company_b, start_date=start)
        services.policy_issue(actor=uw, policy_id=b_policy.pk)
        declaration = services.declaration_submit(
            actor=users[INSURED_A], policy_id=policy.pk, period_start=start, turnover=Decimal(1)
        )
    schedule = PolicyDocument.objects.get(policy=policy, kind=DocumentKind.SCHEDULE)
    return World(users, policy, draft, declaration, schedule, b_policy, company_a)


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    return build_world(django_capture_on_commit_callbacks)


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


def access_problems(world: World, name: str, rule: Rule, role: str, response) -> list[str]:
    """What is wrong with one answer, as readable lines."""
    where = f"{name} as {role}"
    expected = rule.expected(role)
    problems = []
    if response.status_code != expected:
        problems.append(f"{where}: {response.status_code}, expected {expected}")
    if expected == 302 and rule.kind == PAGE and role == ANON:
        location = response.headers.get("Location", "")
        if not location.startswith(f"{reverse('login')}?next="):
            problems.append(f"{where}: redirected to {location!r}, not the login page")
    body = body_text(response)
    refused = response.status_code >= 400 or role in (ANON, INSURED_B)
    if refused:
        # An insured user's own company name is in its page header everywhere; the
        # refusal must still show nothing else of A's.
        own = {world.company_a.name} if role == INSURED_A else set()
        leaked = [s for s in world.secrets if s in body and s not in own]
        if leaked:
            problems.append(f"{where}: answer {response.status_code} shows A's {leaked}")
    if response.status_code == 200 and role in rule.shows and world.policy.number not in body:
        problems.append(f"{where}: 200 without A's policy {world.policy.number}")
    is_pdf = response.get("Content-Type") == "application/pdf" and body.startswith("%PDF")
    if name.endswith("download") and response.status_code == 200 and not is_pdf:
        problems.append(f"{where}: download is not a PDF")
    return problems


def test_each_role_gets_what_the_table_says_on_every_route(world):
    # Given: company A's schedule is ready to download
    assert world.schedule.status == DocumentStatus.READY
    problems = []
    for name, rule in sorted(ACCESS.items()):
        path = reverse(name, kwargs=world.pk(rule.obj))
        for role in ROLES:
            # When: each role opens the route
            response = client_for(world, role, path).get(path)
            # Then: the table's status, and A's data only for those who may read it
            problems += access_problems(world, name, rule, role, response)
    assert not problems, "\n".join(problems)


def test_admin_site_is_for_administrators_only(world):
    paths = [
        reverse("admin:index"),
        reverse("admin:policies_policy_changelist"),
        reverse("admin:policies_policy_change", args=[world.policy.pk]),
    ]
    for path in paths:
        for role in ROLES:
            response = client_for(world, role, path).get(path)
            if role == ADMIN:
                assert response.status_code == 200, (path, role)
            else:
                assert response.status_code == 302, (path, role)
                assert response["Location"].startswith(reverse("admin:login")), (path, role)


# Writes: a refused role changes nothing, and the same request by a role that may make it does.


def db_state() -> list:
    models = [
        InsuredCompany,
        Policy,
        TurnoverDeclaration,
        PolicyDocument,
        Token,
        InsuredCompany.history.model,
        Policy.history.model,
        TurnoverDeclaration.history.model,
    ]
    return [list(m.objects.order_by("pk").values()) for m in models]


@dataclass(frozen=True)
class Write:
    route: str
    obj: str | None
    data: object  # the body, or a function of the world giving it
    refused: dict  # role → status
    allowed: tuple[str, int]  # a role that may, and its status
    method: str = "post"

    def body(self, world: World) -> dict:
        return self.data(world) if callable(self.data) else self.data


def _page_refusals(hidden: frozenset = NOBODY, allowed: frozenset = UNDERWRITING) -> dict:
    return {
        role: 302 if role == ANON else 404 if role in hidden else 403
        for role in ROLES
        if role not in allowed
    }


def _api_refusals(allowed: frozenset = UNDERWRITING, **special) -> dict:
    refusals = {role: 401 if role == ANON else 403 for role in ROLES if role not in allowed}
    return {**refusals, **special}


def _declared_period(world: World) -> dict:
    return {"period_start": _month_start(3).isoformat(), "turnover": "1000", "note": ""}


WRITES = [
    Write(
        "policy-create",
        None,
        lambda w: posted(
            PolicyTermsForm(), insured=w.company_a.pk, start_date=_month_start(-1).isoformat()
        ),
        _page_refusals(),
        (UNDERWRITER, 302),
    ),
    Write(
        "policy-terms",
        "policy",
        lambda w: posted(
            PolicyTermsForm(instance=w.policy), insured_percentage="80", reason="Renegotiated"
        ),
        _page_refusals(),
        (UNDERWRITER, 302),
    ),
    Write("policy-issue", "draft", {}, _page_refusals(), (UNDERWRITER, 302)),
    Write("policy-cancel", "policy", {"reason": "Not paid"}, _page_refusals(), (ADMIN, 302)),
    Write(
        "declaration-create",
        "policy",
        _declared_period,
        _page_refusals(hidden={INSURED_B}, allowed={INSURED_A}),
        (INSURED_A, 302),
    ),
    Write(
        "company-create",
        None,
        {
            "name": "Gamma AB",
            "country": "SE",
            "registration_number": "556677-8907",
            "language": "sv",
        },
        _page_refusals(),
        (UNDERWRITER, 302),
    ),
    Write("account-token", None, {}, {ANON: 302}, (INSURED_A, 302)),
    Write(
        "api-policy-list",
        None,
        lambda w: {"insured": w.company_a.pk, "start_date": _month_start(-1).isoformat()},
        _api_refusals(),
        (UNDERWRITER, 201),
    ),
    Write(
        "api-policy-detail",
        "policy",
        {"insured_percentage": "80.00", "reason": "Renegotiated"},
        _api_refusals(),
        (ADMIN, 200),
        method="patch",
    ),
    Write("api-policy-issue", "draft", {}, _api_refusals(), (UNDERWRITER, 200)),
    Write("api-policy-cancel", "policy", {"reason": "Not paid"}, _api_refusals(), (ADMIN, 200)),
    Write(
        "api-declaration-list",
        None,
        lambda w: {**_declared_period(w), "policy": w.policy.pk},
        # B names a policy it cannot see: refused as an unknown id, like any id that does
        # not exist (400 on the `policy` field), never with A's data.
        _api_refusals(allowed={INSURED_A}, **{INSURED_B: 400}),
        (INSURED_A, 201),
    ),
]


@pytest.fixture
def light_world(db) -> World:
    """The same world without rendering PDFs: the writes never need them."""
    return build_world()


@pytest.mark.parametrize("write", WRITES, ids=[f"{w.method} {w.route}" for w in WRITES])
def test_a_refused_write_changes_nothing(light_world, write):
    world = light_world
    path = reverse(write.route, kwargs=world.pk(write.obj))
    body = write.body(world)
    send_kwargs = {"format": "json"} if path.startswith("/api/") else {}
    for role, status in write.refused.items():
        # Given: the database as it is
        before = db_state()
        # When: a role that may not makes the request
        client = client_for(world, role, path)
        response = getattr(client, write.method)(path, body, **send_kwargs)
        # Then: refused, nothing changed, nothing of A's shown
        assert response.status_code == status, (role, body_text(response)[:300])
        assert db_state() == before, role
        text = body_text(response)
        own = {world.company_a.name} if role == INSURED_A else set()
        assert not [s for s in world.secrets if s in text and s not in own], role
    # And the same request by a role that may changes the database (the request is valid)
    role, status = write.allowed
    before = db_state()
    client = client_for(world, role, path)
    response = getattr(client, write.method)(path, body, **send_kwargs)
    assert response.status_code == status, (role, body_text(response)[:500])
    assert db_state() != before


@pytest.mark.parametrize(
    "role",
    [
        INSURED_A,
        UNDERWRITER,
        CLAIMS,
        ADMIN,
    ],
)
def test_every_navigation_link_opens_for_the_role_shown_it(light_world, role):
    client = client_for(light_world, role, "/")
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    links = sorted(set(re.findall(r'href="(/[^"#]*)"', nav)))

    answers = {link: client.get(link).status_code for link in links}

    assert reverse("policy-list") in answers
    assert {link: status for link, status in answers.items() if status != 200} == {}
