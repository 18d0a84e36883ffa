from datetime import date

import pytest
from django.core.files.base import ContentFile

from policies import services
from policies.models import DocumentKind, DocumentStatus, Policy, PolicyStatus
from tests.factories import CompanyFactory

POLICIES = "/api/v1/policies/"


def detail(policy) -> str:
    return f"{POLICIES}{policy.pk}/"


def error_fields(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


def numbers(response) -> list[str]:
    return [p["number"] for p in response.json()["results"]]


@pytest.fixture
def other_policy(other_company, underwriter):
    draft = services.policy_create(
        actor=underwriter, insured=other_company, start_date=date(2026, 1, 1), currency="EUR"
    )
    return services.policy_issue(actor=underwriter, policy_id=draft.pk)


# Reading --------------------------------------------------------------------------------------


def test_insured_lists_only_its_companys_issued_policies(
    api_for, insured_user, issued_policy, other_policy, company, underwriter
):
    # given an own issued policy, an own draft and another company's issued policy
    services.policy_create(actor=underwriter, insured=company, start_date=date(2026, 6, 1))

    # when the insured lists policies
    response = api_for(insured_user).get(POLICIES)

    # then only its own issued policy is there
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert numbers(response) == [issued_policy.number]


def test_insured_gets_404_for_another_companys_policy_and_for_its_own_drafts(
    api_for, insured_user, other_policy, company, underwriter
):
    own_draft = services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 6, 1)
    )
    client = api_for(insured_user)

    for policy in (other_policy, own_draft):
        response = client.get(detail(policy))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert policy.number not in response.content.decode()


@pytest.mark.parametrize("role", ["underwriter", "claims_handler", "admin_user"])
def test_staff_see_every_policy_including_drafts(
    request, role, api_for, draft_policy, other_policy
):
    response = api_for(request.getfixturevalue(role)).get(POLICIES)

    assert set(numbers(response)) == {draft_policy.number, other_policy.number}


def test_policy_detail_shows_every_term_with_amounts_as_strings(
    api_for, insured_user, issued_policy
):
    body = api_for(insured_user).get(detail(issued_policy)).json()

    assert body["number"] == issued_policy.number
    assert body["status"] == "issued"
    assert body["currency"] == "SEK"
    assert body["insured"] == {
        "id": issued_policy.insured_id,
        "name": "Nordic Steel AB",
        "country": "SE",
        "registration_number": issued_policy.insured.registration_number,
    }
    assert body["insured_percentage"] == "90.00"
    assert body["discretionary_limit"] == "10000.00"
    assert body["max_credit_period_days"] == 90
    assert "SE" in body["covered_countries"]
    assert body["premium"]["minimum_premium"] == "2500.00"
    assert body["premium"]["declared_turnover"] == "0.00"
    assert set(body["premium"]) >= {"premium", "limit_fees", "total", "max_liability"}
    assert isinstance(body["outstanding_declarations"], list)


def test_policy_list_filters_and_sorts(api_for, underwriter, company, other_company):
    # given three policies of two companies
    a = services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 1, 1), currency="SEK"
    )
    b = services.policy_create(
        actor=underwriter, insured=company, start_date=date(2026, 7, 1), currency="EUR"
    )
    c = services.policy_create(
        actor=underwriter, insured=other_company, start_date=date(2026, 3, 1), currency="EUR"
    )
    services.policy_issue(actor=underwriter, policy_id=c.pk)
    client = api_for(underwriter)

    def listed(query: str) -> list[str]:
        return numbers(client.get(f"{POLICIES}?{query}"))

    assert listed("currency=eur&ordering=number") == [b.number, c.number]
    assert listed("status=issued") == [c.number]
    assert listed(f"insured={company.pk}&ordering=-start_date") == [b.number, a.number]
    assert listed("q=other trading") == [c.number]
    assert listed(f"q={a.number}") == [a.number]
    assert listed("start_date_after=2026-02-01&start_date_before=2026-06-30") == [c.number]
    assert listed("ordering=start_date") == [a.number, c.number, b.number]
    assert listed("limit=1&offset=1&ordering=number") == [b.number]


def test_an_invalid_filter_value_is_a_400_naming_it(api_for, underwriter):
    response = api_for(underwriter).get(f"{POLICIES}?status=active")

    assert response.status_code == 400
    assert error_fields(response) == {"status"}


def test_policy_list_needs_the_same_queries_for_many_policies(
    api_for, underwriter, django_assert_max_num_queries
):
    for _ in range(5):
        services.policy_create(actor=underwriter, insured=CompanyFactory(), start_date=date.today())
    client = api_for(underwriter)

    # token + user, count, one page with its insured companies
    with django_assert_max_num_queries(3):
        response = client.get(POLICIES)
    assert response.json()["count"] == 5


