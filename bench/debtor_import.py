"""Benchmark: credit report CSV imports through the import job (core.imports), called from
bench/run.py inside its Django set-up, on the PostgreSQL of `make bench`.

1. 50 000 lines into a register that already holds 5 000 of those debtors, run in this
   process as the worker runs it; beside it a same-run COPY of the same file into a scratch
   table (the bare stack: PostgreSQL reading the rows with no checks and no Python).
2. A 50 MB file run by `manage.py import_credit_reports` in a process of its own, whose peak
   resident memory (ru_maxrss of that process) is what a worker needs for it.
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone
from stdnum import luhn

LINES = 50_000
KNOWN = 5_000
BIG_BYTES = 50 * 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


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


def _copy_seconds(path: Path, columns) -> float:
    """COPY of the file into a scratch table of text columns: the bare stack's figure."""
    cols = ", ".join(f"{c} text" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_scratch ({cols})")
        started = time.perf_counter()
        with (
            path.open("rb") as f,
            cursor.cursor.copy("COPY bench_scratch FROM STDIN (FORMAT csv, HEADER true)") as copy,
        ):
            while block := f.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_scratch")
    return seconds


def _print(label: str, seconds: float, copy: float, note: str) -> None:
    print(
        f"{label:<52} {seconds:6.1f} s   (bare stack: COPY of the same rows {copy:.2f} s, "
        f"×{seconds / copy:.0f}; {note})"
    )


def run() -> None:
    from core.models import ImportStatus
    from debtors.csv_import import COLUMNS, credit_reports_import

    today = timezone.localdate()
    old, new = (today - timedelta(days=200)).isoformat(), (today - timedelta(days=5)).isoformat()
    remark = (today - timedelta(days=30)).isoformat() + ":1500.00"
    header = ",".join(COLUMNS)
    first = "\n".join([header] + [_line(COLUMNS, n, old, 75, "") for n in range(KNOWN)])
    job = credit_reports_import(actor=None, content=first, source="bench:first.csv")
    assert job.status == ImportStatus.DONE
    rows = [
        _line(COLUMNS, n, new, 55 if n % 10 == 0 else 74, remark if n % 50 == 0 else "")
        for n in range(LINES)
    ]
    content = ("\n".join([header, *rows]) + "\n").encode()
    with tempfile.TemporaryDirectory(prefix="cia-bench-") as folder:
        small = Path(folder) / "big.csv"
        small.write_bytes(content)
        started = time.perf_counter()
        job = credit_reports_import(actor=None, content=content, source="bench:big.csv")
        seconds = time.perf_counter() - started
        assert job.status == ImportStatus.DONE, list(job.line_errors.all()[:3])
        _print(
            "credit report CSV import, 50 000 lines (job)",
            seconds,
            _copy_seconds(small, COLUMNS),
            f"{len(content) / 1e6:.1f} MB, {job.lines_imported} lines imported",
        )
        del content, rows
        _big_file(Path(folder) / "fifty.csv", header, new, COLUMNS)


def _big_file(path: Path, header: str, as_of: str, columns) -> None:
    """A 50 MB file of new debtors imported by the command in a process of its own."""
    with path.open("w") as f:
        f.write(header + "\n")
        n = 1_000_000
        while f.tell() < BIG_BYTES:
            f.write(_line(columns, n, as_of, 60 + n % 40, "") + "\n")
            n += 1
    lines = n - 1_000_000
    command = [sys.executable, "manage.py", "import_credit_reports", str(path), "--quiet-progress"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    process.stdout.close()
    process.stderr.close()
    assert os.waitstatus_to_exitcode(status) == 0, (out + err)[-2000:]
    _print(
        f"credit report CSV import, 50 MB ({lines} lines)",
        seconds,
        _copy_seconds(path, columns),
        f"worker peak memory {usage.ru_maxrss / 1024:.0f} MB",
    )
