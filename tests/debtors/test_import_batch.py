"""A large file imports whole: new debtors registered, known ones get a new report, and the
rating drops and new payment remarks become risk events. (Its speed on 50 000 lines is
measured by `make bench`.)"""

from datetime import timedelta

from django.utils import timezone
from stdnum import luhn

from core.models import ImportStatus
from debtors.csv_import import COLUMNS, credit_reports_import
from debtors.models import CreditReport, Debtor, RiskEvent

LINES = 2_000
KNOWN = 500


def se_number(n: int) -> str:
    body = f"55{n:07d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def line(n: int, as_of: str, rating: int, remark: str) -> str:
    values = {
        "country": "SE",
        "registration_number": se_number(n).replace("-", ""),
        "name": f"Company {n} AB",
        "legal_form": "AB",
        "city": "Stockholm",
        "as_of": as_of,
        "rating": str(rating),
        "payment_remarks": remark,
        "debt_balance": "0.00",
        "debt_balance_history": "2024-05-02:8400.00;2023-01-10:1200.00",
        "turnover": f"{n * 1000}.00",
        "result": "-25000.50",
        "equity_ratio": "31.5",
        "employees": "12",
        "accounts_closed_on": "2025-12-31",
        "registered_on": "2004-09-15",
        "f_tax": "yes",
        "vat_registered": "yes",
        "employer_registered": "no",
        "clean_audit": "",
    }
    return ",".join(values.get(c, "") for c in COLUMNS)


def test_a_large_file_registers_reports_and_records_events(db, sent_tasks):
    today = timezone.localdate()
    old, new = (today - timedelta(days=200)).isoformat(), (today - timedelta(days=5)).isoformat()
    remark = (today - timedelta(days=30)).isoformat() + ":1500.00"
    # Given 5 000 debtors already registered with a report, a tenth of which fall 20 points
    first = "\n".join([",".join(COLUMNS)] + [line(n, old, 75, "") for n in range(KNOWN)])
    first_job = credit_reports_import(actor=None, content=first, source="import:first.csv")
    assert first_job.status == ImportStatus.DONE
    rows = [
        line(n, new, 55 if n % 10 == 0 else 74, remark if n % 50 == 0 else "") for n in range(LINES)
    ]
    content = ("\n".join([",".join(COLUMNS), *rows]) + "\n").encode()

    result = credit_reports_import(actor=None, content=content, source="import:big.csv")

    assert result.status == ImportStatus.DONE and not result.lines_failed
    assert result.result["debtors"] == LINES - KNOWN and result.result["reports"] == LINES
    assert result.result["events"] == KNOWN // 10 + KNOWN // 50
    assert Debtor.objects.filter(latest_report__source="import:big.csv").count() == LINES
    assert CreditReport.objects.count() == LINES + KNOWN
    assert RiskEvent.objects.filter(kind="rating_drop").count() == KNOWN // 10
