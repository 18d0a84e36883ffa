"""debtors sits below limits (STYLE.md): no module of it imports limits, not even inside a
function. The rating bands are its own; who sees risk data is given to it by the URL conf."""

import ast
from pathlib import Path

DEBTORS = Path(__file__).resolve().parents[2] / "debtors"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_debtors_imports_nothing_from_limits():
    offending = {
        str(path.relative_to(DEBTORS)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "limits"
        )
        for path in DEBTORS.rglob("*.py")
    }
    assert {name: mods for name, mods in offending.items() if mods} == {}


def test_the_bands_are_the_debtors_and_the_engine_uses_them():
    from debtors.risk import BANDS, rating_band
    from limits import engine

    assert engine.BANDS is BANDS and engine.rating_band is rating_band
