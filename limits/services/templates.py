"""Credit decision templates, edited by administrators: the template and its rule rows are
saved together, each change with its history row (who, when) under one timestamp, so the
editor can show every save as one entry."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..engine import OnFail, Outcome
from ..models import DecisionTemplate, TemplateRule
from ..params import MAX_MONTHS, PARAMS, Param, Threshold


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(message, field=field, code="template_invalid")


def rule_field(param: str, name: str) -> str:
    """The field name a rule error carries: `rules.<param>.<threshold|months|on_fail>`."""
    return f"rules.{param}.{name}"


def _number_error(spec: Threshold, value: Decimal) -> str | None:
    if spec.whole and value != value.to_integral_value():
        return _("Enter a whole number.")
    if spec.low is not None and spec.high is not None and not spec.low <= value <= spec.high:
        return _("Enter a value from %(low)s to %(high)s.") % {"low": spec.low, "high": spec.high}
    if spec.low is not None and value < spec.low:
        return _("Enter a value of at least %(low)s.") % {"low": spec.low}
    return None


def clean_rule(row: dict) -> dict:
    """One rule row checked and normalised: unknown parameters, thresholds out of range,
    months outside 0–240 and a missing threshold on a counting parameter name their field.
    Values a parameter does not use are dropped."""
    try:
        param = Param(row.get("param"))
    except ValueError:
        raise _invalid(_("Unknown parameter."), "rules") from None
    spec, enabled = PARAMS[param], bool(row.get("enabled", True))
    threshold, months = row.get("threshold"), row.get("months")
    on_fail = row.get("on_fail") or OnFail.REFER.value
    if on_fail not in (OnFail.REFER.value, OnFail.REFUSE.value):
        raise _invalid(_("Refer or refuse."), rule_field(param, "on_fail"))
    if not spec.threshold.used:
        threshold = None
    elif threshold is not None:
        threshold = Decimal(str(threshold))
        error = _number_error(spec.threshold, threshold)
        if error:
            raise _invalid(error, rule_field(param, "threshold"))
    elif spec.threshold.required and enabled:
        raise _invalid(_("This parameter needs a threshold."), rule_field(param, "threshold"))
    if not spec.months:
        months = None
    elif months is not None and not (0 <= int(months) <= MAX_MONTHS):
        raise _invalid(
            _("Enter a number of months from 0 to %(max)s.") % {"max": MAX_MONTHS},
            rule_field(param, "months"),
        )
    return {
        "param": param.value,
        "enabled": enabled,
        "threshold": threshold,
        "months": None if months is None else int(months),
        "on_fail": on_fail,
    }


def _stamp(instance, actor, now):
    instance._history_user = actor
    instance._history_date = now
    return instance


@transaction.atomic
def template_save(
    *,
    actor,
    template_id: int | None,
    name: str,
    legal_form: str,
    above_guideline: str,
    rules: list[dict],
) -> DecisionTemplate:
    """Create or change a template and replace its rule rows with `rules` (one dict per
    parameter: param, enabled, threshold, months, on_fail). Rows of parameters not given are
    deleted; unchanged rows are left alone, so the history shows only what changed."""
    name, legal_form = (name or "").strip(), (legal_form or "").strip()
    if not name:
        raise _invalid(_("Give the template a name."), "name")
    if above_guideline not in (Outcome.PARTLY_APPROVE.value, Outcome.REFER.value):
        raise _invalid(_("Partly approve or refer."), "above_guideline")
    cleaned = [clean_rule(row) for row in rules]
    params = [row["param"] for row in cleaned]
    if len(params) != len(set(params)):
        raise _invalid(_("Each parameter appears once."), "rules")
    if template_id is None:
        template = DecisionTemplate()
    else:
        template = DecisionTemplate.objects.select_for_update().get(pk=template_id)
    clash = DecisionTemplate.objects.filter(legal_form=legal_form).exclude(pk=template.pk)
    if clash.exists():
        message = (
            _("The general template already exists; give a legal form.")
            if not legal_form
            else _("Legal form %(form)s already has a template.") % {"form": legal_form}
        )
        raise _invalid(message, "legal_form")

    existing = (
        {rule.param: rule for rule in TemplateRule.objects.filter(template=template)}
        if template.pk
        else {}
    )
    fields = ("enabled", "threshold", "months", "on_fail")
    added, changed = [], []
    for row in cleaned:
        rule = existing.pop(row["param"], None)
        if rule is None:
            added.append(row)
        elif any(getattr(rule, f) != row[f] for f in fields):
            for f in fields:
                setattr(rule, f, row[f])
            changed.append(rule)
    removed = list(existing.values())
    header = (name, legal_form, above_guideline)
    unchanged = header == (template.name, template.legal_form, template.above_guideline)
    if template.pk and unchanged and not (added or changed or removed):
        return template  # nothing changed: no history entry

    now = timezone.now()
    template.name, template.legal_form, template.above_guideline = header
    _stamp(template, actor, now).save()
    for row in added:
        _stamp(TemplateRule(template=template, **row), actor, now).save()
    for rule in changed:
        _stamp(rule, actor, now).save()
    for rule in removed:
        _stamp(rule, actor, now).delete()
    return template
