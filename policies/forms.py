from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import InsuredCompany
from core.countries import EU_MEMBERS, country_names, is_country
from core.forms import LocalizedDecimalField, StyledFormMixin
from core.identifiers import normalise_registration_number
from core.money import validate_money_digits

from .models import TERM_FIELDS, Policy, PolicyStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _country_choices():
    return sorted(country_names().items(), key=lambda item: item[1])


class CountryCodesField(forms.CharField):
    """Country codes typed as text ("NO, CH gb") → a sorted list of ISO 3166 codes."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        codes = [c.strip().upper() for c in text.replace(";", ",").replace(" ", ",").split(",")]
        return sorted({c for c in codes if c})

    def validate(self, value):
        super().validate(value)
        bad = [c for c in value if not is_country(c)]
        if bad:
            raise forms.ValidationError(
                _("Not ISO 3166 country codes: %(codes)s"),
                code="invalid_country",
                params={"codes": ", ".join(bad)},
            )

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


def default_hint(name: str) -> str:
    """'Default: …' for a policy term with a plain default."""
    field = Policy._meta.get_field(name)
    if not field.has_default() or callable(field.default):
        return ""
    value = field.default
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    elif field.choices:
        value = dict(field.flatchoices).get(value, value)
    return _("Default: %(value)s.") % {"value": value}


class PolicyTermsForm(StyledFormMixin, forms.ModelForm):
    """Every policy term, each showing its default beside the input."""

    cover_eu = forms.BooleanField(label=_("All EU member states"), required=False, initial=True)
    covered_countries = CountryCodesField(
        label=_("Other covered countries"),
        required=False,
        help_text=_(
            "ISO codes separated by commas, e.g. NO, CH, GB, added to the EU when that "
            "is ticked. Default: the insured's country and the EU."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Policy
        fields = ["insured", *TERM_FIELDS]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        # Amounts and rates as the page's language writes them ("1 234 567,89" in Swedish).
        field_classes = {
            f.name: LocalizedDecimalField
            for f in Policy._meta.get_fields()
            if f.name in TERM_FIELDS and f.get_internal_type() == "DecimalField"
        }

    def __init__(self, *args, require_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = False
        self.fields["end_date"].help_text = _("Default: one year from the start.")
        self.fields["reason"].required = require_reason
        if require_reason:
            self.fields["reason"].help_text = _(
                "The policy is issued: the change is sent as an endorsement with this reason."
            )
        if self.instance.pk:
            del self.fields["insured"]
            if self.instance.status != PolicyStatus.DRAFT:
                self.fields["currency"].help_text = _("Fixed once the policy is issued.")
                self.fields["currency"].widget.attrs["readonly"] = True
            codes = set(self.instance.covered_countries)
            all_eu = set(EU_MEMBERS) <= codes
            self.initial["cover_eu"] = all_eu
            self.initial["covered_countries"] = ", ".join(
                sorted(codes - set(EU_MEMBERS) if all_eu else codes)
            )
        else:
            self.fields["insured"].queryset = InsuredCompany.objects.order_by("name")
            self.fields["reason"].label = _("Note")
        for name in TERM_FIELDS:
            if name in self.fields:
                hint = default_hint(name)
                if hint:
                    field = self.fields[name]
                    field.help_text = f"{hint} {field.help_text or ''}".strip()

    def clean_currency(self):
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        issued = self.instance.pk and self.instance.status != PolicyStatus.DRAFT
        if issued and currency != self.instance.currency:
            raise forms.ValidationError(
                _(
                    "The currency is fixed once the policy is issued: every amount of the policy "
                    "is in it."
                ),
                code="fixed",
            )
        return currency

    def clean(self):
        data = super().clean()
        codes = set(data.get("covered_countries") or [])
        if data.get("cover_eu"):
            codes |= set(EU_MEMBERS)
        insured = data.get("insured")
        if insured is not None:
            codes.add(insured.country)
        if not codes and "covered_countries" not in self.errors:
            self.add_error("covered_countries", _("Cover at least one country."))
        data["covered_countries"] = sorted(codes)
        return data

    def _post_clean(self):
        # The combined country list is only known after clean(); validate it on the model.
        self.instance.covered_countries = self.cleaned_data.get("covered_countries", [])
        super()._post_clean()

    def terms(self) -> dict:
        data = {f: self.cleaned_data[f] for f in TERM_FIELDS if f in self.cleaned_data}
        if data.get("end_date") is None:
            data.pop("end_date", None)
        return data


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclarationForm(StyledFormMixin, forms.Form):
    period_start = forms.TypedChoiceField(label=_("Period"), coerce=str)
    turnover = LocalizedDecimalField(
        label=_("Insured turnover"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        validators=[validate_money_digits],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = [
            (p.start.isoformat(), f"{p.start:%Y-%m-%d} – {p.end:%Y-%m-%d}") for p in periods
        ]


class CompanyForm(StyledFormMixin, forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, initial="SE")

    class Meta:
        model = InsuredCompany
        fields = [
            "name",
            "country",
            "registration_number",
            "vat_number",
            "address",
            "email",
            "language",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("country") and data.get("registration_number"):
            try:
                data["registration_number"] = normalise_registration_number(
                    data["country"], data["registration_number"]
                )
            except forms.ValidationError as exc:
                self.add_error("registration_number", exc)
        return data
