"""The administrator's credit decision template editor: every parameter shown, thresholds
saved with their history, errors on the field, and the next request decided by the new rules."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from limits import services
from limits.models import DecisionTemplate, RequestStatus
from limits.uw_forms import TemplateEditor
from tests.factories.limits import CreditReportFactory, default_template


@pytest.fixture(autouse=True)
def mid_june():
    travel = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("Europe/Stockholm"))
    with time_machine.travel(travel, tick=True):
        yield


@pytest.fixture
def template(db):
    return default_template()


def submit(policy, user, debtor, amount):
    return services.limit_request_submit(
        actor=user, policy_id=policy.pk, debtor_id=debtor.pk, amount=Decimal(amount)
    )


def editor_data(template=None, **changes) -> dict:
    """What the browser posts for the untouched editor, with some inputs changed
    (by their HTML name; None leaves an input out)."""
    editor = TemplateEditor(template=template)
    data = {}
    for form in (editor.form, *editor.rules):
        for bound in form:
            value = bound.value()
            if bound.field.widget.input_type == "checkbox":
                data[bound.html_name] = "on" if value else None
            else:
                shown = bound.field.widget.format_value(value)
                data[bound.html_name] = "" if shown is None else shown
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_raised_rating_threshold_refers_the_next_request(
    client, admin_user, template, issued_policy, insured_user
):
    client.force_login(admin_user)
    url = reverse("template-edit", args=[template.pk])

    client.post(url, editor_data(template, **{"rule-rating-threshold": "60"}))
    response = client.post(url, editor_data(template, **{"rule-rating-threshold": "80"}))

    assert response.status_code == 302
    rule = template.rules.get(param="rating")
    assert rule.threshold == Decimal("80")
    # A healthy rating-70 debtor the old template approved is now referred
    request = submit(issued_policy, insured_user, CreditReportFactory(rating=70).debtor, "200000")
    assert request.status == RequestStatus.REFERRED
    assert [r["code"] for r in request.reasons] == ["rating"]
    history = client.get(url).context["history"]
    assert history[0].user == admin_user
    assert history[0].lines == ["Rating at least: threshold 60 → 80"]
    assert history[1].lines == ["Rating at least: now counts, threshold 60, refer"]


def test_the_editor_shows_every_parameter_and_a_new_row_counts_once_ticked(
    client, admin_user, template
):
    client.force_login(admin_user)
    url = reverse("template-edit", args=[template.pk])
    page = client.get(url)

    client.post(url, editor_data(template, **{"rule-employer-enabled": "on"}))

    assert len(page.context["editor"].rules) == 15
    assert template.rules.get(param="employer").enabled
    assert template.rules.count() == 8


def test_template_errors_name_the_parameter_and_keep_the_input(client, admin_user, template):
    client.force_login(admin_user)
    data = editor_data(
        template,
        **{"rule-rating-threshold": "150", "rule-payment_remarks-months": "300", "name": "Strict"},
    )

    response = client.post(reverse("template-edit", args=[template.pk]), data)

    rules = {r.param.value: r for r in response.context["editor"].rules}
    assert rules["rating"].errors["threshold"] == ["Enter a value from 1 to 100."]
    assert rules["payment_remarks"].errors["months"]
    html = response.content.decode()
    assert 'value="150"' in html and 'value="Strict"' in html
    assert template.rules.get(param="rating").threshold == Decimal("40")


def test_a_counting_rating_needs_a_threshold(client, admin_user, template):
    client.force_login(admin_user)

    response = client.post(
        reverse("template-edit", args=[template.pk]),
        editor_data(template, **{"rule-rating-threshold": ""}),
    )

    rules = {r.param.value: r for r in response.context["editor"].rules}
    assert rules["rating"].errors["threshold"] == ["This parameter needs a threshold."]


def test_admin_creates_a_template_for_a_legal_form_and_a_second_one_is_refused(
    client, admin_user, template
):
    client.force_login(admin_user)
    data = editor_data(None, name="Trading partnerships", legal_form="HB")

    created = client.post(reverse("template-create"), data)
    twice = client.post(reverse("template-create"), data)

    hb = DecisionTemplate.objects.get(legal_form="HB")
    assert created.url == reverse("template-edit", args=[hb.pk])
    assert hb.rules.count() == 7 and hb.history.first().history_user == admin_user
    assert twice.context["form"].errors["legal_form"] == ["Legal form HB already has a template."]
    listing = client.get(reverse("template-list"))
    assert [t.legal_form for t in listing.context["object_list"]] == ["", "HB"]


def test_saving_an_unchanged_template_adds_no_history_entry(client, admin_user, template):
    client.force_login(admin_user)
    url = reverse("template-edit", args=[template.pk])
    client.post(url, editor_data(template, **{"rule-rating-threshold": "45"}))
    before = template.history.count()

    client.post(url, editor_data(template))

    assert template.history.count() == before
    assert len(client.get(url).context["history"]) == 2  # created, then the one change
