"""One registry describes every template parameter; the engine, the editor, the model's choices,
the underwriter's pages and the reason sentences all read it."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from limits.engine import COUNTS, MAXIMUM, MINIMUM, Param
from limits.models import TemplateRule
from limits.params import PARAMS, param_def
from limits.reasons import describe
from limits.uw_forms import TemplateEditor
from limits.views.uw_display import short_reason

LIMITS = Path(__file__).resolve().parents[2] / "limits"


def test_every_parameter_has_one_entry_in_the_engines_order():
    assert list(PARAMS) == list(Param)
    assert param_def("rating") is PARAMS[Param.RATING] and param_def("dcl") is None


def test_the_engine_judges_each_parameter_as_the_registry_says():
    at_least = {Param.RATING, Param.COMPANY_AGE, Param.TURNOVER, Param.EQUITY_RATIO, Param.RESULT}
    counts = {Param.PAYMENT_REMARKS, Param.HISTORIC_DEBT_BALANCE, Param.FAILED_DISTRAINT}

    assert at_least == MINIMUM
    assert counts | {Param.DEBT_BALANCE, Param.MONTHS_SINCE_ACCOUNTS} == MAXIMUM
    assert counts == COUNTS


def test_the_model_choices_and_the_editor_rows_use_the_registry_labels():
    choices = dict(TemplateRule._meta.get_field("param").choices)
    rows = {form.param: form.label for form in TemplateEditor().rules}

    for param, spec in PARAMS.items():
        assert choices[param.value] == spec.label == rows[param]


@pytest.mark.parametrize("param", list(Param), ids=str)
def test_every_parameter_explains_its_failure_in_swedish(param):
    values = {"value": "2026-01-01" if param is Param.BOARD_CHANGE else "3", "threshold": "5"}
    reason = {"code": param.value, "message": "English", "values": {**values, "months": 12}}

    with translation.override("sv"):
        sentence = describe(reason, "SEK")
        short = short_reason(reason)

    assert sentence and sentence != "English" and "%(" not in sentence
    assert short and "%(" not in short


def test_no_other_limits_module_keeps_a_table_of_parameter_labels():
    tables = []
    for path in LIMITS.rglob("*.py"):
        if path.name == "params.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Dict)
                and sum(
                    isinstance(k, ast.Attribute) and getattr(k.value, "id", "") == "Param"
                    for k in node.keys
                )
                > 3
            ):
                tables.append(str(path.relative_to(LIMITS)))
    assert tables == []