# Writing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["insured_user", "claims_handler"])
def test_only_underwriters_write_policies(request, role, api_for, issued_policy, company):
    client = api_for(request.getfixturevalue(role))

    writes = [
        client.post(POLICIES, {"insured": company.pk, "start_date": "2026-01-01"}),
        client.patch(detail(issued_policy), {"limit_fee": "30.00", "reason": "x"}),
        client.post(f"{detail(issued_policy)}issue/", {}),
        client.post(f"{detail(issued_policy)}cancel/", {"reason": "x"}),
    ]

    assert [r.status_code for r in writes] == [403] * 4
    assert {r.json()["code"] for r in writes} == {"permission_denied"}
    assert Policy.objects.get(pk=issued_policy.pk).status == PolicyStatus.ISSUED


def test_underwriter_drafts_a_policy_with_every_default(api_for, underwriter, company):
    response = api_for(underwriter).post(
        POLICIES,
        {"insured": company.pk, "start_date": "2026-03-01", "limit_fee": "30.00"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["number"] == f"CI-2026-{body['id']:06d}"
    assert body["end_date"] == "2027-02-28"
    assert body["currency"] == "EUR"
    assert body["limit_fee"] == "30.00"
    assert body["insured_percentage"] == "90.00"
    assert "SE" in body["covered_countries"] and "DE" in body["covered_countries"]


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"insured_percentage": "120"}, "insured_percentage"),
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"covered_countries": ["SE", "XX"]}, "covered_countries"),
        ({"intervention_threshold": 500.5}, "intervention_threshold"),
    ],
)
def test_invalid_terms_are_a_400_naming_the_field(api_for, underwriter, company, terms, field):
    body = {"insured": company.pk, "start_date": "2026-01-01", **terms}

    response = api_for(underwriter).post(POLICIES, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in error_fields(response)
    assert not Policy.objects.exists()


def test_underwriter_edits_issues_and_cancels_a_policy(api_for, underwriter, draft_policy):
    client = api_for(underwriter)
    url = detail(draft_policy)

    # a draft's terms change without a reason
    response = client.patch(url, {"premium_rate": "1.5"}, format="json")
    assert response.status_code == 200
    assert response.json()["premium_rate"] == "1.5000"

    response = client.post(f"{url}issue/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "issued"
    assert [d["kind"] for d in response.json()["documents"]] == ["schedule"]

    # an issued policy's terms change only with a reason, and an endorsement follows
    response = client.patch(url, {"limit_fee": "40.00"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert error_fields(response) == {"reason"}

    response = client.patch(url, {"limit_fee": "40.00", "reason": "Renewal"}, format="json")
    assert response.status_code == 200
    assert response.json()["limit_fee"] == "40.00"
    assert {d["kind"] for d in response.json()["documents"]} == {"schedule", "endorsement"}

    response = client.post(f"{url}cancel/", {"reason": " "}, format="json")
    assert response.status_code == 400
    assert error_fields(response) == {"reason"}

    response = client.post(f"{url}cancel/", {"reason": "Not renewed"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"

    response = client.patch(url, {"limit_fee": "50.00", "reason": "Too late"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "policy_not_editable"


def test_policies_are_neither_replaced_nor_deleted(api_for, underwriter, draft_policy):
    client = api_for(underwriter)

    assert client.put(detail(draft_policy), {}, format="json").status_code == 405
    assert client.delete(detail(draft_policy)).status_code == 405


def test_issuing_twice_is_a_conflict(api_for, underwriter, issued_policy):
    response = api_for(underwriter).post(f"{detail(issued_policy)}issue/", {}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "policy_transition_not_allowed"
    assert body["errors"][0]["field"] == "status"


# Documents ------------------------------------------------------------------------------------


def ready(document):
    document.file.save(document.filename, ContentFile(b"%PDF-1.7 test"), save=False)
    document.status = DocumentStatus.READY
    document.save()
    return document


def test_insured_downloads_its_ready_document_as_a_pdf(api_for, insured_user, issued_policy):
    document = ready(issued_policy.documents.get(kind=DocumentKind.SCHEDULE))
    client = api_for(insured_user)

    listed = client.get(f"/api/v1/documents/?policy={issued_policy.pk}&kind=schedule").json()
    assert [d["id"] for d in listed["results"]] == [document.pk]
    url = listed["results"][0]["download_url"]
    assert url.endswith(f"/api/v1/documents/{document.pk}/download/")

    response = client.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{document.filename}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"


def test_another_companys_document_is_404(api_for, other_insured_user, issued_policy):
    document = ready(issued_policy.documents.get())
    client = api_for(other_insured_user)

    assert client.get("/api/v1/documents/").json()["count"] == 0
    assert client.get(f"/api/v1/documents/{document.pk}/").status_code == 404
    response = client.get(
        f"/api/v1/documents/{document.pk}/download/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_document_not_yet_rendered_is_409_for_staff_and_hidden_from_the_insured(
    api_for, underwriter, insured_user, issued_policy
):
    document = issued_policy.documents.get()  # pending: rendering happens after commit
    download = f"/api/v1/documents/{document.pk}/download/"

    response = api_for(underwriter).get(download)
    assert response.status_code == 409
    assert response.json()["code"] == "document_not_ready"

    assert api_for(insured_user).get(download).status_code == 404
