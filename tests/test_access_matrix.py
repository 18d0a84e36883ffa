"""Every route of the project, for every role: who may open it, who is refused, and that a
refusal (or another company's view) never shows company A's data.

ACCESS must name every route the URL configuration has: a new route fails
`test_every_route_is_in_the_table` until someone decides here who may open it. The world the
routes are opened in (A's objects, the users, A's secrets) is in tests/access_world.py.
"""

import json
import re

import pytest
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from limits import services as limit_services
from policies.forms import PolicyTermsForm
from policies.models import DocumentStatus
from tests.access_world import (
    A_AND_STAFF,
    ADMIN,
    ANON,
    API,
    BAD_QUERY_VALUES,
    CLAIMS,
    CLAIMS_ROLES,
    DECISION,
    INSURED,
    INSURED_A,
    INSURED_B,
    ONLY_A,
    ONLY_ADMIN,
    ONLY_B,
    PAGE,
    PUBLIC,
    RATING,
    REDUCTION,
    REPORT_SOURCE,
    ROLES,
    SIGNED_IN,
    STAFF,
    UNDERWRITER,
    UNDERWRITING,
    Rule,
    World,
    Write,
    api_refusals,
    body_text,
    build_world,
    client_for,
    days_ago,
    db_state,
    declared_period,
    leaked,
    limit_request_body,
    month_start,
    page_refusals,
    provider_directory,
    query_keys_read,
    report_file,
    template_form,
)
from tests.forms import posted


def invoice_api_body(world, number: str) -> dict:
    """A new invoice of A's on the debtor A holds a limit on, delivered a week ago."""
    return {
        "debtor": world.debtor.pk,
        "number": number,
        "net_amount": "800.00",
        "vat_amount": "200.00",
        "invoice_date": days_ago(7),
        "delivery_date": days_ago(7),
        "original_due_date": days_ago(-23),
    }


def invoice_form_body(world, number: str) -> dict:
    return {**invoice_api_body(world, number), "policy": world.policy.pk}


# Never walked: the admin site (tested below by its front door), the language switch.
SKIPPED_PREFIXES = ("admin/", "i18n/", "jsi18n/", "static/", "media/")


def _a_only(kind: str, obj: str, **kwargs) -> Rule:
    """A's own object: A and staff read it, B is told it does not exist."""
    return Rule(kind, A_AND_STAFF, obj=obj, hidden=ONLY_B, **kwargs)


