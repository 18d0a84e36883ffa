"""The same import on SQLite, the `make run` database, through the management command in a
process of its own: a NUL byte is a named error on its line there too (on main it was stored),
and the same file twice adds nothing the second time."""

from datetime import timedelta

from django.utils import timezone

from tests.test_embedded_smoke import embedded_env, manage

HEADER = "country,registration_number,name,as_of,rating"


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def test_on_sqlite_a_nul_byte_is_refused_on_its_line_and_a_second_run_adds_nothing(tmp_path):
    # Given: an empty SQLite database, as `make run` makes it
    env = embedded_env(tmp_path)
    assert manage(env, "migrate", "--no-input", "-v", "0").returncode == 0
    nul = tmp_path / "nul.csv"
    nul.write_text(
        f"{HEADER}\nSE,5566778907,Acme\x00 AB,{days_ago(5)},72\n"
        f"SE,5560360793,Kalles Kaffe AB,{days_ago(5)},38\n"
    )
    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\nSE,5560360793,Kalles Kaffe AB,{days_ago(5)},38\n")

    # When: the file with a NUL byte is imported, all or nothing
    refused = manage(env, "import_credit_reports", str(nul))

    # Then: refused, the line and column named, nothing written
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "line 2, name: The cell holds a NUL character" in refused.stderr

    # And a good file imports once: the second run skips its line
    first = manage(env, "import_credit_reports", str(good))
    again = manage(env, "import_credit_reports", str(good))
    assert first.returncode == 0, first.stderr
    assert "1 debtor registered, 1 report added" in first.stdout
    assert again.returncode == 0, again.stderr
    assert "0 reports added" in again.stdout and "1 line skipped" in again.stdout


def test_on_sqlite_every_kind_of_figure_is_stored_as_read(tmp_path):
    """Rows travel between the passes with their dates and amounts as text: on SQLite they
    are stored as dates and exact amounts, and the newer report's events are derived."""
    # Given: an empty SQLite database and two reports of one debtor, the newer one worse
    env = embedded_env(tmp_path)
    assert manage(env, "migrate", "--no-input", "-v", "0").returncode == 0
    columns = (
        "country,registration_number,name,as_of,rating,turnover,result,equity_ratio,"
        "payment_remarks,registered_on,f_tax,event_kind,event_date"
    )
    path = tmp_path / "reports.csv"
    path.write_text(
        f"{columns}\n"
        f"SE,5560360793,Kalles Kaffe AB,{days_ago(90)},80,9999999999999.99,-1250.5,28.55,,"
        f"2004-09-15,yes,,\n"
        f"SE,556036-0793,Kalles Kaffe AB,{days_ago(5)},60,120000.00,-2.00,-3,"
        f'"{days_ago(10)}:1500.00",2004-09-15,no,bankruptcy,{days_ago(4)}\n'
    )

    # When: the file is imported
    done = manage(env, "import_credit_reports", str(path))

    # Then: both reports are stored with their exact values, the newer is the latest, and
    # the drop in rating, the payment remark and the named event are recorded
    assert done.returncode == 0, done.stdout + done.stderr
    shown = manage(
        env,
        "shell",
        "-c",
        "from debtors.models import Debtor\n"
        "d = Debtor.objects.get()\n"
        "for r in d.reports.order_by('as_of'):\n"
        "    print(r.as_of.isoformat(), r.rating, r.turnover, r.result, r.equity_ratio,"
        " r.payment_remarks, r.registered_on.isoformat(), r.f_tax)\n"
        "print(d.latest_report.rating, d.insolvent_since.isoformat())\n"
        "print(sorted(e.kind for e in d.risk_events.all()))\n",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[-4:] == [
        f"{days_ago(90)} 80 9999999999999.99 -1250.50 28.55 [] 2004-09-15 True",
        f"{days_ago(5)} 60 120000.00 -2.00 -3.00 "
        f"[{{'date': '{days_ago(10)}', 'amount': '1500.00'}}] 2004-09-15 False",
        f"60 {days_ago(4)}",
        "['bankruptcy', 'payment_remark', 'rating_drop']",
    ]
