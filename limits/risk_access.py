"""Who sees a debtor's risk data (credit reports, rating, risk events, insolvency): insurer
staff always; an insured user only on debtors its company holds a limit in force on today. A
request alone, a refusal, a withdrawal or a cancelled limit opens nothing.

The debtors app shows that data but sits below limits, so it cannot ask; the project's URL conf
hands its pages and API `RISK_ACCESS` (config/urls.py, config/api_urls.py)."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from debtors.selectors import RiskAccess

from .models import Limit
from .selectors import limits_as_of


def company_limits_in_force(company_id: int) -> QuerySet[Limit]:
    """The company's limits worth more than nothing today."""
    return limits_as_of(
        Limit.objects.filter(policy__insured_id=company_id), timezone.localdate()
    ).filter(amount__gt=0)


def risk_visible_ids(user, debtor_ids: Iterable[int]) -> set[int]:
    """Which of these debtors' risk data the user may see (one query for an insured)."""
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


RISK_ACCESS = RiskAccess(visible_ids=risk_visible_ids, company_limits=company_limits_in_force)
