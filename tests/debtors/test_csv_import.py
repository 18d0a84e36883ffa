"""Credit report files through the import job: all or nothing, every error with its line and
column."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from stdnum import luhn

from core.models import ImportStatus
from debtors.csv_import import CreditReportImporter, credit_reports_import
from debtors.models import CreditReport, Debtor, RiskEvent
from tests.factories.limits import CreditReportFactory, DebtorFactory

DOC = Path(__file__).resolve().parents[2] / "docs" / "credit-report-csv.md"
HEADER = "country,registration_number,name,legal_form,city,as_of,rating,payment_remarks,f_tax"


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def csv(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


def run(content, actor=None, source="import:test.csv"):
    return credit_reports_import(actor=actor, content=content, source=source)


def errors(job) -> list[str]:
    return [str(e) for e in job.line_errors.order_by("line", "id")]


def counts(job) -> tuple[int, int, int]:
    return tuple(job.result.get(k, 0) for k in ("debtors", "reports", "events"))


def ok(job) -> bool:
    return job.status == ImportStatus.DONE and not job.lines_failed


def test_a_file_registers_new_debtors_and_adds_reports_to_known_ones(underwriter, sent_tasks):
    known = DebtorFactory(country="BE", registration_number="0403170701", legal_form="")
    content = csv(
        f"SE,5566778907,Acme AB,AB,Umeå,{days_ago(5)},72,,yes",
        f"BE,BE 0403.170.701,,NV,,{days_ago(5)},64,,",
        f"SE,556677-8907,Acme AB,AB,,{days_ago(400)},70,,yes",
    )

    result = run(content.encode("utf-8-sig"), actor=underwriter)

    assert ok(result), errors(result)
    assert counts(result) == (1, 3, 0)
    summary = CreditReportImporter.summary(result.result)
    assert summary == "1 debtor registered, 3 reports added, 0 events recorded."
    acme = Debtor.objects.get(registration_number="556677-8907")
    assert (acme.name, acme.city, acme.legal_form) == ("Acme AB", "Umeå", "AB")
    assert acme.latest_report.rating == 72 and acme.latest_report.f_tax is True
    assert acme.reports.count() == 2 and acme.history.get().history_user == underwriter
    known.refresh_from_db()
    assert known.latest_report.rating == 64 and known.legal_form == "NV"
    assert known.latest_report.source == "import:test.csv"


def test_an_erroneous_file_writes_nothing_and_names_every_line_and_column(db):
    content = csv(
        f"SE,5566778907,Acme AB,AB,,{days_ago(5)},72,,yes",
        f"SE,5566778907,Acme AB,AB,,{days_ago(6)},140,,maybe",
        "SE,556677-8908,Bad Digit AB,AB,,31/03/2026,50,,",
        f"NL,12345678,,BV,,{days_ago(5)},50,2026-03-01=1200,",
        f"XX,123,Nowhere Ltd,,,{days_ago(5)},,,",
    )

    result = run(content)

    assert result.status == ImportStatus.REFUSED
    assert errors(result) == [
        "line 3, rating: 140 is not between 1 and 100.",
        "line 3, f_tax: “maybe” is not yes, no, true, false, 1, 0 or empty.",
        "line 4, as_of: “31/03/2026” is not a date in the form YYYY-MM-DD.",
        "line 4, registration_number: 556677-8908 is not a valid Swedish organisation number: "
        "the check digit is wrong.",
        "line 5, payment_remarks: “2026-03-01=1200” is not a date:amount entry. Write entries "
        "separated by semicolons, e.g. 2026-03-01:1200.00;2025-11-02:800.00.",
        "line 5, name: Required for a debtor that is not yet in the register.",
        "line 6, country: “XX” is not a two-letter ISO country code, e.g. SE.",
    ]
    assert not Debtor.objects.exists() and not CreditReport.objects.exists()


def test_errors_that_need_the_whole_file_are_found_before_writing(db):
    content = csv(
        f"SE,5566778907,Acme AB,,,{days_ago(5)},72,,",
        f"SE,556677-8907,Acme AB,,,{days_ago(5)},71,,",
        f"NL,12345678,,,,{days_ago(5)},50,,",
    )

    result = run(content)

    assert errors(result) == [
        "line 3, as_of: Line 2 has a report of the same debtor on the same date.",
        "line 4, name: Required for a debtor that is not yet in the register.",
    ]
    assert not Debtor.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "line 1: The file is empty."),
        ("country,number,as_of\n", "line 1: Unknown columns: number."),
        ("country;registration_number;as_of\n", "line 1: Columns are separated by commas"),
        (HEADER + "\n", "line 2: The file has a header but no lines of data."),
        (b"country,registration_number,as_of\nSE,\xff\xfe,x\n", "line 2: The line is not UTF-8"),
        (b"\xff\xfecountry,as_of\n", "line 1: The line is not UTF-8 text (byte 1)."),
    ],
)
def test_a_file_of_the_wrong_shape_says_so(db, content, message):
    result = run(content)

    assert result.status == ImportStatus.REFUSED
    assert errors(result)[0].startswith(message)


def test_newer_reports_record_rating_drops_and_remarks_and_named_events(db, sent_tasks):
    debtor = CreditReportFactory(
        debtor=DebtorFactory(registration_number="556677-8907"),
        as_of=timezone.localdate() - timedelta(days=90),
        rating=70,
    ).debtor
    number, remark_day = debtor.registration_number, days_ago(20)
    header = "country,registration_number,as_of,rating,payment_remarks,event_kind,event_date"
    content = csv(
        f"SE,{number},{days_ago(10)},55,{remark_day}:900.00;{days_ago(400)}:100,,",
        f"SE,{number},{days_ago(200)},10,,bankruptcy,{days_ago(200)}",
        header=header,
    )

    result = run(content)

    assert ok(result) and counts(result)[2] == 3
    kinds = sorted(RiskEvent.objects.values_list("kind", "occurred_on"))
    assert [k for k, _ in kinds] == ["bankruptcy", "payment_remark", "rating_drop"]
    debtor.refresh_from_db()
    assert debtor.latest_report.rating == 55
    assert debtor.insolvent_since.isoformat() == days_ago(200)
    assert sent_tasks == []  # queued on commit: see the page tests for the callback


def test_importing_the_same_file_again_adds_nothing(db, sent_tasks):
    content = csv(f"SE,5566778907,Acme AB,AB,,{days_ago(5)},72,,yes")
    run(content)

    again = run(content)

    assert ok(again) and (again.lines_imported, again.lines_skipped) == (0, 1)
    assert CreditReport.objects.count() == 1


def se_number(n: int) -> str:
    """A valid Swedish organisation number (Luhn check digit), 55xxxxxxx + check digit."""
    body = f"55{n:07d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def test_the_import_is_set_based(db, sent_tasks, django_assert_max_num_queries):
    # Given one known debtor among many, so that both paths run
    DebtorFactory(country="SE", registration_number=se_number(3))
    lines = [f"SE,{se_number(n)},Company {n},AB,,{days_ago(5)},{n % 100 + 1},," for n in range(300)]

    # the same number of queries for 300 lines as for 3: none per line (the job's own rows
    # and its status changes included)
    with django_assert_max_num_queries(40):
        result = run(csv(*lines))

    assert ok(result), errors(result)[:3]
    assert counts(result)[:2] == (299, 300)
    assert Debtor.objects.filter(latest_report__isnull=True).count() == 0


def test_the_example_file_in_the_documentation_imports(db, sent_tasks):
    example = re.search(r"```csv\n(.*?)```", DOC.read_text(), re.S).group(1)

    result = run(example)

    assert ok(result), errors(result)
    assert counts(result) == (5, 5, 1)


def test_the_command_prints_the_summary_or_fails_with_the_errors(db, tmp_path, sent_tasks, capsys):
    good = tmp_path / "good.csv"
    good.write_text(csv(f"SE,5566778907,Acme AB,AB,,{days_ago(5)},72,,yes"))
    bad = tmp_path / "bad.csv"
    bad.write_text(csv(f"SE,5566778907,Acme AB,AB,,{days_ago(5)},140,,yes"))

    call_command("import_credit_reports", str(good))
    assert "1 debtor registered, 1 report added, 0 events recorded." in capsys.readouterr().out

    with pytest.raises(CommandError) as caught:
        call_command("import_credit_reports", str(bad))
    assert caught.value.returncode == 1
    assert "line 2, rating: 140 is not between 1 and 100." in capsys.readouterr().err
