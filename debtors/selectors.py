"""Reads of the debtor register.

The register's identity data (name, number, country, city) is for everyone: an insured must
find a debtor to ask for a limit on it. Risk data (credit reports, rating, risk events,
insolvency) is for staff, and for an insured only on debtors its company holds a limit on.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .identifiers import search_variants
from .models import CreditReport, Debtor, RiskEvent

BAND_LABELS = {
    "very_high": _("Very high risk"),
    "high": _("High risk"),
    "medium": _("Medium risk"),
    "low": _("Low risk"),
    "very_low": _("Very low risk"),
}
# Bootstrap colours of the bands, for badges.
BAND_STYLES = {
    "very_high": "danger",
    "high": "warning",
    "medium": "info",
    "low": "success",
    "very_low": "success",
}
LOOKUP_LIMIT = 10


def band_of(rating: int | None) -> dict | None:
    """The risk band of a rating: {"code", "label", "style"}, or None without a rating."""
    from limits.engine import rating_band  # the bands are the engine's (pure, no ORM)

    code = rating_band(rating)
    if code is None:
        return None
    return {"code": code, "label": BAND_LABELS[code], "style": BAND_STYLES[code]}


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


def risk_visible_ids(user, debtor_ids) -> set[int]:
    """Which of these debtors' risk data the user may see: all for staff; for an insured user
    those its company holds a limit on."""
    ids = set(debtor_ids)
    if not ids or not user.is_authenticated:
        return set()
    if user.is_insurer_staff:
        return ids
    return set(
        company_limits_in_force(user.company_id)
        .filter(debtor_id__in=ids)
        .values_list("debtor_id", flat=True)
        .distinct()
    )


def company_limits_in_force(company_id: int):
    """The company's limits worth more than nothing today: a request alone, a refusal, a
    withdrawal or a cancelled limit gives no sight of the debtor's risk data."""
    # limits depends on debtors, never the other way round: imported here, when called.
    from limits.models import Limit
    from limits.selectors import limits_as_of

    return limits_as_of(
        Limit.objects.filter(policy__insured_id=company_id), timezone.localdate()
    ).filter(amount__gt=0)


def may_see_risk(user, debtor: Debtor) -> bool:
    return debtor.pk in risk_visible_ids(user, [debtor.pk])


def debtor_reports(debtor: Debtor) -> QuerySet[CreditReport]:
    """The report history, newest first."""
    return CreditReport.objects.filter(debtor=debtor).order_by("-as_of", "-id")


def debtor_events(debtor: Debtor) -> QuerySet[RiskEvent]:
    return (
        RiskEvent.objects.filter(debtor=debtor)
        .select_related("recorded_by", "reviewed_by")
        .order_by("-occurred_on", "-id")
    )
