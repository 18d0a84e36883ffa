"""Helpers for posting forms as a browser would."""

from django import forms


def posted(form, **changes) -> dict:
    """What a browser posts for an untouched form (its initial values), with some fields
    changed; a change to None or False leaves the field out."""
    data = {}
    for bound in form:
        value, widget = bound.value(), bound.field.widget
        if isinstance(widget, forms.CheckboxInput):
            data[bound.name] = "on" if value else None
            continue
        shown = widget.format_value(value)
        if isinstance(shown, list) and not widget.allow_multiple_selected:
            shown = shown[0] if shown and shown[0] else None
        data[bound.name] = shown
    data.update(changes)
    return {name: value for name, value in data.items() if value not in (None, False, [])}
