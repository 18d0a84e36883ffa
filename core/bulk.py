"""Writing many checked rows at once on PostgreSQL, for the imports: ids drawn from a model's
sequence in two queries whatever their number, and COPY of plain tuples. `bulk_create`
spends most of its time building and adapting model instances; these rows are checked
already."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import AutoField, BooleanField
from django.db.models.expressions import RawSQL


def next_ids(*wanted: tuple[type, int]) -> list[list[int]]:
    """For each (model, n): `n` ids drawn from the model's sequence. The sequences are named
    first (a name in the statement is read once; looked up in it, it would be looked up for
    every id), then the ids come as texts, which split in a fraction of the time an array of
    thousands of numbers takes to load."""
    if not any(n for _model, n in wanted):
        return [[] for _ in wanted]
    with connection.cursor() as cursor:
        lookups = ", ".join("pg_get_serial_sequence(%s, 'id')" for _ in wanted)
        cursor.execute(f"SELECT {lookups}", [model._meta.db_table for model, _n in wanted])
        sequences = cursor.fetchone()
        draws = ", ".join(
            "(SELECT string_agg(nextval(%s::regclass)::text, ',') FROM generate_series(1, %s))"
            for _ in wanted
        )
        params = [p for seq, (_model, n) in zip(sequences, wanted, strict=True) for p in (seq, n)]
        cursor.execute(f"SELECT {draws}", params)
        return [list(map(int, ids.split(","))) if ids else [] for ids in cursor.fetchone()]


def copy_rows(model, names, rows: Iterable[tuple], constants: dict | None = None) -> None:
    """COPY `rows`, tuples of the fields `names` (attnames), each followed by `constants`;
    every other field gets its default (an auto id: its sequence)."""
    constants = dict(constants or {})
    for f in model._meta.concrete_fields:
        if f.attname not in names and f.attname not in constants and not isinstance(f, AutoField):
            constants[f.attname] = f.get_default()
    tail = tuple(constants.values())
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    qn = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        qn(model._meta.db_table), ", ".join(qn(columns[n]) for n in (*names, *constants))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write_row = copy.write_row
        for row in rows:
            write_row(row + tail)


def equals_any(model, column: str, values: list) -> RawSQL:
    """`column = ANY(values)` as a filter: one array parameter however many values, where
    `column__in` would send thousands (PostgreSQL)."""
    qn = connection.ops.quote_name
    return RawSQL(f"{qn(model._meta.db_table)}.{qn(column)} = ANY(%s)", (values,), BooleanField())
