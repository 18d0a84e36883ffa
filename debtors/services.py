"""Every write on the debtor register: registering a company, adding a credit report (which may
record risk events), recording a risk event, refreshing from an information provider.

Risk events alert the insureds holding a limit on the debtor: after the transaction commits the
alert job of `limits` is queued by name (this app never imports `limits`, which depends on it);
the beat also runs it every minute, so an event is never missed if the queue was down.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.countries import is_country
from core.exceptions import Conflict, DomainError
from core.identifiers import normalise_registration_number
from core.money import round_money

from .models import INSOLVENCY_EVENTS, CreditReport, Debtor, RiskEvent, RiskEventKind
from .providers import ProviderDataError, configured_provider

ALERT_TASK = "limits.tasks.risk_events_alert_task"
RATING_DROP_POINTS = 10
MANUAL_SOURCE = "manual"
PROVIDER_SOURCE = "provider:%s"
REPORT_FIELDS = frozenset(
    f.name
    for f in CreditReport._meta.concrete_fields
    if f.name not in {"id", "debtor", "source", "as_of", "imported_at"}
)
DATED_LIST_FIELDS = (
    "payment_remarks",
    "debt_balance_history",
    "payment_orders",
    "failed_distraints",
)


class DebtorExists(Conflict):
    code = "debtor_exists"
    default_message = gettext_lazy("This company is already in the register.")


class ProviderError(DomainError):
    code = "provider_error"


def alerts_queue() -> None:
    """Queue the alert job once the transaction commits (limits.tasks, by name)."""
    transaction.on_commit(lambda: current_app.send_task(ALERT_TASK))


# Registering ----------------------------------------------------------------------------------


def registration_key(country: str, registration_number: str) -> tuple[str, str]:
    """(country, stored number), or ValidationError naming the field at fault."""
    country = (country or "").strip().upper()
    if not is_country(country):
        raise ValidationError(
            {"country": _("%(code)s is not an ISO 3166 country code.") % {"code": country}},
            code="invalid_country",
        )
    try:
        return country, normalise_registration_number(country, registration_number)
    except ValidationError as exc:
        raise ValidationError({"registration_number": exc.error_list}) from exc


def debtor_exists_error(debtor: Debtor) -> DebtorExists:
    return DebtorExists(
        _("%(name)s (%(country)s %(number)s) is already in the register.")
        % {"name": debtor.name, "country": debtor.country, "number": debtor.registration_number},
        field="registration_number",
        debtor_id=debtor.pk,
    )


@transaction.atomic
def debtor_register(
    *,
    actor,
    country: str,
    registration_number: str,
    name: str,
    legal_form: str = "",
    city: str = "",
) -> Debtor:
    """Add a company to the register. Its number is validated and normalised; a company
    already registered is refused with `debtor_exists`, naming the existing debtor's id."""
    country, number = registration_key(country, registration_number)
    existing = Debtor.objects.filter(country=country, registration_number=number).first()
    if existing is not None:
        raise debtor_exists_error(existing)
    debtor = Debtor(
        country=country,
        registration_number=number,
        name=(name or "").strip(),
        legal_form=(legal_form or "").strip(),
        city=(city or "").strip(),
    )
    debtor.full_clean(validate_constraints=False)
    debtor._history_user = actor
    debtor._change_reason = _("Registered")
    try:
        with transaction.atomic():
            debtor.save()
    except IntegrityError:
        # Registered by someone else between our check and our insert.
        raise debtor_exists_error(
            Debtor.objects.get(country=country, registration_number=number)
        ) from None
    return debtor


# Credit reports -------------------------------------------------------------------------------


def dated_list(items: Any, field: str) -> list[dict]:
    """A dated list in its stored form, newest first: [{"date": "YYYY-MM-DD", "amount":
    "123.00"}] (amount optional). Accepts dates as `date` or ISO strings, amounts as Decimal,
    int or string; anything else is a ValidationError on `field`."""
    out = []
    for item in items or ():
        try:
            raw_date = item["date"]
            day = raw_date if isinstance(raw_date, date) else date.fromisoformat(str(raw_date))
            amount = item.get("amount")
            if isinstance(amount, float):
                raise TypeError
            if day > timezone.localdate():
                raise ValidationError(
                    {field: _("%(day)s lies in the future.") % {"day": day.isoformat()}},
                    code="future",
                )
            entry = {"date": day.isoformat()}
            if amount not in (None, ""):
                entry["amount"] = str(round_money(Decimal(str(amount))))
        except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation):
            raise ValidationError(
                {field: _("Each entry needs a date (YYYY-MM-DD) and may have an amount.")},
                code="invalid_dated_list",
            ) from None
        out.append(entry)
    return sorted(out, key=lambda e: e["date"], reverse=True)


