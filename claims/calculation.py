"""The claim amount and the split of a recovery: pure functions over plain values (DOMAIN.md,
"Claim amount" and "Recoveries after payment"). They return every step, so the insured's
preview, the handler's claim page and the settlement statement show the same lines.

The six steps, per debtor:
1. the notified invoices that qualified for cover and are still unpaid, net of VAT unless the
   policy insures VAT (`Line.reason` is why an invoice did not qualify: exposure's rules);
2. less payments, credit notes and recoveries received before settlement: the eligible loss;
3. capped at the limit in force on each delivery date, oldest delivery first (the limit is
   shared among the invoices as in exposure): the insured loss;
4. nothing when the insured loss is at or below the intervention threshold;
5. the insured percentage of it, rounded half up to the cent;
6. at most what is left of the policy year's maximum liability.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.money import CENT, round_money

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Line:
    """One unpaid invoice of the debtor, as the rules read it."""

    invoice_id: int
    number: str
    delivery_date: date
    net_amount: Decimal
    vat_amount: Decimal
    open_amount: Decimal  # gross, less payments and credit notes so far
    limit_amount: Decimal  # the limit in force on the delivery date
    reason: str | None = None  # why it does not qualify (exposure.selectors.REASONS), or None


@dataclass(frozen=True, slots=True)
class LineResult:
    invoice_id: int
    number: str
    delivery_date: date
    reason: str | None
    invoiced: Decimal  # the amount counted: net, or gross where VAT is insured
    deducted: Decimal  # paid, credited or recovered, on the amount counted
    unpaid: Decimal  # invoiced - deducted
    limit_amount: Decimal
    covered: Decimal  # within the limit on the delivery date (0 when it does not qualify)

    @property
    def qualifies(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class Calculation:
    """Every figure of the six steps; `indemnity` is what the claim pays."""

    lines: list[LineResult]
    vat_insured: bool
    not_qualifying: Decimal  # unpaid on invoices that do not qualify (step 1, left out)
    invoiced: Decimal  # step 1: qualifying invoices, amount counted
    deductions: Decimal  # step 2
    eligible_loss: Decimal  # step 2: invoiced - deductions
    above_limit: Decimal  # step 3: the part of the eligible loss beyond the limit
    insured_loss: Decimal  # step 3
    threshold: Decimal  # step 4
    below_threshold: bool  # step 4: at or below the threshold, nothing is paid
    insured_percentage: Decimal  # step 5
    indemnity_before_cap: Decimal  # step 5
    max_liability_left: Decimal  # step 6
    indemnity: Decimal  # step 6
    steps: list[dict] = field(default_factory=list)

    @property
    def capped_by_liability(self) -> bool:
        return self.indemnity < self.indemnity_before_cap

    def as_json(self) -> dict:
        """The calculation as JSON-ready values (amounts and dates as text), to keep with a
        settled claim; `from_json` reads it back."""
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict) -> "Calculation":
        money = {
            "not_qualifying",
            "invoiced",
            "deductions",
            "eligible_loss",
            "above_limit",
            "insured_loss",
            "threshold",
            "insured_percentage",
            "indemnity_before_cap",
            "max_liability_left",
            "indemnity",
        }
        values = {k: Decimal(v) if k in money else v for k, v in data.items()}
        values["lines"] = [
            LineResult(
                invoice_id=line["invoice_id"],
                number=line["number"],
                delivery_date=date.fromisoformat(line["delivery_date"]),
                reason=line["reason"],
                invoiced=Decimal(line["invoiced"]),
                deducted=Decimal(line["deducted"]),
                unpaid=Decimal(line["unpaid"]),
                limit_amount=Decimal(line["limit_amount"]),
                covered=Decimal(line["covered"]),
            )
            for line in data["lines"]
        ]
        values["steps"] = [
            {**step, "amount": Decimal(step["amount"])} for step in data.get("steps", [])
        ]
        return cls(**values)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def counted(line: Line, *, vat_insured: bool) -> tuple[Decimal, Decimal]:
    """(invoiced, unpaid) of a line as a claim counts them: gross where VAT is insured,
    otherwise net, the unpaid part carrying VAT in the invoice's own proportion."""
    gross = line.net_amount + line.vat_amount
    if vat_insured or not line.vat_amount:
        return gross if vat_insured else line.net_amount, line.open_amount
    if gross <= 0:
        return line.net_amount, ZERO
    # (round_money's rule, inline: this runs once per invoice of the debtor)
    return line.net_amount, (line.open_amount * line.net_amount / gross).quantize(
        CENT, ROUND_HALF_UP
    )


def claim_amount(
    lines: list[Line],
    *,
    insured_percentage: Decimal,
    threshold: Decimal,
    vat_insured: bool,
    max_liability_left: Decimal,
) -> Calculation:
    """The indemnity for the unpaid invoices `lines` of one debtor, with every step."""
    results = []
    used = ZERO  # what earlier deliveries use of the limit
    for line in sorted(lines, key=lambda x: (x.delivery_date, x.invoice_id)):
        invoiced, unpaid = counted(line, vat_insured=vat_insured)
        covered = ZERO
        if line.reason is None:
            covered = max(ZERO, min(unpaid, line.limit_amount - used))
            used += unpaid
        results.append(
            LineResult(
                invoice_id=line.invoice_id,
                number=line.number,
                delivery_date=line.delivery_date,
                reason=line.reason,
                invoiced=invoiced,
                deducted=invoiced - unpaid,
                unpaid=unpaid,
                limit_amount=line.limit_amount,
                covered=covered,
            )
        )
    qualifying = [r for r in results if r.qualifies]
    not_qualifying = sum((r.unpaid for r in results if not r.qualifies), ZERO)
    invoiced = sum((r.invoiced for r in qualifying), ZERO)
    deductions = sum((r.deducted for r in qualifying), ZERO)
    eligible = invoiced - deductions
    insured_loss = sum((r.covered for r in qualifying), ZERO)
    below = insured_loss <= threshold
    before_cap = ZERO if below else round_money(insured_loss * insured_percentage / HUNDRED)
    left = max(ZERO, round_money(max_liability_left))
    indemnity = min(before_cap, left)
    steps = [
        {"step": 1, "code": "qualifying", "amount": invoiced},
        {"step": 2, "code": "eligible_loss", "amount": eligible},
        {"step": 3, "code": "insured_loss", "amount": insured_loss},
        {"step": 4, "code": "threshold", "amount": threshold},
        {"step": 5, "code": "percentage", "amount": before_cap},
        {"step": 6, "code": "indemnity", "amount": indemnity},
    ]
    return Calculation(
        lines=results,
        vat_insured=vat_insured,
        not_qualifying=not_qualifying,
        invoiced=invoiced,
        deductions=deductions,
        eligible_loss=eligible,
        above_limit=eligible - insured_loss,
        insured_loss=insured_loss,
        threshold=threshold,
        below_threshold=below,
        insured_percentage=insured_percentage,
        indemnity_before_cap=before_cap,
        max_liability_left=left,
        indemnity=indemnity,
        steps=steps,
    )


@dataclass(frozen=True, slots=True)
class RecoverySplit:
    amount: Decimal
    share_of_insured_loss: str  # "insured loss / eligible loss", for the statement
    on_insured_loss: Decimal
    on_excess: Decimal
    insurer_share: Decimal  # the insured percentage of the part on the insured loss
    returned_before: Decimal  # what the insurer had got back before this recovery
    paid: Decimal  # the indemnity the insurer paid
    to_insurer: Decimal  # insurer_share, but never beyond paid - returned_before
    to_insured: Decimal


def recovery_split(
    amount: Decimal,
    *,
    insured_loss: Decimal,
    eligible_loss: Decimal,
    insured_percentage: Decimal,
    paid: Decimal,
    returned_before: Decimal,
) -> RecoverySplit:
    """How a recovery after payment is shared: the part that falls on the insured loss
    (insured loss ÷ eligible loss) goes the insured percentage to the insurer and the rest to
    the insured; the part on the uninsured excess goes to the insured. The insurer never gets
    back more than it paid."""
    if eligible_loss > 0:
        on_loss = round_money(amount * min(insured_loss, eligible_loss) / eligible_loss)
    else:
        on_loss = ZERO
    share = round_money(on_loss * insured_percentage / HUNDRED)
    room = max(ZERO, paid - returned_before)
    to_insurer = min(share, room)
    return RecoverySplit(
        amount=amount,
        share_of_insured_loss=f"{insured_loss} / {eligible_loss}",
        on_insured_loss=on_loss,
        on_excess=amount - on_loss,
        insurer_share=share,
        returned_before=returned_before,
        paid=paid,
        to_insurer=to_insurer,
        to_insured=amount - to_insurer,
    )
