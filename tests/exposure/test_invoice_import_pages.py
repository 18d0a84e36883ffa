"""The invoice upload page through the Django test client: the form (the user's own issued
policies only, the input kept and the error named), the upload answered with the job's page,
the job run by Celery (eager in tests) once the upload commits, and who sees which job."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob, ImportStatus
from exposure.models import Invoice
from policies import services as policy_services
from tests.exposure.test_invoice_import import GOOD, GOOD_2, csv
from tests.factories import UserFactory
from tests.factories.limits import DebtorFactory

URL = reverse("invoice-import")
BAD_CURRENCY = GOOD_2.replace("F-1002", "F-1003").replace(",,,2026-05-06", ",,EUR,2026-05-06")
FILE = csv(GOOD, BAD_CURRENCY, GOOD_2)


@pytest.fixture
def debtors(db):
    return (
        DebtorFactory(country="SE", registration_number="556677-8907", name="Byggvaror AB"),
        DebtorFactory(country="SE", registration_number="556036-0793", name="Kalles Kaffe AB"),
    )


@pytest.fixture
def other_policy(other_company, underwriter):
    draft = policy_services.policy_create(
        actor=underwriter, insured=other_company, start_date=date(2026, 1, 1), currency="EUR"
    )
    return policy_services.policy_issue(actor=underwriter, policy_id=draft.pk)


def upload(client, policy, content=FILE, mode="good", name="invoices.csv", **extra):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    data = {"file": file, "mode": mode, **extra}
    if policy is not None:
        data["policy"] = policy.pk
    return client.post(URL, data)


@pytest.fixture
def uploaded(client, insured_user, issued_policy, debtors, django_capture_on_commit_callbacks):
    client.force_login(insured_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, issued_policy)
    return response, ImportJob.objects.get()


def test_the_page_offers_the_user_s_own_reportable_policies_only(
    client, insured_user, issued_policy, other_policy
):
    client.force_login(insured_user)

    page = client.get(URL).content.decode()

    assert f'value="{issued_policy.pk}"' in page and issued_policy.number in page
    assert other_policy.number not in page
    assert "country,registration_number,number,net_amount" in page  # the example


def test_upload_then_the_job_s_page_with_its_result_and_error_report(client, uploaded):
    response, job = uploaded

    # The upload answers with the job's page; the job ran once the upload committed
    assert response.status_code == 302
    assert response["Location"] == reverse("import-job", kwargs={"pk": job.pk})
    job.refresh_from_db()
    assert (job.status, job.lines_imported, job.lines_failed) == (ImportStatus.DONE, 2, 1)
    assert job.options["policy"] == Invoice.objects.values_list("policy", flat=True)[0]
    # The progress fragment tells htmx to show the whole result
    progress = client.get(
        reverse("import-job-progress", kwargs={"pk": job.pk}), HTTP_HX_REQUEST="true"
    )
    assert progress["HX-Refresh"] == "true"
    assert "3 lines read, 1 with errors, 2 imported" in progress.content.decode()
    # The result: the summary, the bad line named, the error report's link, the way back
    page = client.get(response["Location"]).content.decode()
    assert "2 invoices added." in page
    assert "The policy&#x27;s currency is SEK: report the invoice in it." in page
    assert reverse("import-job-errors", kwargs={"pk": job.pk}) in page
    assert f'href="{URL}"' in page and "Import invoices" in page
    # The upload page lists the import
    assert "invoices.csv" in client.get(URL).content.decode()


def test_the_form_keeps_the_input_and_names_the_field_at_fault(client, insured_user, issued_policy):
    client.force_login(insured_user)

    response = client.post(URL, {"policy": issued_policy.pk, "mode": "good"})

    assert response.status_code == 200 and not ImportJob.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == ["file"]
    page = response.content.decode()
    assert f'<option value="{issued_policy.pk}" selected>' in page
    assert 'value="good" class="form-check-input" id="id_mode_1" checked' in page


def test_an_insured_cannot_upload_under_another_company_s_policy(
    client, insured_user, issued_policy, other_policy, debtors
):
    client.force_login(insured_user)

    response = upload(client, other_policy)

    assert response.status_code == 200 and list(response.context["form"].errors) == ["policy"]
    assert not ImportJob.objects.exists()


def test_without_an_issued_policy_the_page_says_so(client, insured_user, draft_policy):
    client.force_login(insured_user)

    page = client.get(URL).content.decode()

    assert 'id="no-policy"' in page and "<form" not in page.split('id="no-policy"')[1]


def test_an_administrator_uploads_under_any_company_s_policy(
    client, admin_user, issued_policy, other_policy, debtors, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert issued_policy.number in page and other_policy.number in page

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, issued_policy, content=csv(GOOD))

    assert response.status_code == 302
    assert Invoice.objects.get().reported_by == admin_user


@pytest.mark.parametrize("user", ["underwriter", "claims_handler"])
def test_staff_other_than_administrators_do_not_import_invoices(
    request, client, issued_policy, user
):
    client.force_login(request.getfixturevalue(user))

    assert client.get(URL).status_code == 403
    assert upload(client, issued_policy).status_code == 403
    assert not ImportJob.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/login/" in response["Location"]


# Who sees which job ---------------------------------------------------------------------------


def test_an_insured_does_not_see_another_company_s_invoice_import(
    client, uploaded, other_insured_user
):
    _, job = uploaded
    client.force_login(other_insured_user)

    for name in ("import-job", "import-job-progress", "import-job-errors"):
        response = client.get(reverse(name, kwargs={"pk": job.pk}))
        assert response.status_code in (403, 404), (
            f"{name}: core.imports.views must ask the importer whether this user may see "
            "this job (InvoiceImporter.may_see), not only whether the user imports invoices"
        )
        assert b"invoices.csv" not in response.content
    assert "invoices.csv" not in client.get(URL).content.decode()  # nor in the recent list


def test_a_colleague_of_the_same_company_sees_the_import(client, uploaded, insured_user):
    _, job = uploaded
    colleague = UserFactory(role="insured", company=insured_user.company)
    client.force_login(colleague)

    assert client.get(reverse("import-job", kwargs={"pk": job.pk})).status_code == 200
    assert "invoices.csv" in client.get(URL).content.decode()
