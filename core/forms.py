from decimal import Decimal

from django import forms
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from core.money import AmountSyntaxError, parse_decimal_text
from core.text import plain_multiline_text, plain_text


class StyledFormMixin:
    """Bootstrap classes on every widget, and `is-invalid` where a field has an error.

    Every text field takes plain text only (core.text): no control or bidi characters, line
    breaks only in a text area."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(field, forms.CharField):
                multiline = isinstance(widget, forms.Textarea)
                validator = plain_multiline_text if multiline else plain_text
                if validator not in field.validators:
                    field.validators.append(validator)
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                css = widget.attrs.get("class", "")
                if "is-invalid" not in css.split():
                    widget.attrs["class"] = f"{css} is-invalid"
                widget.attrs["aria-invalid"] = "true"


class LocalizedDecimalField(forms.DecimalField):
    """A decimal typed the way the page's language writes it: "1 234 567,89" in Swedish,
    "1.234.567,89" in Dutch, "1,234,567.89" in English; ASCII digits only; at most 13
    digits before the point when it is an amount."""

    default_error_messages = {
        "digits": _("Write the number with the digits 0-9."),
        "grouping": _("Group the thousands by three digits, e.g. %(example)s."),
    }

    def __init__(self, **kwargs):
        kwargs["localize"] = True
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = parse_decimal_text(str(value), translation.get_language())
        except AmountSyntaxError as exc:
            if exc.code == "grouping":
                example = formats.number_format(
                    Decimal("1234567.89"), 2, use_l10n=True, force_grouping=True
                )
                raise forms.ValidationError(
                    self.error_messages["grouping"], code="grouping", params={"example": example}
                ) from exc
            code = "digits" if exc.code == "digits" else "invalid"
            raise forms.ValidationError(self.error_messages[code], code=code) from exc
        return number
