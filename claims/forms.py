"""Forms of the claim pages: filing a claim, and each action on a claim's page. They read what
was typed (amounts in the page's language, dates, files); the rules live in claims.services,
whose errors come back on the field they name (core.views.apply_errors_to_form).

Every form on the claim's page has its own prefix, so the fields of one action never share an
id or a name with another's."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from debtors.models import Debtor
from exposure.forms import PolicyChoiceField, amount_field, date_field, reason_field

from .models import Cause, DocumentKind, InsolvencyKind
from .services.settlement import ADJUST, APPROVE, REFUSE


def _radios(form, name: str) -> None:
    form.fields[name].widget.attrs["class"] = "form-check-input"


class ClaimFileForm(StyledFormMixin, forms.Form):
    """The debtor is chosen among those notified overdue under the insured's policies with no
    open claim (`candidates`, from the view), or preset by the link that opened the form."""

    policy = PolicyChoiceField(label=_("Policy"), queryset=None, empty_label=_("Choose a policy"))
    debtor = forms.ModelChoiceField(
        label=_("Debtor"),
        queryset=Debtor.objects.all(),
        error_messages={
            "required": _("Choose the debtor you claim on."),
            "invalid_choice": _("Choose a debtor from the list."),
        },
    )
    cause = forms.ChoiceField(
        label=_("Cause of loss"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the cause of loss.")},
    )
    insolvency_kind = forms.ChoiceField(
        label=_("Kind of insolvency"),
        required=False,
        choices=[("", _("Choose the kind")), *InsolvencyKind.choices],
    )
    loss_date = date_field(
        _("Date of the insolvency or event"),
        required=False,
        help_text=_(
            "The day of the bankruptcy order, the liquidation or the composition, or of the "
            "political event. Leave empty to use the insolvency date the debtor register has."
        ),
    )
    evidence = reason_field(
        _("What happened"),
        help_text=_(
            "The event and the evidence you have. You add the documents on the claim's page "
            "once it is filed."
        ),
        error_messages={"required": _("Say what happened: the event, and the evidence you have.")},
    )

    def __init__(self, *args, policies, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["policy"]
        field.queryset = policies
        offered = list(policies)
        if len(offered) == 1:
            field.empty_label = None
            field.initial = offered[0].pk
        several = len(offered) > 1
        causes = [(Cause.INSOLVENCY.value, Cause.INSOLVENCY.label)]
        causes.append((Cause.PROTRACTED_DEFAULT.value, Cause.PROTRACTED_DEFAULT.label))
        if any(p.political_risk for p in offered):
            causes.append((Cause.POLITICAL.value, Cause.POLITICAL.label))
        self.fields["cause"].choices = causes
        _radios(self, "cause")
        labels: dict[int, str] = {}
        for c in candidates:
            text = _("%(name)s (%(country)s %(number)s), notified on %(day)s") % {
                "name": c.debtor.name,
                "country": c.debtor.country,
                "number": c.debtor.registration_number,
                "day": c.notice.notified_on.isoformat(),
            }
            if several:
                text += f" · {c.policy.number}"
            labels.setdefault(c.debtor.pk, text)
        self.fields["debtor"].widget.choices = [("", _("Choose the debtor")), *labels.items()]


# Actions on a claim's page ----------------------------------------------------------------------


class AssessForm(forms.Form):
    """Taking a claim up: a button, no fields."""


class AskDocumentsForm(StyledFormMixin, forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Documents to ask for"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = reason_field(
        _("Message to the insured"),
        required=False,
        help_text=_("What is missing or unclear; the insured reads this."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].widget.attrs["class"] = "form-check-input"


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, PNG, JPEG, CSV, text, XLSX or DOCX; at most 10 MB."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DocumentsSentForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note to the claims handler"),
        required=False,
        max_length=500,
    )


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = reason_field(
        _("Why do you withdraw the claim?"),
        required=False,  # the service names the field when it is empty
    )


class DecideForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve the calculated indemnity")),
            (ADJUST, _("Adjust the indemnity")),
            (REFUSE, _("Refuse the claim")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approve, adjust or refuse.")},
    )
    amount = amount_field(
        _("Adjusted indemnity"),
        required=False,
        help_text=_("Only when you adjust it."),
    )
    reason = reason_field(
        required=False,
        help_text=_("Needed to adjust or refuse; the insured reads it."),
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _radios(self, "decision")
        if currency:
            self.fields["amount"].label = _("Adjusted indemnity (%(currency)s)") % {
                "currency": currency
            }


AGREE, SEND_BACK = "agree", "send_back"


class SecondApprovalForm(StyledFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("Second approval"),
        choices=[
            (AGREE, _("Agree with the settlement")),
            (SEND_BACK, _("Send it back to assessment")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Agree, or send the settlement back.")},
    )
    reason = reason_field(required=False, help_text=_("Needed to send it back."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _radios(self, "verdict")


class PayForm(StyledFormMixin, forms.Form):
    paid_on = date_field(_("Paid on"), required=False, help_text=_("Leave empty for today."))
    reference = forms.CharField(label=_("Payment reference"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class RecoveryForm(StyledFormMixin, forms.Form):
    amount = amount_field(_("Amount recovered"))
    received_on = date_field(
        _("Received on"), error_messages={"required": _("Give the day the money was received.")}
    )
    source = forms.CharField(
        label=_("From"),
        required=False,
        max_length=500,
        help_text=_("Who paid: the debtor, its estate, a guarantor."),
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["amount"].label = _("Amount recovered (%(currency)s)") % {
                "currency": currency
            }
