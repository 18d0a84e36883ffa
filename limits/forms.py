"""Forms of the insured's limit pages: a limit request, and reducing a limit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.countries import country_name, country_names
from core.forms import StyledFormMixin
from core.identifiers import normalise_registration_number
from core.money import validate_money_digits
from debtors.models import Debtor

from .models import RequestKind

# At most 13 digits before the point (core.money); the form says so before the service does.
MONEY = {
    "max_digits": 16,
    "decimal_places": 2,
    "localize": True,
    "validators": [validate_money_digits],
}


def _country_choices():
    return sorted(country_names().items(), key=lambda item: item[1])


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} ({obj.currency})"


class LimitRequestForm(StyledFormMixin, forms.Form):
    """The debtor is picked with the search box (a hidden id) or typed as country plus
    registration number and looked up on submit."""

    policy = PolicyChoiceField(label=_("Policy"), queryset=None, empty_label=None)
    debtor = forms.ModelChoiceField(
        queryset=Debtor.objects.all(), required=False, widget=forms.HiddenInput
    )
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    registration_number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=40,
        help_text=_("Organisation number, KvK number, enterprise or VAT number."),
    )
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=1, **MONEY)
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), initial=30, min_value=0, max_value=365
    )
    reference = forms.CharField(label=_("Your reference"), required=False, max_length=100)

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        choices = list(policies)  # the view's few issued policies
        currencies = sorted({p.currency for p in choices})
        periods = sorted({p.max_credit_period_days for p in choices})
        if len(currencies) == 1:
            self.fields["amount"].label = _("Amount (%(currency)s)") % {"currency": currencies[0]}
            self.fields["amount"].help_text = _("In the policy's currency, %(currency)s.") % {
                "currency": currencies[0]
            }
        else:
            self.fields["amount"].help_text = _(
                "In the currency of the chosen policy (shown beside its number)."
            )
        if len(periods) == 1:
            self.fields["payment_terms_days"].help_text = _(
                "At most %(days)s days, the policy's maximum credit period; invoices on longer "
                "terms are not covered."
            ) % {"days": periods[0]}
        elif periods:
            each = ", ".join(f"{p.number}: {p.max_credit_period_days}" for p in choices)
            self.fields["payment_terms_days"].help_text = _(
                "At most the chosen policy's maximum credit period in days (%(periods)s)."
            ) % {"periods": each}

    def clean(self):
        data = super().clean()
        if data.get("debtor") is not None or "debtor" in self.errors:
            return data
        country, number = data.get("country") or "", (data.get("registration_number") or "")
        if not number.strip():
            self.add_error(
                "registration_number",
                _("Find the debtor with the search box, or enter its registration number."),
            )
            return data
        try:
            number = normalise_registration_number(country, number)
        except ValidationError as exc:
            self.add_error("registration_number", exc)
            return data
        debtor = Debtor.objects.filter(country=country, registration_number=number).first()
        if debtor is None:
            self.add_error(
                "registration_number",
                ValidationError(
                    _(
                        "No debtor with registration number %(number)s in %(country)s is "
                        "registered yet. Register it, then ask for its limit."
                    ),
                    code="unknown_debtor",
                    params={"number": number, "country": country_name(country)},
                ),
            )
            return data
        data["debtor"] = debtor
        return data


class LimitReduceForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("New amount"),
        min_value=0,
        help_text=_("0 cancels the limit."),
        **MONEY,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For your own records; optional."),
    )
