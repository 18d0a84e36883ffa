"""Forms of the cover check and the overdue notification pages. They read what was typed
(amounts in the page's language, dates, the debtor found in the register); the rules live in
exposure.services.cover and exposure.services.notifications, whose errors come back on the
field they name (core.views.ServiceFormMixin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.currencies import format_money
from core.forms import LocalizedDecimalField, StyledFormMixin
from core.identifiers import search_variants
from core.money import above_zero, validate_money_digits
from core.text import REASON_MAX
from core.views import id_param
from debtors.models import Debtor
from debtors.selectors import debtor_lookup

from .models import NonPaymentReason
from .services.cover import MAX_TERMS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} ({obj.currency})"


def _policy_choices(form, policies) -> list:
    """The view's few policies on offer; chosen already when there is only one."""
    field = form.fields["policy"]
    field.queryset = policies
    choices = list(policies)
    if len(choices) == 1:
        field.empty_label = None
        field.initial = choices[0].pk
    return choices


class CoverCheckForm(StyledFormMixin, forms.Form):
    """The debtor is picked from the register with the search box (a hidden id), or found on
    submit from what was typed in it: a registration number or a name that matches one
    debtor. When several match, the page lists them to choose from (`matches`)."""

    policy = PolicyChoiceField(
        label=_("Policy"), queryset=None, required=False, empty_label=_("Choose a policy")
    )
    debtor = forms.ModelChoiceField(
        queryset=Debtor.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose a debtor from the register.")},
    )
    q = forms.CharField(
        label=_("Debtor: registration number or name"),
        required=False,
        max_length=200,
    )
    amount = LocalizedDecimalField(
        label=_("Amount"),
        max_digits=16,
        decimal_places=2,
        validators=[above_zero, validate_money_digits],
    )
    terms_days = forms.IntegerField(
        label=_("Payment terms (days)"), initial=30, min_value=0, max_value=MAX_TERMS
    )
    delivery_date = forms.DateField(
        label=_("Delivery date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty for today; at most a year ahead."),
    )

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.matches: list[Debtor] = []
        self.policy_list = _policy_choices(self, policies)
        currencies = sorted({p.currency for p in self.policy_list})
        if len(currencies) == 1:
            self.fields["amount"].label = _("Amount (%(currency)s)") % {"currency": currencies[0]}
        periods = sorted({p.max_credit_period_days for p in self.policy_list})
        if len(periods) == 1:
            self.fields["terms_days"].help_text = _(
                "Days from the invoice date; the policy covers at most %(days)s."
            ) % {"days": periods[0]}
        self.fields["q"].widget.attrs.update(autocomplete="off", type="search")

    def clean_policy(self):
        policy = self.cleaned_data.get("policy")
        if policy is None:
            if len(self.policy_list) == 1:
                return self.policy_list[0]
            raise forms.ValidationError(_("Choose the policy."), code="required")
        return policy

    def clean(self):
        data = super().clean()
        if data.get("debtor") is not None or "debtor" in self.errors:
            return data
        typed = (data.get("q") or "").strip()
        if not typed:
            self.add_error(
                "q", _("Find the debtor by its registration number or name, and choose it.")
            )
            return data
        self.matches = debtor_lookup(typed)
        exact = {typed.upper(), *search_variants(typed)}
        numbered = [d for d in self.matches if d.registration_number.upper() in exact]
        found = numbered or self.matches
        if len(found) == 1:
            data["debtor"] = found[0]
            self.matches = []
        elif not found:
            self.add_error(
                "q",
                forms.ValidationError(
                    _("No debtor in the register matches “%(q)s”."),
                    code="no_match",
                    params={"q": typed},
                ),
            )
        else:
            self.add_error("q", _("Several debtors match: choose one below."))
        return data


class NotificationForm(StyledFormMixin, forms.Form):
    """The debtor is chosen among those with something overdue and not yet notified
    (`candidates`, from the view), or preset by the link that opened the form."""

    policy = PolicyChoiceField(label=_("Policy"), queryset=None, empty_label=_("Choose a policy"))
    debtor = forms.ModelChoiceField(
        label=_("Debtor"),
        queryset=Debtor.objects.all(),
        error_messages={
            "required": _("Choose the debtor that does not pay."),
            "invalid_choice": _("Choose a debtor from the list."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Why does the debtor not pay?"), choices=NonPaymentReason.choices
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the debtor said, what you have done so far (reminders, calls)."),
    )
    disputed = forms.BooleanField(label=_("The debtor disputes the debt"), required=False)
    notified_on = forms.DateField(
        label=_("Notified on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_(
            "Leave empty for today. Give an earlier day only if you already told us then by "
            "other means."
        ),
    )

    def __init__(self, *args, policies, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        several = len(_policy_choices(self, policies)) > 1
        labels: dict[int, str] = {}
        for row in candidates:  # soonest deadline first; a debtor once, its policies named
            debtor_id = row["debtor_id"]
            if debtor_id in labels:
                labels[debtor_id] += f", {row['policy__number']}"
                continue
            labels[debtor_id] = _("%(name)s (%(country)s %(number)s): %(amount)s overdue") % {
                "name": row["debtor__name"],
                "country": row["debtor__country"],
                "number": row["debtor__registration_number"],
                "amount": format_money(row["overdue"], row["policy__currency"]),
            }
            if several:
                labels[debtor_id] += f" · {row['policy__number']}"
        chosen = id_param(str(self["debtor"].value() or ""))
        if chosen is not None and chosen not in labels:
            debtor = Debtor.objects.filter(pk=chosen).first()
            if debtor is not None:
                labels[debtor.pk] = f"{debtor.name} ({debtor.country} {debtor.registration_number})"
        self.fields["debtor"].widget.choices = [("", _("Choose the debtor")), *labels.items()]
