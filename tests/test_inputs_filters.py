"""A list page's filters ignore a value none of them can use: a NUL byte (PostgreSQL refuses
it in a query: on main these pages answered 500), another control character, an oversized
value, a digit int() refuses. The route × role walk (tests/test_access_matrix.py) tries
every parameter of every route; these are the ones the issue names."""

import pytest

from core.views import FILTER_MAX_LENGTH, id_param
from tests.factories.limits import DebtorFactory


@pytest.mark.parametrize(
    "url",
    [
        "/debtors/?q=a%00b",
        "/debtors/?country=S%00",
        "/policies/?q=a%00",
        "/policies/?status=a%00",
        "/debtors/lookup/?q=ab%00",
        "/limits/?policy=%C2%B2",
        "/limits/queue/?insured=" + "9" * 5000,
    ],
)
def test_a_value_no_filter_can_use_is_ignored(client, underwriter, url):
    # Given: a debtor in the register
    debtor = DebtorFactory(name="Hamn Trä AB")
    client.force_login(underwriter)
    # When: a filter is given a NUL byte, a superscript digit or 5000 digits
    response = client.get(url)
    # Then: the page, as if the filter had not been given
    assert response.status_code == 200
    if url.startswith("/debtors/?"):
        assert debtor.name in response.content.decode()


def test_the_filters_read_the_query_string_without_what_they_cannot_use(rf):
    from core.views import filter_params

    long = "x" * (FILTER_MAX_LENGTH + 1)
    request = rf.get("/", {"q": "a\x00", "status": "issued", "country": long, "k\x00": "1"})
    assert dict(filter_params(request)) == {"status": ["issued"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), ("", None), (None, None), ("\u00b2", None), ("4\x00", None), ("9" * 19, None)],
)
def test_an_id_from_the_query_string(text, expected):
    assert id_param(text) == expected
