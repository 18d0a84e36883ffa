"""What the policies app shows on each role's home page: one function per panel, each returning
the dict its part of the page needs. The portal puts the panels together; it does not read
policies' models itself."""

from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Count

from . import selectors
from .models import DocumentStatus, PolicyStatus

RENEWAL_WINDOW = timedelta(days=60)
CLAIMS_PAGE_SIZE = 25


def _with_premiums(policies, today: date) -> list[tuple]:
    policies = list(policies)
    premiums = selectors.policy_premiums(policies, today=today)
    return [(p, premiums[p.pk]) for p in policies]


def insured_home_panel(user, today: date) -> dict:
    """The insured's declarations to make, new documents since the last visit, and its policies
    at a glance (period, insured percentage, premium to date, maximum liability)."""
    policies = list(selectors.policies_for(user).order_by("-start_date"))
    new_documents = selectors.documents_for(user)
    if user.last_seen_home:
        new_documents = new_documents.filter(rendered_at__gt=user.last_seen_home)
    active = [p for p in policies if p.status == PolicyStatus.ISSUED]
    return {
        "outstanding": selectors.outstanding_declarations(policies, today=today),
        "new_documents": list(new_documents[:10]),
        "active_policies": _with_premiums(active, today),
        "other_policies": [p for p in policies if p.status != PolicyStatus.ISSUED],
    }


def underwriter_home_panel(user, today: date) -> dict:
    """Policies to issue or renew, late and due declarations, counts by status, and documents
    that failed to render."""
    policies = selectors.policies_for(user)
    issued = list(policies.filter(status=PolicyStatus.ISSUED))
    outstanding = selectors.outstanding_declarations(issued, today=today)
    return {
        "drafts": list(policies.filter(status=PolicyStatus.DRAFT).order_by("start_date")),
        "renewals": [p for p in issued if p.end_date <= today + RENEWAL_WINDOW],
        "late_declarations": [s for s in outstanding if s.state == "late"],
        "due_declarations": [s for s in outstanding if s.state == "due"],
        "status_counts": dict(policies.values_list("status").annotate(n=Count("id"))),
        "failed_documents": list(
            selectors.documents_for(user).filter(status=DocumentStatus.FAILED)[:10]
        ),
    }


def claims_home_panel(user, today: date, *, page: str | int | None = None) -> dict:
    """Policies in force and their claim terms, a page at a time."""
    policies = selectors.policies_for(user).filter(status=PolicyStatus.ISSUED)
    page_obj = Paginator(policies.order_by("insured__name", "number"), CLAIMS_PAGE_SIZE).get_page(
        page
    )
    return {"page_obj": page_obj, "active_policies": _with_premiums(page_obj.object_list, today)}
