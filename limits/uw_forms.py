"""Forms of the underwriter's and administrator's limit pages: deciding a referred request,
the insurer's reduction, reviewing a risk event, and the credit decision template editor."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.forms import StyledFormMixin
from core.money import validate_money_digits

from .engine import DEFAULT_RULES, OnFail, Outcome
from .models import ABOVE_GUIDELINE_CHOICES, DecisionTemplate
from .params import MAX_MONTHS, PARAMS, Param
from .services.templates import clean_rule

# At most 13 digits before the point (core.money); the form says so before the service does.
MONEY = {
    "max_digits": 16,
    "decimal_places": 2,
    "localize": True,
    "validators": [validate_money_digits],
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUTCOME_CHOICES = [
    (Outcome.APPROVE.value, _("Approve the amount asked")),
    (Outcome.PARTLY_APPROVE.value, _("Partly approve")),
    (Outcome.REFUSE.value, _("Refuse")),
]


class _RadioMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"


class DecisionForm(_RadioMixin, StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=OUTCOME_CHOICES, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        label=_("Amount granted"),
        required=False,
        min_value=0,
        help_text=_("For a partial approval: above zero and below the amount asked."),
        **MONEY,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The insured reads this in the decision and its letter."),
        error_messages={"required": _("Give the reason the insured will read.")},
    )
    max_terms_days = forms.IntegerField(
        label=_("Maximum payment terms (days)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("Optional condition: invoices with longer terms are not covered."),
    )
    expires_on = forms.DateField(
        label=_("Limit expires on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Optional condition: the limit ends on this date."),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.PARTLY_APPROVE and data.get("amount") is None:
            self.add_error("amount", _("Give the amount of the partial approval."))
        return data


class InsurerReduceForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("New amount"),
        min_value=0,
        help_text=_("0 withdraws the limit."),
        **MONEY,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The insured reads this in the message and the letter."),
        error_messages={"required": _("Give the reason the insured will read.")},
    )


class RiskEventReviewForm(forms.Form):
    keep_limits = forms.BooleanField(label=_("Keep the limits as they are"), required=False)


# Template editor ----------------------------------------------------------------------------


class TemplateForm(_RadioMixin, StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    legal_form = forms.CharField(
        label=_("Legal form"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"list": "legal-forms", "autocomplete": "off"}),
        help_text=_(
            "E.g. AB, HB, EF. Empty: the general template, used for every legal form "
            "without a template of its own."
        ),
    )
    above_guideline = forms.ChoiceField(
        label=_("A request above the guideline limit"),
        choices=ABOVE_GUIDELINE_CHOICES,
        widget=forms.RadioSelect,
    )


class RuleForm(StyledFormMixin, forms.Form):
    """One parameter's row; the inputs a parameter does not use are left out."""

    enabled = forms.BooleanField(label=_("Counts"), required=False)
    threshold = forms.DecimalField(label=_("Threshold"), required=False, **MONEY)
    months = forms.IntegerField(
        label=_("Within months"), required=False, min_value=0, max_value=MAX_MONTHS
    )
    on_fail = forms.ChoiceField(
        label=_("When it fails"),
        choices=[(OnFail.REFER.value, _("Refer")), (OnFail.REFUSE.value, _("Refuse"))],
    )

    def __init__(self, *args, param: Param, **kwargs):
        self.param = param
        self.spec = PARAMS[param]
        super().__init__(*args, prefix=f"rule-{param.value}", **kwargs)
        if not self.spec.threshold.used:
            del self.fields["threshold"]
        if not self.spec.months:
            del self.fields["months"]
        self.label = self.spec.label
        self.help_text = self.spec.help
        for field in self.fields.values():
            # The row's label names the parameter for screen readers.
            field.widget.attrs["aria-label"] = f"{self.label}: {field.label}"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.row = clean_rule({"param": self.param.value, **data})
        except DomainError as exc:
            name = exc.field.rsplit(".", 1)[-1]
            self.add_error(name if name in self.fields else None, str(exc.message))
        return data

    def wanted(self) -> bool:
        """Whether the row is kept: it counts, or it holds values for later."""
        data = self.cleaned_data
        return bool(data.get("enabled") or data.get("threshold") is not None or data.get("months"))


def _plain(value: Decimal | None) -> Decimal | None:
    """40 rather than 40.00 in the input; 12.5 stays 12.5."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class TemplateEditor:
    """The template form and one rule form per parameter (all fifteen, in the engine's order,
    whether the template has a row for it or not)."""

    def __init__(self, data=None, *, template: DecisionTemplate | None = None):
        if template is not None:
            initial = {
                "name": template.name,
                "legal_form": template.legal_form,
                "above_guideline": template.above_guideline,
            }
            rows = {r.param: r for r in template.rules.all()}
            rule_initial = {
                p: {
                    "enabled": r.enabled,
                    "threshold": _plain(r.threshold),
                    "months": r.months,
                    "on_fail": r.on_fail,
                }
                for p, r in rows.items()
            }
        else:
            initial = {"above_guideline": Outcome.PARTLY_APPROVE.value}
            rule_initial = {
                r.param.value: {
                    "enabled": True,
                    "threshold": r.threshold,
                    "months": r.months,
                    "on_fail": r.on_fail.value,
                }
                for r in DEFAULT_RULES
            }
        self.form = TemplateForm(data, initial=initial)
        self.rules = [
            RuleForm(
                data,
                param=param,
                initial=rule_initial.get(
                    param.value, {"enabled": False, "on_fail": OnFail.REFER.value}
                ),
            )
            for param in Param
        ]

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), *(rule.is_valid() for rule in self.rules)]
        return all(results)

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(rule.errors for rule in self.rules)

    def rule_rows(self) -> list[dict]:
        return [rule.row for rule in self.rules if rule.wanted()]

    def apply_error(self, exc: DomainError) -> None:
        """Put a service error on the field it names: `name`, or `rules.<param>.<field>`."""
        field = exc.field or ""
        if field.startswith("rules."):
            _prefix, param, name = (field.split(".") + ["", ""])[:3]
            for rule in self.rules:
                if rule.param.value == param:
                    rule.add_error(name if name in rule.fields else None, str(exc.message))
                    return
        target = field if field in self.form.fields else None
        self.form.add_error(target, str(exc.message))
