"""Writing a checked credit report file, set-based: new debtors and reports in batches with
their history, the latest report of every debtor in one statement, the risk events the
reports show (as debtors.services.credit_report_add would) and those the file names."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.bulk import copy_rows, next_ids

from ..models import INSOLVENCY_EVENTS, CreditReport, Debtor, RiskEvent
from ..services import alerts_queue, report_events
from .reading import FIGURE_INDEX, Row
from .reading import FIGURES as FIGURE_NAMES

BATCH = 2000
RATING, REMARKS = FIGURE_INDEX["rating"], FIGURE_INDEX["payment_remarks"]


@dataclass
class Known:
    """A debtor of the file already in the register, and its latest report."""

    id: int
    legal_form: str
    latest_as_of: date | None
    latest_rating: int | None


def write(rows: list[Row], known: dict, *, actor, source: str) -> dict[str, int]:
    """Write checked rows; the numbers of debtors registered, reports added, events recorded."""
    reason = _("Imported from %(source)s") % {"source": source}
    by_debtor: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_debtor[(row.country, row.number)].append(row)
    for group in by_debtor.values():
        group.sort(key=lambda r: r.as_of)

    # New debtors as (country, number, name, legal_form, city): their newest non-empty values
    new = []
    for key, group in by_debtor.items():
        if key not in known:
            newest = group[::-1]
            new.append(
                (
                    *key,
                    next((r.name for r in newest if r.name), ""),
                    next((r.legal_form for r in newest if r.legal_form), ""),
                    next((r.city for r in newest if r.city), ""),
                )
            )
    ids = {k: v.id for k, v in known.items()}
    now = timezone.now()
    if connection.vendor == "postgresql":
        _copy_all(
            rows, by_debtor, new, known, ids, now=now, actor=actor, source=source, reason=reason
        )
    else:
        debtors = [
            Debtor(country=c, registration_number=n, name=name, legal_form=form, city=city)
            for c, n, name, form, city in new
        ]
        bulk_create_with_history(
            debtors, Debtor, batch_size=BATCH, default_user=actor, default_change_reason=reason
        )
        for debtor in debtors:
            ids[(debtor.country, debtor.registration_number)] = debtor.pk
        reports = [
            CreditReport(
                debtor_id=ids[(r.country, r.number)],
                source=source,
                as_of=r.as_of,
                imported_at=now,
                legal_form=r.legal_form,
                **dict(zip(FIGURE_NAMES, r.figures, strict=True)),
            )
            for r in rows
        ]
        CreditReport.objects.bulk_create(reports, batch_size=BATCH)
        Debtor.objects.filter(pk__in=[ids[k] for k in by_debtor]).update(
            latest_report=Subquery(
                CreditReport.objects.filter(debtor=OuterRef("pk"))
                .order_by("-as_of", "-id")
                .values("id")[:1]
            )
        )

    events, form_changes = _derived(by_debtor, known, ids, source)
    if form_changes:
        changed = list(Debtor.objects.filter(pk__in=form_changes))
        for debtor in changed:
            debtor.legal_form = form_changes[debtor.pk]
        bulk_update_with_history(
            changed,
            Debtor,
            ["legal_form"],
            batch_size=BATCH,
            default_user=actor,
            default_change_reason=reason,
        )
    events_recorded = _events_write(events, source=source, actor=actor)
    return {"debtors": len(new), "reports": len(rows), "events": events_recorded}


def _copy_all(rows, by_debtor, new, known, ids, *, now, actor, source, reason) -> None:
    """PostgreSQL: ids drawn first, so that each debtor's newest report is known before
    anything is written: new debtors are copied pointing at it (the foreign key is checked
    at commit) and known debtors are moved to it in one statement."""
    report_pks, debtor_pks = next_ids((CreditReport, len(rows)), (Debtor, len(new)))
    report_ids = dict(zip((r.line for r in rows), report_pks, strict=True))
    for identity, pk in zip(new, debtor_pks, strict=True):
        ids[identity[:2]] = pk
    _copy_debtors(new, by_debtor, ids, report_ids, now=now, actor=actor, reason=reason)

    json_fields = {
        f.attname for f in CreditReport._meta.concrete_fields if isinstance(f, JSONField)
    }
    figures = tuple(FIGURE_NAMES)
    json_at = [i for i, name in enumerate(figures) if name in json_fields]

    def report(r: Row) -> tuple:
        values = list(r.figures)
        for i in json_at:
            values[i] = json.dumps(list(values[i])) if values[i] else "[]"
        return (report_ids[r.line], ids[(r.country, r.number)], r.as_of, r.legal_form, *values)

    copy_rows(
        CreditReport,
        ("id", "debtor_id", "as_of", "legal_form", *figures),
        map(report, rows),
        {"source": source, "imported_at": now},
    )
    moved = []  # known debtors whose newest report is now one of the file's
    for key, group in by_debtor.items():
        k = known.get(key)
        if k is not None and (
            k.latest_as_of is None or group[-1].as_of >= k.latest_as_of.isoformat()
        ):
            moved.append((k.id, report_ids[group[-1].line]))
    if moved:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {qn(Debtor._meta.db_table)} d SET latest_report_id = v.rid "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, rid) WHERE d.id = v.id",
                [[m[0] for m in moved], [m[1] for m in moved]],
            )


def _copy_debtors(new, by_debtor, ids, report_ids, *, now, actor, reason: str) -> None:
    """New debtors, each pointing at its newest report, and their history rows."""
    if not new:
        return
    debtors = [(ids[d[:2]], *d, now) for d in new]
    names = ("id", "country", "registration_number", "name", "legal_form", "city", "created_at")
    copy_rows(
        Debtor,
        (*names, "latest_report_id"),
        (d + (report_ids[by_debtor[d[1:3]][-1].line],) for d in debtors),
    )
    history = {
        "history_date": now,
        "history_change_reason": reason[:100],
        "history_type": "+",
        "history_user_id": actor.pk if actor else None,
    }
    copy_rows(Debtor.history.model, names, debtors, history)


def _derived(by_debtor, known, ids, source):
    """Risk events the reports show (as credit_report_add would) and the events the file
    names; legal forms of known debtors that the newest report changes."""
    events: dict[tuple, str] = {}
    form_changes: dict[int, str] = {}
    for key, group in by_debtor.items():
        debtor_id = ids[key]
        k = known.get(key)
        previous = (
            _Prev(k.latest_as_of, k.latest_rating)
            if k is not None and k.latest_as_of is not None
            else None
        )
        for row in group:
            if row.event_kind:
                events.setdefault(
                    (debtor_id, row.event_kind, date.fromisoformat(row.event_date)),
                    _("Reported in %(source)s") % {"source": source},
                )
            as_of = date.fromisoformat(row.as_of)
            if previous is not None and as_of < previous.as_of:
                continue  # an older report fills in history only
            rating = row.figures[RATING]
            for kind, day, details in report_events(
                previous=previous,
                as_of=as_of,
                rating=rating,
                payment_remarks=list(row.figures[REMARKS] or ()),
            ):
                events.setdefault((debtor_id, str(kind), day), details)
            previous = _Prev(as_of, rating)
            if k is not None and row.legal_form:
                if row.legal_form != k.legal_form:
                    form_changes[debtor_id] = row.legal_form
                else:
                    form_changes.pop(debtor_id, None)
    return events, form_changes


@dataclass(frozen=True)
class _Prev:
    as_of: date
    rating: int | None


def _events_write(events: dict[tuple, str], *, source: str, actor) -> int:
    if not events:
        return 0
    debtor_ids = {k[0] for k in events}
    existing = set(
        RiskEvent.objects.filter(debtor_id__in=debtor_ids, source=source).values_list(
            "debtor_id", "kind", "occurred_on"
        )
    )
    fresh = [
        RiskEvent(
            debtor_id=d,
            kind=kind,
            occurred_on=day,
            source=source,
            details=details[:500],
            recorded_by=actor,
        )
        for (d, kind, day), details in events.items()
        if (d, kind, day) not in existing
    ]
    RiskEvent.objects.bulk_create(fresh, batch_size=BATCH, ignore_conflicts=True)
    insolvent: dict[int, date] = {}
    for e in fresh:
        if e.kind in INSOLVENCY_EVENTS:
            insolvent[e.debtor_id] = min(e.occurred_on, insolvent.get(e.debtor_id, e.occurred_on))
    by_day: dict[date, list[int]] = defaultdict(list)
    for debtor_id, day in insolvent.items():
        by_day[day].append(debtor_id)
    for day, pks in by_day.items():
        Debtor.objects.filter(pk__in=pks, insolvent_since__isnull=True).update(insolvent_since=day)
    if fresh:
        alerts_queue()
    return len(fresh)
