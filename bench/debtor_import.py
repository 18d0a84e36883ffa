"""Benchmark: a 50 000-line credit-report CSV file imported into a register that already
holds 5 000 of those debtors (called from bench/run.py, inside its Django set-up)."""

import time
from datetime import timedelta

from django.utils import timezone
from stdnum import luhn

LINES = 50_000
KNOWN = 5_000


def _number(n: int) -> str:
    body = f"57{n:07d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def _line(columns, n: int, as_of: str, rating: int, remark: str) -> str:
    values = {
        "country": "SE",
        "registration_number": _number(n),
        "name": f"Import {n} AB",
        "legal_form": "AB",
        "city": "Malmö",
        "as_of": as_of,
        "rating": str(rating),
        "payment_remarks": remark,
        "debt_balance": "0.00",
        "turnover": f"{n * 1000}.00",
        "result": "125000.00",
        "equity_ratio": "28.5",
        "employees": "12",
        "accounts_closed_on": "2025-12-31",
        "registered_on": "2004-09-15",
        "f_tax": "yes",
        "vat_registered": "yes",
        "employer_registered": "yes",
    }
    return ",".join(values.get(c, "") for c in columns)


def run() -> None:
    from debtors.csv_import import COLUMNS, credit_reports_import

    today = timezone.localdate()
    old, new = (today - timedelta(days=200)).isoformat(), (today - timedelta(days=5)).isoformat()
    remark = (today - timedelta(days=30)).isoformat() + ":1500.00"
    header = ",".join(COLUMNS)
    first = "\n".join([header] + [_line(COLUMNS, n, old, 75, "") for n in range(KNOWN)])
    assert credit_reports_import(actor=None, content=first, source="bench:first.csv").ok
    rows = [
        _line(COLUMNS, n, new, 55 if n % 10 == 0 else 74, remark if n % 50 == 0 else "")
        for n in range(LINES)
    ]
    content = ("\n".join([header, *rows]) + "\n").encode()
    started = time.perf_counter()
    result = credit_reports_import(actor=None, content=content, source="bench:big.csv")
    seconds = time.perf_counter() - started
    assert result.ok, result.errors[:3]
    print(
        f"{'credit report CSV import, 50 000 lines':<52} {seconds:6.1f} s "
        f"({len(content) / 1e6:.1f} MB; {result.summary()})   "
        f"(bare stack: COPY of 1 M invoice rows 4.6 s)"
    )
