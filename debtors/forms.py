from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.countries import EU_MEMBERS, country_name
from core.forms import StyledFormMixin
from core.models import ImportMode

from .models import RiskEventKind

# The EU, where the policies cover by default, and the European neighbours insureds trade with.
DEBTOR_COUNTRIES = (*EU_MEMBERS, "CH", "GB", "IS", "NO")


def country_choices():
    return sorted(((c, country_name(c)) for c in DEBTOR_COUNTRIES), key=lambda item: item[1])


class DebtorForm(StyledFormMixin, forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, initial="SE")
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        help_text=_(
            "Sweden: organisation number (556677-8907); Belgium: enterprise number; "
            "the Netherlands: KvK number (8 digits) or VAT number (NL004495445B01); elsewhere "
            "in the EU: VAT number."
        ),
    )
    name = forms.CharField(label=_("Company name"), max_length=200)
    legal_form = forms.CharField(
        label=_("Legal form"), max_length=40, required=False, help_text=_("E.g. AB, BV, NV.")
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)


class RiskEventForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RiskEventKind.choices)
    occurred_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the court, the case number, the trustee."),
    )


class ReportImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, one credit report per line."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    mode = forms.ChoiceField(
        label=_("When a line has an error"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        required=False,  # not chosen: all or nothing
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].widget.attrs["class"] = "form-check-input"

    def clean_mode(self):
        return self.cleaned_data["mode"] or ImportMode.ALL_OR_NOTHING

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(n)s MB.")
                % {"n": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
