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
