"""Two statements the ORM does not offer, for PostgreSQL and SQLite (3.35 and later).

- ``insert_new``: ``INSERT ... ON CONFLICT DO NOTHING RETURNING``, the rows this very
  statement inserted. ``bulk_create(ignore_conflicts=True)`` cannot say which rows those
  were, and counting is exactly that question: a row another transaction inserted first
  (or inserts and commits while we wait on its lock) is not ours to count.
- ``add_to_counters``: ``INSERT ... ON CONFLICT (...) DO UPDATE SET n = n + excluded.n``,
  an increment that creates the row when missing; ``bulk_create(update_conflicts=True)``
  only overwrites.

Values go through each field's ``get_db_prep_save`` (as the ORM's own inserts do), and
returned values through ``to_python``. On PostgreSQL the rows travel as one array a
column (``SELECT * FROM UNNEST(...)``), as Django's own bulk inserts there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router

BATCH = 500


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a concrete column, not a reverse relation
    return field


def _table(model: type[models.Model], fields: Sequence[str]) -> tuple[Any, list[Any], str]:
    connection = connections[router.db_for_write(model)]
    columns: list[Any] = [_field(model, name) for name in fields]
    quote = connection.ops.quote_name
    # Only quoted names of the model's own table and columns: every value is a parameter.
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(column.column) for column in columns)}) "
    )
    return connection, columns, head


def _values(connection: Any, columns: list[Any], rows: Sequence[Sequence[Any]]) -> tuple[str, list]:
    """The rows to insert: one array a column on PostgreSQL (as Django's bulk_create does
    there: thousands of placeholders would cost more to bind than to insert), else VALUES."""
    prepared = [
        [
            column.get_db_prep_save(value, connection)
            for column, value in zip(columns, row, strict=True)
        ]
        for row in rows
    ]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
        columnwise = [list(values) for values in zip(*prepared, strict=True)]
        return f"SELECT * FROM UNNEST({arrays})", columnwise  # noqa: S608 (column types)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return "VALUES " + ", ".join([row_sql] * len(rows)), [v for row in prepared for v in row]


def insert_new(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Inserts the rows no unique constraint refuses; returns ``returning`` of those."""
    connection, columns, head = _table(model, fields)
    back = [_field(model, name) for name in returning]
    tail = " ON CONFLICT DO NOTHING RETURNING " + ", ".join(
        connection.ops.quote_name(field.column) for field in back
    )
    inserted: list[tuple[Any, ...]] = []
    if not rows:
        return inserted
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            values, params = _values(connection, columns, rows[start : start + BATCH])
            cursor.execute(head + values + tail, params)
            inserted.extend(
                tuple(field.to_python(value) for field, value in zip(back, row, strict=True))
                for row in cursor.fetchall()
            )
    return inserted


def add_to_counters(
    model: type[models.Model],
    keys: Sequence[str],
    counters: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Adds each row's counters to the row of the same keys, creating it when missing.

    ``rows`` hold the keys then the counters, in the order given; keys must be unique
    among the rows (one statement may not update a row twice)."""
    connection, columns, head = _table(model, [*keys, *counters])
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = ", ".join(quote(column.column) for column in columns[: len(keys)])
    updates = ", ".join(
        f"{quote(column.column)} = {table}.{quote(column.column)} + excluded.{quote(column.column)}"
        for column in columns[len(keys) :]
    )
    tail = f" ON CONFLICT ({key_columns}) DO UPDATE SET {updates}"
    if not rows:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            values, params = _values(connection, columns, rows[start : start + BATCH])
            cursor.execute(head + values + tail, params)