ACCESS = {
    # Accounts
    "home": Rule(PAGE, SIGNED_IN),
    "login": Rule(PUBLIC, statuses={ANON: 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "logout": Rule(PUBLIC, statuses=dict.fromkeys(ROLES, 405)),  # POST only
    "account-token": Rule(PAGE, SIGNED_IN),
    "inbox": Rule(PAGE, SIGNED_IN, shows=ONLY_A, mark="amount"),
    # Opening A's message follows its link (to A's request); nobody else has that message.
    "inbox-open": Rule(PAGE, ONLY_A, obj="notification", ok=302, hidden=SIGNED_IN - ONLY_A),
    # Policy pages (A's issued policy, A's draft, A's schedule)
    "policy-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF),
    "policy-create": Rule(PAGE, UNDERWRITING),
    "policy-detail": _a_only(PAGE, "policy", shows=A_AND_STAFF),
    "policy-terms": Rule(PAGE, UNDERWRITING, obj="policy", shows=UNDERWRITING),
    "policy-issue": Rule(PAGE, UNDERWRITING, obj="draft", ok=405),
    "policy-cancel": Rule(PAGE, UNDERWRITING, obj="policy", shows=UNDERWRITING),
    "declaration-create": Rule(PAGE, ONLY_A, obj="policy", hidden=ONLY_B, shows=ONLY_A),
    "declaration-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF),
    # Policy documents and decision letters in one list: A's letter shows to A and staff.
    "document-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF, mark="letter"),
    "document-download": _a_only(PAGE, "schedule"),
    "company-list": Rule(PAGE, UNDERWRITING),
    "company-create": Rule(PAGE, UNDERWRITING),
    # Debtor register: identity for everyone (risk data: test_risk_data_...); the debtor is
    # the one A holds a limit on.
    "debtor-list": Rule(PAGE, SIGNED_IN),
    "debtor-create": Rule(PAGE, SIGNED_IN),
    "debtor-lookup": Rule(PAGE, SIGNED_IN),
    "debtor-detail": Rule(PAGE, SIGNED_IN, obj="debtor"),
    "debtor-import": Rule(PAGE, UNDERWRITING),
    # An import job (core.imports): its page, progress and error report, for those who import.
    "import-job": Rule(PAGE, UNDERWRITING, obj="import_job"),
    "import-job-progress": Rule(PAGE, UNDERWRITING, obj="import_job"),
    "import-job-errors": Rule(PAGE, UNDERWRITING, obj="import_job"),
    "risk-event-create": Rule(PAGE, UNDERWRITING, obj="debtor"),
    # Limits and limit requests (A's limit, A's referred request, A's approval letter)
    "limit-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF, mark="amount"),
    "limit-detail": _a_only(PAGE, "limit", shows=A_AND_STAFF, mark="amount"),
    "limit-reduce": Rule(PAGE, ONLY_A, obj="limit", hidden=ONLY_B, shows=ONLY_A, mark="amount"),
    "limit-request-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF, mark="referred"),
    "limit-request-create": Rule(PAGE, INSURED),
    "limit-request-detail": _a_only(PAGE, "referred", shows=A_AND_STAFF, mark="referred"),
    # POST only: B's POST is refused with 404 (test_a_refused_write_changes_nothing).
    "limit-request-withdraw": Rule(PAGE, INSURED, obj="referred", ok=405),
    "letter-download": _a_only(PAGE, "letter"),
    # Underwriting; the credit decision templates are the administrators'.
    "underwriting-queue": Rule(PAGE, UNDERWRITING, shows=UNDERWRITING),
    "limit-request-decide": Rule(
        PAGE, UNDERWRITING, obj="referred", shows=UNDERWRITING, mark="referred"
    ),
    "limit-insurer-reduce": Rule(
        PAGE, UNDERWRITING, obj="limit", shows=UNDERWRITING, mark="amount"
    ),
    "risk-event-list": Rule(PAGE, UNDERWRITING, shows=UNDERWRITING, mark="amount"),
    "risk-event-review": Rule(PAGE, UNDERWRITING, obj="event", ok=405),
    "template-list": Rule(PAGE, ONLY_ADMIN),
    "template-create": Rule(PAGE, ONLY_ADMIN),
    "template-edit": Rule(PAGE, ONLY_ADMIN, obj="template"),
    # Exposure: A's invoices (their numbers are A's), payments, extensions; the insured acts,
    # staff read; underwriters decide extensions beyond the extension period.
    "invoice-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF, mark="invoice"),
    "invoice-create": Rule(PAGE, INSURED),
    "invoice-detail": _a_only(PAGE, "invoice", shows=A_AND_STAFF, mark="invoice"),
    **{
        route: Rule(PAGE, ONLY_A, obj="invoice", hidden=ONLY_B, shows=ONLY_A, mark="invoice")
        for route in (
            "invoice-payment",
            "invoice-credit-note",
            "invoice-dispute",
            "invoice-settle-dispute",
            "invoice-extend",
        )
    },
    "payment-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF, mark="invoice"),
    "payment-create": Rule(PAGE, INSURED),
    "invoice-import": Rule(PAGE, INSURED | ONLY_ADMIN),
    "extension-queue": Rule(PAGE, UNDERWRITING, shows=UNDERWRITING, mark="invoice"),
    "extension-decide": Rule(
        PAGE, UNDERWRITING, obj="extension", shows=UNDERWRITING, mark="invoice"
    ),
    # The dashboard: an insured its own policy, staff choose among every policy.
    "exposure-dashboard": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF),
    # A debtor's exposure per policy: every insured's for underwriters, A's own for A.
    "debtor-exposure": Rule(
        PAGE, UNDERWRITING | INSURED, obj="debtor", shows=A_AND_STAFF - {CLAIMS}
    ),
    "cover-check": Rule(PAGE, INSURED),
    "cover-check-detail": _a_only(PAGE, "cover_answer", shows=A_AND_STAFF),
    "notification-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF),
    "notification-create": Rule(PAGE, INSURED),
    "notification-detail": _a_only(PAGE, "overdue_notice", shows=A_AND_STAFF),
    # Claims: A files and follows its claim; claims handlers settle it; every role reads the
    # collections cases (an insured its own); only claims handlers record their steps.
    "claim-list": Rule(PAGE, SIGNED_IN, shows=A_AND_STAFF, mark="claim"),
    "claim-file": Rule(PAGE, INSURED),
    "claim-preview": Rule(PAGE, INSURED),
    "claim-detail": _a_only(PAGE, "claim", shows=A_AND_STAFF, mark="claim"),
    "claim-document-download": Rule(PAGE, A_AND_STAFF, obj="claim_document", hidden=ONLY_B, ok=200),
    # POST-only actions: a GET is refused as a method to the roles that may POST.
    "claim-document-add": Rule(PAGE, INSURED | CLAIMS_ROLES, obj="claim", ok=405),
    "claim-documents-sent": Rule(PAGE, INSURED, obj="claim", ok=405),
    "claim-withdraw": Rule(PAGE, INSURED, obj="claim", ok=405),
    **{
        route: Rule(PAGE, CLAIMS_ROLES, obj="claim", ok=405)
        for route in (
            "claim-assess",
            "claim-documents-ask",
            "claim-decide",
            "claim-second-approval",
            "claim-pay",
            "claim-recovery",
        )
    },
    "claim-statement-download": _a_only(PAGE, "settlement_statement"),
    "collection-list": Rule(PAGE, SIGNED_IN),
    "collection-detail": _a_only(PAGE, "overdue_notice", shows=A_AND_STAFF),
    "collection-step-record": Rule(PAGE, CLAIMS_ROLES, obj="overdue_notice", ok=405),
    # The calendar: each user's page; the feed answers only to a token it knows.
    "calendar": Rule(PAGE, SIGNED_IN),
    "calendar-feed": Rule(PUBLIC, obj="unknown_calendar", statuses=dict.fromkeys(ROLES, 404)),
    "job-run-list": Rule(PAGE, STAFF),
    "job-run-detail": Rule(PAGE, STAFF, obj="job_run", shows=STAFF),
    # REST API v1
    "api-token": Rule(PUBLIC, statuses=dict.fromkeys(ROLES, 405)),  # POST only
    "api-policy-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF),
    "api-policy-detail": _a_only(API, "policy", shows=A_AND_STAFF),
    # POST-only actions: a GET is refused as a method to every signed-in role; who may POST
    # is checked by test_a_refused_write_changes_nothing.
    "api-policy-issue": Rule(API, SIGNED_IN, obj="draft", ok=405),
    "api-policy-cancel": Rule(API, SIGNED_IN, obj="policy", ok=405),
    "api-declaration-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF),
    "api-declaration-detail": _a_only(API, "declaration", shows=A_AND_STAFF),
    "api-document-list": Rule(API, SIGNED_IN),
    "api-document-detail": _a_only(API, "schedule"),
    "api-document-download": _a_only(API, "schedule"),
    "api-debtor-list": Rule(API, SIGNED_IN),
    "api-debtor-detail": Rule(API, SIGNED_IN, obj="debtor"),
    "api-debtor-refresh": Rule(API, SIGNED_IN, obj="debtor", ok=405),
    "api-limit-request-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF, mark="referred"),
    "api-limit-request-detail": _a_only(API, "referred", shows=A_AND_STAFF, mark="referred"),
    "api-limit-request-withdraw": Rule(API, SIGNED_IN, obj="referred", ok=405),
    "api-limit-request-decide": Rule(API, SIGNED_IN, obj="referred", ok=405),
    "api-limit-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF),
    "api-limit-detail": _a_only(API, "limit", shows=A_AND_STAFF),
    "api-limit-reduce": Rule(API, SIGNED_IN, obj="limit", ok=405),
    "api-limit-insurer-reduce": Rule(API, SIGNED_IN, obj="limit", ok=405),
    "api-letter-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF, mark="letter"),
    "api-letter-detail": _a_only(API, "letter", shows=A_AND_STAFF, mark="letter"),
    "api-letter-download": _a_only(API, "letter"),
    "api-invoice-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF, mark="invoice"),
    "api-invoice-bulk": Rule(API, SIGNED_IN, ok=405),  # POST only
    "api-invoice-detail": _a_only(API, "invoice", shows=A_AND_STAFF, mark="invoice"),
    "api-invoice-dispute": Rule(API, SIGNED_IN, obj="invoice", ok=405),
    "api-invoice-settle-dispute": Rule(API, SIGNED_IN, obj="invoice", ok=405),
    "api-invoice-extend": Rule(API, SIGNED_IN, obj="invoice", ok=405),
    "api-extension-request-list": Rule(API, SIGNED_IN),
    "api-extension-request-detail": _a_only(API, "extension"),
    "api-extension-request-decide": Rule(API, SIGNED_IN, obj="extension", ok=405),
    "api-payment-list": Rule(API, SIGNED_IN),
    "api-payment-detail": _a_only(API, "payment"),
    "api-credit-note-list": Rule(API, SIGNED_IN),
    "api-credit-note-detail": _a_only(API, "credit_note"),
    "api-cover-check-list": Rule(API, SIGNED_IN),
    "api-cover-check-detail": _a_only(API, "cover_answer"),
    "api-overdue-notification-list": Rule(API, SIGNED_IN),
    "api-overdue-notification-detail": _a_only(API, "overdue_notice"),
    "api-claim-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF, mark="claim"),
    "api-claim-detail": _a_only(API, "claim", shows=A_AND_STAFF, mark="claim"),
    "api-claim-recoveries": _a_only(API, "claim"),
    "api-claim-statement": _a_only(API, "claim_statement"),
    "api-claim-preview": Rule(API, SIGNED_IN, ok=405),  # POST only
    **{
        route: Rule(API, SIGNED_IN, obj="claim", ok=405)
        for route in (
            "api-claim-documents",
            "api-claim-documents-sent",
            "api-claim-withdraw",
            "api-claim-assess",
            "api-claim-ask-documents",
            "api-claim-decide",
            "api-claim-second-approval",
            "api-claim-pay",
        )
    },
    "api-collection-list": Rule(API, SIGNED_IN, shows=A_AND_STAFF),
    "api-collection-detail": _a_only(API, "overdue_notice", shows=A_AND_STAFF),
    "api-collection-steps": Rule(API, SIGNED_IN, obj="overdue_notice", ok=405),
    # The icon browsers ask every site for.
    "favicon": Rule(PUBLIC, statuses=dict.fromkeys(ROLES, 200)),
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


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> World:
    """Built once, PDFs rendered, in a transaction rolled back after the module's tests; each
    test runs in a savepoint of it (the `db` fixture) and rolls back what it wrote."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(TestCase.captureOnCommitCallbacks)
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, db) -> World:
    return shared_world


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
    if refused and (shown := leaked(world, role, body)):
        problems.append(f"{where}: answer {response.status_code} shows A's {shown}")
    mark = world.mark(rule.mark)
    if role == INSURED_B and mark in body:
        problems.append(f"{where}: shows A's {rule.mark} {mark}")
    if response.status_code == 200 and role in rule.shows and mark not in body:
        problems.append(f"{where}: 200 without A's {rule.mark} {mark}")
    is_pdf = response.get("Content-Type") == "application/pdf" and body.startswith("%PDF")
    if name.endswith("download") and response.status_code == 200 and not is_pdf:
        problems.append(f"{where}: download is not a PDF")
    return problems


def test_each_role_gets_what_the_table_says_on_every_route(world):
    # Given: company A's schedule and letter are ready to download
    assert world.schedule.status == DocumentStatus.READY
    assert world.letter.status == "ready"
    problems = []
    for name, rule in sorted(ACCESS.items()):
        path = reverse(name, kwargs=world.pk(rule.obj))
        for role in ROLES:
            # When: each role opens the route
            response = client_for(world, role, path).get(path)
            # Then: the table's status, and A's data only for those who may read it
            problems += access_problems(world, name, rule, role, response)
    assert not problems, "\n".join(problems)


def test_no_query_value_breaks_a_route(world):
    """Every parameter a route reads (its filters, page, ordering, found by opening it: see
    query_keys_read), given a NUL byte, an oversized value or a digit int() refuses, is refused
    (400) or ignored (200), never a 500."""
    problems, found = [], {}
    for name, rule in sorted(ACCESS.items()):
        path = reverse(name, kwargs=world.pk(rule.obj))
        for role in (ANON, INSURED_A, UNDERWRITER, ADMIN):
            if rule.expected(role) != 200:
                continue
            client = client_for(world, role, path)
            client.raise_request_exception = False
            # Given: the parameters the route reads for this role
            with query_keys_read() as keys:
                client.get(path)
            # (each parameter once per route, as the first role that reads it)
            new, found[name] = keys - found.get(name, set()), found.get(name, set()) | keys
            for key in sorted(new):
                for value in BAD_QUERY_VALUES:
                    # When: one of them is a value no filter can use
                    status = client.get(path, {key: value}).status_code
                    # Then: refused or ignored (an API filter that leaves out the object
                    # read, an unknown `format`, a page that is not there: 404)
                    not_there = rule.obj or key in ("format", "page")
                    allowed = {200, 400, 404} if not_there else {200, 400}
                    if status not in allowed:
                        problems.append(f"{name} as {role}: ?{key}={value[:6]!r}… {status}")
    assert not problems, "\n".join(problems)
    # The filters of the pages the issue names were found, so the walk reads what pages read.
    assert {"q", "country", "band"} <= found["debtor-list"]
    assert {"q", "status", "currency"} <= found["policy-list"]
    assert "q" in found["debtor-lookup"]
    assert {"search", "country"} <= found["api-debtor-list"]


def test_risk_data_of_a_debtor_shows_only_to_those_with_a_limit_on_it(world):
    # Given: A holds a limit on the debtor, B does not; its report has a rating and a source
    detail = reverse("debtor-detail", args=[world.debtor.pk])
    found = f"{reverse('debtor-list')}?q={world.debtor.registration_number}"
    api = reverse("api-debtor-detail", args=[world.debtor.pk])
    rating = re.compile(rf">\s*{RATING}\s*<")
    for role in (INSURED_A, INSURED_B, UNDERWRITER, CLAIMS, ADMIN):
        # When: each opens the debtor, finds it in the list, and reads it in the API
        client = client_for(world, role, detail)
        page, row = body_text(client.get(detail)), body_text(client.get(found))
        data = client_for(world, role, api).get(api).json()
        # Then: its identity for all, its risk data only for A and staff
        sees = role != INSURED_B
        assert world.debtor.name in page and world.debtor.name in row, role
        assert data["name"] == world.debtor.name, role
        assert bool(rating.search(page)) == sees and bool(rating.search(row)) == sees, role
        assert (REPORT_SOURCE in page) == sees, role
        assert data["risk_visible"] == sees, role
        report = data["latest_report"]
        assert (report["rating"] if report else None) == (RATING if sees else None), role
        assert (REPORT_SOURCE in json.dumps(data)) == sees, role


def test_a_withdrawn_request_shows_no_risk_data_of_its_debtor(world):
    # Given: A asked for a limit on the weak debtor and withdrew it: A holds no limit on it
    limit_services.limit_request_withdraw(
        actor=world.users[INSURED_A], request_id=world.referred.pk
    )
    api = reverse("api-debtor-detail", args=[world.weak_debtor.pk])
    # When: A reads the debtor
    data = client_for(world, INSURED_A, api).get(api).json()
    # Then: its identity only, as for any debtor A holds no limit on
    assert data["risk_visible"] is False and data["latest_report"] is None


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


ONLY_A_PAGE = page_refusals(hidden=ONLY_B, allowed=ONLY_A)
ONLY_A_API = api_refusals(hidden=ONLY_B, allowed=ONLY_A)

WRITES = [
    Write(
        "policy-create",
        None,
        lambda w: posted(
            PolicyTermsForm(), insured=w.company_a.pk, start_date=month_start(-1).isoformat()
        ),
        page_refusals(),
        (UNDERWRITER, 302),
    ),
    Write(
        "policy-terms",
        "policy",
        lambda w: posted(
            PolicyTermsForm(instance=w.policy), insured_percentage="80", reason="Renegotiated"
        ),
        page_refusals(),
        (UNDERWRITER, 302),
    ),
    Write("policy-issue", "draft", {}, page_refusals(), (UNDERWRITER, 302)),
    Write("policy-cancel", "policy", {"reason": "Not paid"}, page_refusals(), (ADMIN, 302)),
    Write("declaration-create", "policy", declared_period, ONLY_A_PAGE, (INSURED_A, 302)),
    Write(
        "company-create",
        None,
        {
            "name": "Gamma AB",
            "country": "SE",
            "registration_number": "556677-8907",
            "language": "sv",
        },
        page_refusals(),
        (UNDERWRITER, 302),
    ),
    Write("account-token", None, {}, {ANON: 302}, (INSURED_A, 302)),
    Write("inbox", None, {}, {ANON: 302}, (INSURED_A, 302)),  # marks A's messages read
    # Debtors: anyone signed in registers one; underwriters import and record events.
    Write(
        "debtor-create",
        None,
        {"country": "SE", "registration_number": "559012-3450", "name": "Gamma Debtor AB"},
        {ANON: 302},
        (INSURED_B, 302),
    ),
    Write("debtor-import", None, report_file, page_refusals(), (UNDERWRITER, 302)),
    Write(
        "risk-event-create",
        "debtor",
        {"kind": "payment_remark", "occurred_on": days_ago(2), "details": ""},
        page_refusals(),
        (UNDERWRITER, 302),
    ),
    # Limits: the insured asks, reduces and withdraws; B's own form refuses A's policy.
    Write(
        "limit-request-create",
        None,
        limit_request_body,
        page_refusals(allowed=INSURED, **{INSURED_B: 200}),
        (INSURED_A, 302),
    ),
    Write("limit-reduce", "limit", REDUCTION, ONLY_A_PAGE, (INSURED_A, 302)),
    Write("limit-request-withdraw", "referred", {}, ONLY_A_PAGE, (INSURED_A, 302)),
    Write("limit-request-decide", "referred", DECISION, page_refusals(), (UNDERWRITER, 302)),
    Write("limit-insurer-reduce", "limit", REDUCTION, page_refusals(), (ADMIN, 302)),
    Write("risk-event-review", "event", {}, page_refusals(), (UNDERWRITER, 302)),
    Write(
        "template-create",
        None,
        lambda w: template_form(name="Handelsbolag", legal_form="HB"),
        page_refusals(allowed=ONLY_ADMIN),
        (ADMIN, 302),
    ),
    Write(
        "template-edit",
        "template",
        lambda w: template_form(w.template, name="Standard 2", **{"rule-rating-threshold": "45"}),
        page_refusals(allowed=ONLY_ADMIN),
        (ADMIN, 302),
    ),
    # REST API v1
    Write(
        "api-policy-list",
        None,
        lambda w: {"insured": w.company_a.pk, "start_date": month_start(-1).isoformat()},
        api_refusals(),
        (UNDERWRITER, 201),
    ),
    Write(
        "api-policy-detail",
        "policy",
        {"insured_percentage": "80.00", "reason": "Renegotiated"},
        api_refusals(),
        (ADMIN, 200),
        method="patch",
    ),
    Write("api-policy-issue", "draft", {}, api_refusals(), (UNDERWRITER, 200)),
    Write("api-policy-cancel", "policy", {"reason": "Not paid"}, api_refusals(), (ADMIN, 200)),
    Write(
        "api-declaration-list",
        None,
        lambda w: {**declared_period(w), "policy": w.policy.pk},
        # B names a policy it cannot see: refused as an unknown id, like any id that does
        # not exist (400 on the `policy` field), never with A's data.
        api_refusals(allowed=ONLY_A, **{INSURED_B: 400}),
        (INSURED_A, 201),
    ),
    Write(
        "api-debtor-list",
        None,
        {"country": "SE", "registration_number": "556123-4567", "name": "Epsilon AB"},
        {ANON: 401},
        (INSURED_B, 201),
    ),
    Write("api-debtor-refresh", "debtor", {}, api_refusals(), (UNDERWRITER, 200)),
    Write(
        "api-limit-request-list",
        None,
        limit_request_body,
        api_refusals(allowed=INSURED, **{INSURED_B: 400}),
        (INSURED_A, 201),
    ),
    Write("api-limit-request-withdraw", "referred", {}, ONLY_A_API, (INSURED_A, 200)),
    Write("api-limit-request-decide", "referred", DECISION, api_refusals(), (UNDERWRITER, 200)),
    Write("api-limit-reduce", "limit", REDUCTION, ONLY_A_API, (INSURED_A, 200)),
    Write("api-limit-insurer-reduce", "limit", REDUCTION, api_refusals(), (ADMIN, 200)),
    # Exposure: only A reports and acts on its invoices; underwriters decide extensions.
    Write(
        "invoice-create",
        None,
        lambda w: invoice_form_body(w, "A-INV-NEW-1"),
        page_refusals(allowed=INSURED, **{INSURED_B: 200}),
        (INSURED_A, 302),
    ),
    Write(
        "payment-create",
        None,
        lambda w: {
            "policy": w.policy.pk,
            "debtor": w.debtor.pk,
            "amount": "100.00",
            "received_on": days_ago(0),
        },
        page_refusals(allowed=INSURED, **{INSURED_B: 200}),
        (INSURED_A, 302),
    ),
    Write(
        "invoice-payment",
        "invoice",
        {"amount": "100.00", "received_on": days_ago(0), "named": "on"},
        ONLY_A_PAGE,
        (INSURED_A, 302),
    ),
    Write(
        "invoice-credit-note",
        "invoice",
        {"number": "CN-2", "amount": "100.00", "issued_on": days_ago(0)},
        ONLY_A_PAGE,
        (INSURED_A, 302),
    ),
    Write(
        "invoice-dispute",
        "invoice",
        {"since": days_ago(1), "reason": "Wrong goods"},
        ONLY_A_PAGE,
        (INSURED_A, 302),
    ),
    Write(
        "extension-decide",
        "extension",
        {"decision": "refuse", "reason": "Too long"},
        page_refusals(),
        (UNDERWRITER, 302),
    ),
    Write(
        "api-invoice-list",
        None,
        lambda w: {**invoice_api_body(w, "A-INV-NEW-2"), "policy": w.policy.pk},
        api_refusals(allowed=INSURED, **{INSURED_B: 400}),
        (INSURED_A, 201),
    ),
    Write(
        "api-invoice-dispute",
        "invoice",
        {"since": days_ago(1), "reason": "Wrong goods"},
        ONLY_A_API,
        (INSURED_A, 200),
    ),
    Write(
        "api-cover-check-list",
        None,
        lambda w: {
            "policy": w.policy.pk,
            "debtor": w.debtor.pk,
            "amount": "1000.00",
            "terms_days": 30,
        },
        api_refusals(allowed=INSURED, **{INSURED_B: 400}),
        (INSURED_A, 201),
    ),
    Write(
        "claim-recovery",
        "claim",
        lambda w: {
            "recovery-amount": "50.00",
            "recovery-received_on": days_ago(0),
            "recovery-source": "Estate",
        },
        page_refusals(allowed=CLAIMS_ROLES),
        (CLAIMS, 302),
    ),
    Write(
        "api-claim-recoveries",
        "claim",
        lambda w: {"amount": "50.00", "received_on": days_ago(0), "source": "Estate"},
        api_refusals(allowed=CLAIMS_ROLES),
        (CLAIMS, 201),
    ),
    Write(
        "api-extension-request-decide",
        "extension",
        {"grant": False, "reason": "Too long"},
        api_refusals(),
        (UNDERWRITER, 200),
    ),
]


@pytest.fixture
def provider_knows_the_debtor(settings, tmp_path):
    settings.CREDIT_INFO_PROVIDER_DIR = str(provider_directory(tmp_path))


@pytest.mark.parametrize("write", WRITES, ids=[f"{w.method} {w.route}" for w in WRITES])
def test_a_refused_write_changes_nothing(world, provider_knows_the_debtor, write):
    path = reverse(write.route, kwargs=world.pk(write.obj))
    send_kwargs = {"format": "json"} if path.startswith("/api/") else {}
    for role, status in write.refused.items():
        # Given: the database as it is
        before = db_state()
        # When: a role that may not makes the request
        client = client_for(world, role, path)
        response = getattr(client, write.method)(path, write.body(world), **send_kwargs)
        # Then: refused, nothing changed, nothing of A's shown
        assert response.status_code == status, (role, body_text(response)[:300])
        assert db_state() == before, role
        assert not leaked(world, role, body_text(response)), role
    # And the same request by a role that may changes the database (the request is valid)
    role, status = write.allowed
    before = db_state()
    client = client_for(world, role, path)
    response = getattr(client, write.method)(path, write.body(world), **send_kwargs)
    assert response.status_code == status, (role, body_text(response)[:500])
    assert db_state() != before


def test_another_users_idempotency_key_replays_nothing_of_a(world):
    # Given: A asked for a limit with an idempotency key
    path, body = reverse("api-limit-request-list"), limit_request_body(world)
    key = {"HTTP_IDEMPOTENCY_KEY": "erp-order-4711"}
    first = client_for(world, INSURED_A, path).post(path, body, format="json", **key)
    assert first.status_code == 201, body_text(first)[:300]
    # When: B sends the same key with the same body
    again = client_for(world, INSURED_B, path).post(path, body, format="json", **key)
    # Then: B's own call, refused (A's policy is unknown to B), not A's answer replayed
    assert again.status_code == 400 and not again.has_header("Idempotent-Replayed")
    assert not leaked(world, INSURED_B, body_text(again))


@pytest.mark.parametrize("role", [INSURED_A, UNDERWRITER, CLAIMS, ADMIN])
def test_every_navigation_link_opens_for_the_role_shown_it(world, role):
    client = client_for(world, role, "/")
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    links = sorted(set(re.findall(r'href="(/[^"#]*)"', nav)))

    answers = {link: client.get(link).status_code for link in links}

    assert reverse("policy-list") in answers
    assert {link: status for link, status in answers.items() if status != 200} == {}
