"""Swedish and Dutch ship whole: every message in their catalogues is translated, none fuzzy."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["sv", "nl"])
def test_every_message_is_translated(language):
    catalogue = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr
