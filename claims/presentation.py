"""How a claim's calculation is named line by line, the same on the claim page, the insured's
preview, the API and the statement PDFs."""

from django.utils.translation import gettext_lazy as _

from core.currencies import format_money
from exposure.selectors import REASONS

from .calculation import Calculation

STEPS = {
    "qualifying": _("1. Unpaid invoices that qualify for cover"),
    "eligible_loss": _("2. Less payments, credit notes and recoveries: eligible loss"),
    "insured_loss": _("3. Capped at the limit on the delivery dates: insured loss"),
    "threshold": _("4. Intervention threshold"),
    "percentage": _("5. Insured percentage of the insured loss"),
    "indemnity": _("6. Within the maximum liability left: indemnity"),
}


def reason_label(code: str | None) -> str:
    """Why an invoice does not qualify, in words ("" when it does)."""
    return str(REASONS[code]) if code else ""


def step_rows(calc: Calculation, currency: str) -> list[dict]:
    """The six steps with their label, amount and a note that explains the figure, in the
    active language."""

    def m(amount):
        return format_money(amount, currency)

    notes = {
        "qualifying": _("%(count)s of %(all)s unpaid invoices; %(left)s does not qualify")
        % {
            "count": sum(1 for line in calc.lines if line.qualifies),
            "all": len(calc.lines),
            "left": m(calc.not_qualifying),
        },
        "eligible_loss": _("%(amount)s deducted") % {"amount": m(calc.deductions)},
        "insured_loss": _("%(amount)s above the limit") % {"amount": m(calc.above_limit)},
        "threshold": _("At or below it nothing is paid")
        if calc.below_threshold
        else _("The insured loss is above it"),
        "percentage": _("%(pct)s %% of the insured loss, rounded half up to the cent")
        % {"pct": f"{calc.insured_percentage.normalize():f}"},
        "indemnity": _("%(left)s of the policy year's maximum liability left")
        % {"left": m(calc.max_liability_left)},
    }
    return [
        {
            "step": step["step"],
            "code": step["code"],
            "label": str(STEPS[step["code"]]),
            "amount": step["amount"],
            "note": str(notes[step["code"]]),
        }
        for step in calc.steps
    ]
