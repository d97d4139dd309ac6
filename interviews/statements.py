"""Reads and writes of model rows through SQL built once per process from the models' metadata.

The ORM builds every statement afresh: a primary-key `get()` or a one-row `save()` costs about
0.3-0.4 ms of CPU before the database sees it, against some 0.03 ms for the statement itself. An
interview answer runs a dozen of them, so that is where its time went (bench/README.md, "Load and
faults"). The answer's transaction (`services.mock_interviews._answer_and_next`) uses these instead.
They keep the ORM's meaning where it matters: columns and tables come from `_meta`, values are
prepared by each field (`pre_save`, `get_db_prep_save`: `auto_now_add`, JSON, UUIDs, time zones)
and read back through the same converters the ORM applies, into model instances (`Model.from_db`).

Not a query builder: equality filters joined by AND, an optional ORDER BY, and FOR UPDATE where
the database has it (SQLite's IMMEDIATE transactions hold the whole database's write lock instead).
No signals are sent: keep these to models without save signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _fields(model: type[Model], names: tuple[str, ...] | None) -> tuple[Field, ...]:
    """The concrete fields called `names` (names or attnames; None: all), in the model's own order."""
    if names is None:
        return tuple(model._meta.concrete_fields)
    wanted = {model._meta.get_field(name).attname for name in names}
    return tuple(f for f in model._meta.concrete_fields if f.attname in wanted)


@cache
def _select_sql(
    vendor: str, model: type[Model], names: tuple[str, ...] | None, where: tuple[str, ...], order_by: str, lock: bool
) -> tuple[str, tuple]:
    fields = _fields(model, names)
    table = model._meta.db_table
    columns = ", ".join(_q(f.column) for f in fields)
    conditions = " AND ".join(f"{_q(model._meta.get_field(w).column)} = %s" for w in where)
    sql = f"SELECT {columns} FROM {_q(table)} WHERE {conditions}"  # noqa: S608 - quoted names from _meta
    if order_by:
        sql += f" ORDER BY {_q(model._meta.get_field(order_by).column)}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    where_fields = tuple(model._meta.get_field(w) for w in where)
    columns_read = []
    for f in fields:
        col = f.get_col(table)
        converters = tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        columns_read.append((f.attname, col, converters))
    return sql, tuple(columns_read), where_fields


def select(
    cursor, model: type[M], names: Sequence[str] | None, *, where: dict, order_by: str = "", lock: bool = False
) -> list[M]:
    """Instances of `model` with only `names` loaded (None: all its fields; the rest deferred), where
    each `where` field equals its value (a primary key for a relation)."""
    names = None if names is None else tuple(names)
    sql, columns, where_fields = _select_sql(connection.vendor, model, names, tuple(where), order_by, lock)
    conditions = zip(where_fields, where.values(), strict=True)
    cursor.execute(sql, [f.get_db_prep_value(v, connection, prepared=False) for f, v in conditions])
    attnames = [attname for attname, _, _ in columns]
    rows = []
    for row in cursor.fetchall():
        values = []
        for value, (_, col, converters) in zip(row, columns, strict=True):
            for convert in converters:
                value = convert(value, col, connection)
            values.append(value)
        rows.append(model.from_db(connection.alias, attnames, values))
    return rows


@cache
def _insert_sql(vendor: str, model: type[Model], names: tuple[str, ...]) -> tuple[str, tuple[Field, ...]]:
    fields = _fields(model, names)
    columns = ", ".join(_q(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    pk = _q(model._meta.pk.column)
    sql = f"INSERT INTO {_q(model._meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING {pk}"  # noqa: S608
    return sql, fields


def insert(cursor, obj: Model, names: Iterable[str] | None = None) -> None:
    """INSERT `obj` (every concrete field but the primary key, or `names`) and set its primary key,
    which the database assigns (an auto-incremented key)."""
    model = type(obj)
    if names is None:
        names = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    sql, fields = _insert_sql(connection.vendor, model, tuple(names))
    cursor.execute(sql, [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = connection.alias


@cache
def _update_sql(vendor: str, model: type[Model], names: tuple[str, ...]) -> tuple[str, tuple[Field, ...]]:
    fields = _fields(model, names)
    assignments = ", ".join(f"{_q(f.column)} = %s" for f in fields)
    sql = f"UPDATE {_q(model._meta.db_table)} SET {assignments} WHERE {_q(model._meta.pk.column)} = %s"  # noqa: S608
    return sql, fields


def update(cursor, obj: Model, names: Iterable[str]) -> int:
    """UPDATE the row of `obj` with the values of its fields `names`; the number of rows changed."""
    sql, fields = _update_sql(connection.vendor, type(obj), tuple(names))
    cursor.execute(sql, [*(f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields), obj.pk])
    return cursor.rowcount
