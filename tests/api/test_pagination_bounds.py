"""A page size or offset beyond what the database takes is bounded, never a 500 (seen on
main: `?limit=7628816140354705162240` on /api/v1/limits/ answered 500)."""

import pytest

from limits.models import Limit
from tests.factories.limits import DebtorFactory


@pytest.mark.parametrize(
    "query", ["limit=7628816140354705162240", "offset=7628816140354705162240", "limit=5000"]
)
def test_a_huge_limit_or_offset_is_bounded(api_for, underwriter, issued_policy, query):
    Limit.objects.create(policy=issued_policy, debtor=DebtorFactory())

    for path in ("/api/v1/limits/", "/api/v1/limit-requests/", "/api/v1/policies/"):
        response = api_for(underwriter).get(f"{path}?{query}")
        assert response.status_code == 200, (path, response.status_code)
