"""What the API takes as input, project-wide: JSON whose numbers are whole (amounts travel as
strings, ids and days as integers), ASCII digits, and ids that are integers.

`StrictJSONParser` is the API's JSON parser (settings.REST_FRAMEWORK): a JSON number with a
fraction or an exponent anywhere in a body is refused with a 400 naming its field, so
`"insured": 2.9` or `"debtor": 4.0` never reaches a field that would truncate it to an id.
The fields below say the same for bodies that do not come as JSON.
"""

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ParseError
from rest_framework.parsers import JSONParser

FLOAT_NOT_ALLOWED = _(
    'Send decimals as strings, e.g. "1234.50", and ids and counts as whole numbers; JSON '
    "numbers with a fraction are not accepted."
)
ASCII_DIGITS_ONLY = _("Write numbers with the digits 0-9.")


class _JSONFraction(float):
    """A JSON number with a fraction or an exponent, as the parser read it."""


def _fraction_fields(value, path: str | None = None) -> list[str]:
    """Where in a parsed body the numbers with a fraction are ("amount", "items[0].id")."""
    if isinstance(value, _JSONFraction):
        return [path or "non_field_errors"]
    if isinstance(value, dict):
        return [
            field
            for key, item in value.items()
            for field in _fraction_fields(item, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(value, list):
        return [
            field
            for index, item in enumerate(value)
            for field in _fraction_fields(item, f"{path}[{index}]" if path else f"[{index}]")
        ]
    return []


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_float=_JSONFraction,
                parse_constant=_refuse_constant,
            )
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        fields = _fraction_fields(data)
        if fields:
            raise serializers.ValidationError(
                {
                    field: [ErrorDetail(str(FLOAT_NOT_ALLOWED), code="float_not_allowed")]
                    for field in fields
                }
            )
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _check_ascii(field: serializers.Field, data) -> None:
    if isinstance(data, str) and not data.isascii():
        field.fail("non_ascii_digits")


class StrictDecimalField(serializers.DecimalField):
    """A decimal given as a string ("1234.50") or an integer; a JSON float is refused, since
    binary floating point cannot hold most amounts exactly, and so are digits other than
    0-9 (fullwidth, Arabic-Indic), which Python's Decimal would otherwise read."""

    default_error_messages = {
        "float_not_allowed": FLOAT_NOT_ALLOWED,
        "non_ascii_digits": ASCII_DIGITS_ONLY,
    }

    def to_internal_value(self, data):
        if isinstance(data, float):
            self.fail("float_not_allowed")
        _check_ascii(self, data)
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A whole number as a JSON integer or a string of the digits 0-9: neither 30.0 nor "３０"."""

    default_error_messages = {
        "float_not_allowed": FLOAT_NOT_ALLOWED,
        "non_ascii_digits": ASCII_DIGITS_ONLY,
    }

    def to_internal_value(self, data):
        if isinstance(data, float):
            self.fail("float_not_allowed")
        if isinstance(data, bool):
            self.fail("invalid")
        _check_ascii(self, data)
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id as a JSON integer or a string of the digits 0-9. DRF's own field hands the value
    to the database, which reads 2.9 as 2 and "٢" as 2."""

    default_error_messages = {
        "float_not_allowed": FLOAT_NOT_ALLOWED,
        "non_ascii_digits": ASCII_DIGITS_ONLY,
    }

    def to_internal_value(self, data):
        if isinstance(data, float):
            self.fail("float_not_allowed")
        if isinstance(data, str):
            _check_ascii(self, data)
            if not data.strip().isdigit():
                self.fail("incorrect_type", data_type=type(data).__name__)
        elif isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