def report_events(
    *, previous, as_of: date, rating: int | None, payment_remarks: list[dict]
) -> list[tuple[str, date, str]]:
    """The risk events a new (newest) report shows against the one before it (anything with
    `as_of` and `rating`, or None for a first report): (kind, occurred_on, details)."""
    if previous is None:
        return []
    events = []
    if (
        rating is not None
        and previous.rating is not None
        and previous.rating - rating >= RATING_DROP_POINTS
    ):
        events.append(
            (
                RiskEventKind.RATING_DROP,
                as_of,
                _("Rating fell from %(old)s to %(new)s.") % {"old": previous.rating, "new": rating},
            )
        )
    remark_days = sorted(
        {
            date.fromisoformat(r["date"])
            for r in payment_remarks
            if date.fromisoformat(r["date"]) > previous.as_of
        }
    )
    for day in remark_days:
        amounts = [r.get("amount") for r in payment_remarks if r["date"] == day.isoformat()]
        shown = ", ".join(a for a in amounts if a)
        details = (
            _("New payment remark: %(amounts)s SEK.") % {"amounts": shown}
            if shown
            else _("New payment remark.")
        )
        events.append((RiskEventKind.PAYMENT_REMARK, day, details))
    return events


def _newest(debtor_id: int) -> CreditReport | None:
    return CreditReport.objects.filter(debtor_id=debtor_id).order_by("-as_of", "-id").first()


@transaction.atomic
def credit_report_add(*, debtor: Debtor, source: str, as_of: date, **figures: Any) -> CreditReport:
    """Store a credit report as a new row (reports are never changed). When it is the newest,
    it becomes the debtor's latest report, gives the debtor its legal form, and records a
    RATING_DROP event when the rating fell by 10 points or more and a PAYMENT_REMARK event for
    each remark dated after the previous report. An older report (filling in history) only
    adds to the history."""
    unknown = set(figures) - REPORT_FIELDS
    if unknown:
        raise ValueError(f"Not credit report fields: {sorted(unknown)}")
    for field in DATED_LIST_FIELDS:
        if field in figures:
            figures[field] = dated_list(figures[field], field)
    debtor = Debtor.objects.select_for_update().get(pk=debtor.pk)
    previous = _newest(debtor.pk)
    report = CreditReport(debtor=debtor, source=source, as_of=as_of, **figures)
    report.full_clean()
    report.save()
    if previous is not None and as_of < previous.as_of:
        return report

    debtor.latest_report = report
    if report.legal_form and report.legal_form != debtor.legal_form:
        debtor.legal_form = report.legal_form
        debtor._change_reason = _("Legal form from the credit report of %(day)s (%(source)s)") % {
            "day": as_of.isoformat(),
            "source": source,
        }
        debtor.save(update_fields=["latest_report", "legal_form"])
    else:
        Debtor.objects.filter(pk=debtor.pk).update(latest_report=report)

    for kind, day, details in report_events(
        previous=previous,
        as_of=as_of,
        rating=report.rating,
        payment_remarks=report.payment_remarks,
    ):
        risk_event_record(
            actor=None,
            debtor=debtor,
            kind=kind,
            occurred_on=day,
            details=details,
            source=source,
        )
    return report


# Risk events ----------------------------------------------------------------------------------


@transaction.atomic
def risk_event_record(
    *,
    actor,
    debtor: Debtor,
    kind: str,
    occurred_on: date,
    details: str = "",
    source: str = MANUAL_SOURCE,
) -> RiskEvent:
    """Record a risk event once: the same debtor, kind, day and source again returns the row
    already there. An insolvency (bankruptcy, restructuring, liquidation) marks the debtor
    insolvent from that day if it was not yet. Insureds with a limit are alerted after
    commit."""
    if kind not in RiskEventKind.values:
        raise ValidationError({"kind": _("Not a kind of risk event: %(kind)s") % {"kind": kind}})
    if occurred_on > timezone.localdate():
        raise ValidationError(
            {"occurred_on": _("A risk event cannot lie in the future.")}, code="future"
        )
    key = {"debtor": debtor, "kind": kind, "occurred_on": occurred_on, "source": source}
    existing = RiskEvent.objects.filter(**key).first()
    if existing is not None:
        return existing
    event = RiskEvent(**key, details=(details or "")[:500], recorded_by=actor)
    event.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        return RiskEvent.objects.get(**key)

    if kind in INSOLVENCY_EVENTS:
        locked = Debtor.objects.select_for_update().get(pk=debtor.pk)
        if locked.insolvent_since is None:
            locked.insolvent_since = occurred_on
            locked._history_user = actor
            locked._change_reason = str(event)[:100]
            locked.save(update_fields=["insolvent_since"])
            debtor.insolvent_since = occurred_on
    alerts_queue()
    return event


# Information provider -------------------------------------------------------------------------


def debtor_refresh(*, actor, debtor: Debtor) -> CreditReport | None:
    """Fetch the debtor's data from the configured information provider and add it as a
    report (source `provider:<name>`). None when no provider is configured or it knows
    nothing of the debtor; the report already stored when the provider has nothing newer."""
    provider = configured_provider()
    if provider is None:
        return None
    try:
        data = provider.fetch(debtor.country, debtor.registration_number)
    except ProviderDataError as exc:
        raise ProviderError(
            _("The information provider %(name)s sent data that cannot be read: %(error)s")
            % {"name": provider.name, "error": exc}
        ) from exc
    if data is None:
        return None
    source = (PROVIDER_SOURCE % provider.name)[:100]
    same = CreditReport.objects.filter(debtor=debtor, source=source, as_of=data.as_of).first()
    if same is not None:
        return same
    return credit_report_add(debtor=debtor, source=source, as_of=data.as_of, **data.figures())
