"""Forms of the invoice pages: reporting an invoice, recording a payment, a credit note, a
dispute and its end, a later due date, and the underwriter's decision on an extension.

The forms read what was typed (amounts in the page's language, dates, the debtor picked from
the register); the rules live in the services, whose errors come back on the field they
name (core.views.ServiceFormMixin)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import LocalizedDecimalField, StyledFormMixin
from core.money import above_zero, validate_money_digits
from core.text import REASON_MAX
from debtors.models import Debtor

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# At most 13 digits before the point (core.money); the form says so before the service does.
MONEY = {"max_digits": 16, "decimal_places": 2}


def amount_field(label, *, positive: bool = True, **kwargs) -> LocalizedDecimalField:
    """An amount typed the way the page's language writes it (a Swedish or Dutch decimal
    comma, grouped thousands), above 0 unless `positive` is False (then at least 0)."""
    validators = [above_zero if positive else _at_least_zero, validate_money_digits]
    return LocalizedDecimalField(label=label, validators=validators, **MONEY, **kwargs)


def _at_least_zero(value) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(_("Enter 0 or more."), code="negative")


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_INPUT, **kwargs)


def reason_field(label=None, *, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"),
        required=required,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} ({obj.currency})"


class DebtorField(forms.ModelChoiceField):
    """The debtor picked from the register: the page's search box lists matches as radio
    buttons (exposure/debtor_options.html) that post the debtor's id."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Debtor.objects.all(),
            label=_("Debtor"),
            widget=forms.HiddenInput,  # rendered by the picker, not by Django
            error_messages={
                "required": _("Find the debtor with the search box and choose it."),
                "invalid_choice": _("Choose a debtor from the register."),
            },
            **kwargs,
        )


class _PolicyMixin:
    """A policy choice among the view's policies, chosen already when there is only one."""

    def _offer_policies(self, policies) -> list[str]:
        """Offer `policies`; returns their currencies."""
        field = self.fields["policy"]
        field.queryset = policies
        choices = list(policies)
        if len(choices) == 1:
            field.empty_label = None
        return sorted({p.currency for p in choices})


def _amount_labels(form, names: dict[str, str], currencies: list[str]) -> None:
    """ "Net amount (SEK)" when every policy on offer has one currency."""
    if len(currencies) == 1:
        for name, label in names.items():
            form.fields[name].label = f"{label} ({currencies[0]})"


class InvoiceForm(_PolicyMixin, StyledFormMixin, forms.Form):
    policy = PolicyChoiceField(label=_("Policy"), queryset=None, empty_label=_("Choose a policy"))
    debtor = DebtorField()
    number = forms.CharField(label=_("Invoice number"), max_length=60)
    net_amount = amount_field(_("Net amount"))
    vat_amount = amount_field(
        _("VAT"), positive=False, required=False, initial=Decimal("0"), help_text=_("0 if none.")
    )
    invoice_date = date_field(_("Invoice date"))
    delivery_date = date_field(_("Delivery date"))
    original_due_date = date_field(
        _("Due date"), help_text=_("As written on the invoice: the original due date.")
    )
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("Optional: checked against the invoice and due dates."),
    )
    reference = forms.CharField(label=_("Your reference"), required=False, max_length=100)

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        currencies = self._offer_policies(policies)
        _amount_labels(self, {"net_amount": _("Net amount"), "vat_amount": _("VAT")}, currencies)


class PaymentForm(_PolicyMixin, StyledFormMixin, forms.Form):
    """A payment by a debtor, set against its oldest unpaid invoices unless it named one."""

    policy = PolicyChoiceField(label=_("Policy"), queryset=None, empty_label=_("Choose a policy"))
    debtor = DebtorField()
    amount = amount_field(_("Amount received"))
    received_on = date_field(_("Received on"), initial=timezone.localdate)
    invoice_number = forms.CharField(
        label=_("For invoice (number)"),
        required=False,
        max_length=60,
        help_text=_(
            "If the debtor named the invoice it pays; otherwise the payment goes to its "
            "oldest unpaid invoices first."
        ),
    )
    reference = forms.CharField(label=_("Your reference"), required=False, max_length=100)

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        currencies = self._offer_policies(policies)
        _amount_labels(self, {"amount": _("Amount received")}, currencies)


class InvoicePaymentForm(StyledFormMixin, forms.Form):
    """A payment by the debtor of one invoice, from that invoice's page."""

    amount = amount_field(_("Amount received"))
    received_on = date_field(_("Received on"), initial=timezone.localdate)
    named = forms.BooleanField(
        label=_("The debtor paid this invoice"),
        required=False,
        initial=True,
        help_text=_(
            "Set against this invoice first. Untick when the debtor did not say what it "
            "pays: the payment then goes to its oldest unpaid invoices first."
        ),
    )
    reference = forms.CharField(label=_("Your reference"), required=False, max_length=100)


class CreditNoteForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Credit note number"), max_length=60)
    amount = amount_field(_("Amount"))
    issued_on = date_field(_("Issued on"), initial=timezone.localdate)
    reason = reason_field(required=False, help_text=_("Optional."))


class DisputeForm(StyledFormMixin, forms.Form):
    since = date_field(
        _("Disputed since"),
        initial=timezone.localdate,
        help_text=_("The day the debtor disputed the invoice."),
    )
    reason = reason_field(
        _("What the debtor disputes"),
        error_messages={"required": _("Say what the debtor disputes.")},
    )


class SettleDisputeForm(StyledFormMixin, forms.Form):
    reason = reason_field(
        _("How the dispute was settled"),
        error_messages={"required": _("Say how the dispute was settled.")},
    )


class ExtendForm(StyledFormMixin, forms.Form):
    due_date = date_field(_("New due date"))
    reason = reason_field(
        required=False,
        help_text=_(
            "Needed when the new due date lies beyond the maximum extension period: the "
            "insurer reads it."
        ),
    )


class ExtensionDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant the later due date")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Grant or refuse the extension.")},
    )
    reason = reason_field(
        help_text=_("The insured reads this."),
        error_messages={"required": _("Give the reason the insured will read.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
