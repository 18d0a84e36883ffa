"""Template helpers shared by every page: money in the active language, sortable headers,
querystring edits for filters and pagination."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.countries import EU_MEMBERS, country_name
from core.currencies import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    return format_money(amount, currency)


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def countries_summary(codes: list[str]) -> str:
    """ "All EU member states + Norway" rather than 28 names, when the EU is covered whole."""
    codes = set(codes or [])
    parts = []
    if set(EU_MEMBERS) <= codes:
        parts.append(str(_("all EU member states")))
        codes -= set(EU_MEMBERS)
    parts.extend(sorted(country_name(c) for c in codes))
    return ", ".join(parts)


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str) -> str:
    """A column header that sorts by `field`, toggling the direction, with aria-sort."""
    current = context["request"].GET.get("ordering", "")
    if current == field:
        new, state, arrow = f"-{field}", "ascending", "▲"
    elif current == f"-{field}":
        new, state, arrow = field, "descending", "▼"
    else:
        new, state, arrow = field, "none", ""
    href = query(context, ordering=new, page=None)
    return format_html(
        '<a href="{}" class="sort-link" aria-sort="{}">{} <span aria-hidden="true">{}</span></a>',
        href,
        state,
        label,
        arrow,
    )


STATUS_STYLES = {
    "draft": "secondary",
    "issued": "success",
    "expired": "dark",
    "cancelled": "danger",
    "ready": "success",
    "pending": "warning",
    "failed": "danger",
    "declared": "success",
    "declared_late": "warning",
    "open": "light",
    "due": "info",
    "late": "danger",
    "submitted": "info",
    "referred": "warning",
    "approved": "success",
    "partly_approved": "primary",
    "refused": "danger",
    "withdrawn": "secondary",
}


@register.simple_tag
def status_badge(value: str, label: str) -> str:
    style = STATUS_STYLES.get(value, "secondary")
    text = " text-dark" if style in ("light", "warning", "info") else ""
    if style == "light":
        text += " border border-secondary-subtle"
    return format_html('<span class="badge text-bg-{}{}">{}</span>', style, text, label)
