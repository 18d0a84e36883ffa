from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from policies import services
from policies.exceptions import PolicyTransitionNotAllowed, ReasonRequired
from policies.models import PolicyStatus


def test_new_policy_starts_as_draft_with_every_default(company, underwriter):
    policy = services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 3, 1), currency="SEK"
    )
    assert policy.status == PolicyStatus.DRAFT
    assert policy.number == f"CI-2026-{policy.pk:06d}"
    assert policy.end_date == date(2027, 2, 28)
    assert policy.insured_percentage == Decimal("90")
    assert policy.intervention_threshold == Decimal("500")
    assert policy.max_credit_period_days == 90
    assert policy.discretionary_limit == Decimal("10000")
    assert "SE" in policy.covered_countries and "DE" in policy.covered_countries


def test_invalid_terms_name_the_field(company, underwriter):
    with pytest.raises(ValidationError) as err:
        services.policy_create(
            actor=underwriter,
            insured=company,
            start_date=date(2026, 3, 1),
            currency="XXY",
            insured_percentage=Decimal("120"),
            end_date=date(2026, 1, 1),
        )
    assert {"currency", "insured_percentage", "end_date"} <= set(err.value.message_dict)


def test_cancel_needs_a_reason_and_expired_cannot_issue(draft_policy, underwriter):
    with pytest.raises(ReasonRequired):
        services.policy_cancel(actor=underwriter, policy_id=draft_policy.pk, reason=" ")
    services.policy_cancel(actor=underwriter, policy_id=draft_policy.pk, reason="Not taken up")
    with pytest.raises(PolicyTransitionNotAllowed):
        services.policy_issue(actor=underwriter, policy_id=draft_policy.pk)
