"""Reads of the debtor register.

The register's identity data (name, number, country, city) is for everyone: an insured must
find a debtor to ask for a limit on it. Risk data (credit reports, rating, risk events,
insolvency) is for staff, and for an insured only on debtors its company holds a limit in
force on: a rule of the limits app, given to this app's pages and API as a `RiskAccess`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from core.identifiers import search_variants

from .models import CreditReport, Debtor, RiskEvent

LOOKUP_LIMIT = 10


@dataclass(frozen=True)
class RiskAccess:
    """Who may see debtors' risk data. The rule ("staff always; an insured only on a debtor
    its company holds a limit in force on") is the limits app's, and this app sits below
    limits: the URL conf (config/urls.py, config/api_urls.py) hands the debtor pages and API
    the rule as this pair of functions (limits.risk_access.RISK_ACCESS)."""

    # (user, debtor ids) → the ids among them whose risk data the user may see
    visible_ids: Callable[[Any, Iterable[int]], set[int]]
    # company id → that insured company's limits in force today (rows with `debtor`, `policy`)
    company_limits: Callable[[int], QuerySet]

    def may_see(self, user, debtor: Debtor) -> bool:
        return debtor.pk in self.visible_ids(user, [debtor.pk])


def debtor_search(qs: QuerySet[Debtor], q: str) -> QuerySet[Debtor]:
    """Debtors whose name contains `q`, or whose number matches it in any usual spelling
    ("5566778907" finds "556677-8907")."""
    q = (q or "").strip()
    if not q:
        return qs
    match = Q(name__icontains=q) | Q(registration_number__icontains=q)
    for variant in search_variants(q):
        match |= Q(registration_number__icontains=variant)
    return qs.filter(match)


def debtors_list(*, q: str = "", country: str = "") -> QuerySet[Debtor]:
    qs = Debtor.objects.select_related("latest_report")
    if country:
        qs = qs.filter(country=country.upper())
    return debtor_search(qs, q)


def debtor_lookup(q: str, *, limit: int = LOOKUP_LIMIT) -> list[Debtor]:
    """Up to `limit` matches for a search box: exact numbers first, then by name."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    exact = {q.upper(), *search_variants(q)}
    found = list(debtor_search(Debtor.objects.all(), q).order_by("name", "pk")[: limit * 3])
    found.sort(key=lambda d: (d.registration_number.upper() not in exact, d.name.lower()))
    return found[:limit]


def debtor_reports(debtor: Debtor) -> QuerySet[CreditReport]:
    """The report history, newest first."""
    return CreditReport.objects.filter(debtor=debtor).order_by("-as_of", "-id")


def debtor_events(debtor: Debtor) -> QuerySet[RiskEvent]:
    return (
        RiskEvent.objects.filter(debtor=debtor)
        .select_related("recorded_by", "reviewed_by")
        .order_by("-occurred_on", "-id")
    )
