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

from ..models import INSOLVENCY_EVENTS, CreditReport, Debtor, RiskEvent
from ..services import alerts_queue, report_events
from .reading import FIGURES as FIGURE_NAMES
from .reading import Row

BATCH = 2000


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

    new = []
    for key, group in by_debtor.items():
        if key not in known:
            newest = list(reversed(group))
            new.append(
                Debtor(
                    country=key[0],
                    registration_number=key[1],
                    name=next((r.name for r in newest if r.name), ""),
                    legal_form=next((r.legal_form for r in newest if r.legal_form), ""),
                    city=next((r.city for r in newest if r.city), ""),
                )
            )
    ids = {k: v.id for k, v in known.items()}
    now = timezone.now()
    if connection.vendor == "postgresql":
        _copy_all(
            rows, by_debtor, new, known, ids, now=now, actor=actor, source=source, reason=reason
        )
    else:
        bulk_create_with_history(
            new, Debtor, batch_size=BATCH, default_user=actor, default_change_reason=reason
        )
        for debtor in new:
            ids[(debtor.country, debtor.registration_number)] = debtor.pk
        reports = [
            CreditReport(
                debtor_id=ids[(r.country, r.number)],
                source=source,
                as_of=r.as_of,
                imported_at=now,
                legal_form=r.legal_form,
                **r.figures,
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


def _copy(model, objs, *, exclude=frozenset(), extra=None) -> None:
    """PostgreSQL's COPY for many rows at once (bulk_create spends most of its time adapting
    values in Python). The values are already checked; JSON goes as its text."""
    extra = extra or {}
    fields = [f for f in model._meta.concrete_fields if f.attname not in exclude]
    qn = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row(
                [
                    extra[f.attname]
                    if f.attname in extra
                    else json.dumps(getattr(obj, f.attname))
                    if f.attname in json_fields
                    else getattr(obj, f.attname)
                    for f in fields
                ]
            )


def _next_ids(model, n: int) -> list[int]:
    """`n` ids drawn from the model's sequence in one query."""
    if not n:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, n],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _copy_all(rows, by_debtor, new, known, ids, *, now, actor, source, reason) -> None:
    """PostgreSQL: ids drawn first, so that each debtor's newest report is known before
    anything is written: new debtors are copied pointing at it (the foreign key is checked
    at commit) and known debtors are moved to it in one statement."""
    report_ids = dict(zip((r.line for r in rows), _next_ids(CreditReport, len(rows)), strict=True))
    for debtor, pk in zip(new, _next_ids(Debtor, len(new)), strict=True):
        key = (debtor.country, debtor.registration_number)
        debtor.pk = pk
        debtor.created_at = now
        debtor.latest_report_id = report_ids[by_debtor[key][-1].line]
        ids[key] = pk
    _copy_debtors(new, now=now, actor=actor, reason=reason)
    fields = list(CreditReport._meta.concrete_fields)
    given = {"id", "debtor_id", "source", "as_of", "imported_at", "legal_form", *FIGURE_NAMES}
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    qn = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        qn(CreditReport._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for r in rows:
            values = {
                **defaults,
                **r.figures,
                "id": report_ids[r.line],
                "debtor_id": ids[(r.country, r.number)],
                "source": source,
                "as_of": r.as_of,
                "imported_at": now,
                "legal_form": r.legal_form,
            }
            copy.write_row(
                [
                    json.dumps(list(values[f.attname]))
                    if f.attname in json_fields
                    else values[f.attname]
                    for f in fields
                ]
            )
    moved = []  # known debtors whose newest report is now one of the file's
    for key, group in by_debtor.items():
        k = known.get(key)
        if k is not None and (k.latest_as_of is None or group[-1].as_of >= k.latest_as_of):
            moved.append((k.id, report_ids[group[-1].line]))
    if moved:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {qn(Debtor._meta.db_table)} d SET latest_report_id = v.rid "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, rid) WHERE d.id = v.id",
                [[m[0] for m in moved], [m[1] for m in moved]],
            )


def _copy_debtors(new: list[Debtor], *, now, actor, reason: str) -> None:
    """New debtors with ids drawn from their sequence in one query, and their history rows."""
    if not new:
        return
    _copy(Debtor, new)
    history = {
        "history_date": now,
        "history_change_reason": reason[:100],
        "history_type": "+",
        "history_user_id": actor.pk if actor else None,
    }
    _copy(Debtor.history.model, new, exclude={"history_id"}, extra=history)


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
                    (debtor_id, row.event_kind, row.event_date),
                    _("Reported in %(source)s") % {"source": source},
                )
            if previous is not None and row.as_of < previous.as_of:
                continue  # an older report fills in history only
            rating = row.figures.get("rating")
            for kind, day, details in report_events(
                previous=previous,
                as_of=row.as_of,
                rating=rating,
                payment_remarks=list(row.figures.get("payment_remarks") or ()),
            ):
                events.setdefault((debtor_id, str(kind), day), details)
            previous = _Prev(row.as_of, rating)
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
