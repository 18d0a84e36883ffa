"""The information provider: a directory of JSON files behind the provider interface."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from debtors import services
from debtors.providers import FileProvider, InformationProvider, ReportData
from debtors.services import ProviderError, debtor_refresh

AS_OF = (timezone.localdate() - timedelta(days=3)).isoformat()
REPORT = {
    "name": "Byggvaror i Norr AB",
    "legal_form": "AB",
    "as_of": AS_OF,
    "rating": 72,
    "payment_remarks": [{"date": "2025-11-02", "amount": "800.00"}],
    "debt_balance": "0.00",
    "turnover": "48000000.00",
    "equity_ratio": "31.50",
    "employees": 42,
    "registered_on": "2004-09-15",
    "f_tax": True,
    "clean_audit": None,
    "something_else": "ignored",
}


@pytest.fixture
def directory(tmp_path):
    (tmp_path / "SE").mkdir()
    (tmp_path / "SE" / "556677-8907.json").write_text(json.dumps(REPORT))
    return tmp_path


def test_the_file_provider_reads_a_debtors_json(directory):
    provider = FileProvider(directory)

    data = provider.fetch("SE", "5566778907")

    assert isinstance(provider, InformationProvider)
    assert isinstance(data, ReportData)
    assert (data.name, data.rating, data.turnover) == (
        "Byggvaror i Norr AB",
        72,
        Decimal("48000000.00"),
    )
    assert data.as_of.isoformat() == AS_OF and data.f_tax is True and data.clean_audit is None


def test_a_debtor_without_a_file_has_no_data(directory):
    assert FileProvider(directory).fetch("SE", "556036-0793") is None
    assert FileProvider(directory).fetch("BE", "0403170701") is None


def test_the_compact_number_names_the_file_too(tmp_path):
    (tmp_path / "SE").mkdir()
    (tmp_path / "SE" / "5566778907.json").write_text(json.dumps(REPORT))

    assert FileProvider(tmp_path).fetch("SE", "556677-8907").rating == 72


def test_refresh_adds_the_providers_report_once(directory, settings, rated_debtor, underwriter):
    settings.CREDIT_INFO_PROVIDER_DIR = str(directory)

    report = debtor_refresh(actor=underwriter, debtor=rated_debtor)
    again = debtor_refresh(actor=underwriter, debtor=rated_debtor)

    assert report == again and report.source == "provider:files"
    rated_debtor.refresh_from_db()
    assert rated_debtor.latest_report == report and rated_debtor.reports.count() == 2
    assert report.payment_remarks == [{"date": "2025-11-02", "amount": "800.00"}]


def test_without_a_provider_refresh_does_nothing(settings, rated_debtor, underwriter):
    settings.CREDIT_INFO_PROVIDER_DIR = None

    assert debtor_refresh(actor=underwriter, debtor=rated_debtor) is None
    assert rated_debtor.reports.count() == 1


def test_unreadable_provider_data_is_a_clear_error(tmp_path, settings, rated_debtor, underwriter):
    (tmp_path / "SE").mkdir()
    (tmp_path / "SE" / "556677-8907.json").write_text(json.dumps({**REPORT, "turnover": 1.5}))
    settings.CREDIT_INFO_PROVIDER_DIR = str(tmp_path)

    with pytest.raises(ProviderError) as caught:
        debtor_refresh(actor=underwriter, debtor=rated_debtor)

    assert "turnover" in str(caught.value.message)


def test_any_class_with_a_name_and_fetch_is_a_provider(monkeypatch, rated_debtor, underwriter):
    class Bureau:
        name = "bureau"

        def fetch(self, country, registration_number):
            return ReportData(name="X", as_of=timezone.localdate(), rating=40)

    monkeypatch.setattr(services, "configured_provider", Bureau)

    report = debtor_refresh(actor=underwriter, debtor=rated_debtor)

    assert (report.source, report.rating) == ("provider:bureau", 40)
