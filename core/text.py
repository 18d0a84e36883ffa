"""Text people type: names, references, addresses, reasons. Plain text only, and bounded.

Invisible control characters make a name read differently from what it is: U+202E (right-to-left
override) shows "ABxe.exe" reversed in a page or a PDF, a NUL byte cannot be stored in
PostgreSQL at all. `validate_plain_text` refuses them with a message that names the
character (and the field, where the caller gives it): forms, serializers, model fields and
CSV imports all call it.

Every text field has a length bound; the bounds of the long ones are here so that a model, its
form and its serializer say the same.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Bounds of the free-text fields (the short ones, names and numbers, have their model's
# max_length).
ADDRESS_MAX = 500
NOTE_MAX = 500
REASON_MAX = 2000

# Line breaks a multi-line text (an address, a reason) may hold: the browser sends CR LF.
LINE_BREAKS = frozenset("\n\r")
# Formatting characters that reorder or hide text: the bidirectional embeddings, overrides and
# isolates, the direction marks, and the Arabic letter mark.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Line and paragraph separators break a line that should be one.
SEPARATORS = frozenset("\u2028\u2029")


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of `value` that plain text may not hold, or None.

    Refused: C0 and C1 control characters (NUL, ESC, DEL, U+0080–U+009F…) and the bidi
    controls; a multi-line text keeps its line breaks and tabs, a one-line text none."""
    if value.isprintable():  # no character of the Cc, Cf, Zl or Zp categories: the usual case
        return None
    for ch in value:
        if multiline and (ch in LINE_BREAKS or ch == "\t"):
            continue
        if ch in BIDI_CONTROLS or ch in SEPARATORS or unicodedata.category(ch) == "Cc":
            return ch
    return None


def describe_character(ch: str) -> str:
    """ "U+202E RIGHT-TO-LEFT OVERRIDE"; control characters have no name, only a code."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".strip()


def validate_plain_text(value, *, field: str | None = None, multiline: bool = False) -> None:
    """Refuse control and bidi characters in `value` (None and "" pass).

    `field`: the field's name or label, for messages shown away from the field (a CSV import's
    error report); a form or a serializer puts the error on the field itself."""
    if not value or not isinstance(value, str):
        return
    ch = forbidden_character(value, multiline=multiline)
    if ch is None:
        return
    params = {"character": describe_character(ch), "field": field}
    if field:
        message = _(
            "%(field)s contains an invisible control character (%(character)s). "
            "Remove it and type the text again."
        )
    else:
        message = _(
            "This text contains an invisible control character (%(character)s). "
            "Remove it and type the text again."
        )
    raise ValidationError(message, code="control_character", params=params)


@deconstructible
class PlainTextValidator:
    """`validate_plain_text` as a field validator (models, forms, serializers)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        validate_plain_text(value, multiline=self.multiline)

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash(("PlainTextValidator", self.multiline))


plain_text = PlainTextValidator()
plain_multiline_text = PlainTextValidator(multiline=True)
