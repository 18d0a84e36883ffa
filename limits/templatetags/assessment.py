"""An assessment's steps on a page, in the reader's language (see limits.reasons)."""

from django import template

from ..reasons import describe_step

register = template.Library()


@register.filter
def step_line(step, currency: str) -> str:
    """`{{ step|step_line:currency }}`: one stored step as a line; old English lines as
    they were stored."""
    return describe_step(step, currency)
