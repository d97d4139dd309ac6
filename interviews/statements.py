"""Reads and writes of model rows through SQL built once per process from the models' metadata.

The ORM builds every statement afresh: a primary-key `get()` or a one-row `save()` costs about
0.3-0.4 ms of CPU before the database sees it, against some 0.03 ms for the statement itself. An
interview answer runs a dozen of them, so that is where its time went (bench/README.md, "Load and
faults"). The answer's transaction (`services.mock_interviews._answer_and_next`) uses these instead.
They keep the ORM's meaning where it matters: columns and tables come from `_meta`, values are
prepared by each field (`pre_save`, `get_db_prep_save`: `auto_now_add`, JSON, UUIDs, time zones)
and read back through the same converters the ORM applies, into model instances (what
`Model.from_db` makes, built directly where that is all it would do: `_set_directly`).

Not a query builder: equality filters joined by AND, an optional ORDER BY, and FOR UPDATE where
the database has it (SQLite's IMMEDIATE transactions hold the whole database's write lock instead).
No signals are sent: keep these to models without save signals.

`batch()` sends several statements in one round trip on PostgreSQL (psycopg's pipeline mode), the
writes between two reads as one statement; on SQLite, which has no round trips, they simply run one
after the other.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

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
    return sql, _columns_read(model, fields), where_fields


def _columns_read(model: type[Model], fields: Iterable[Field]) -> tuple:
    """(attname, col, converters) of each field: what `_instance` needs to read its value."""
    columns_read = []
    for f in fields:
        col = f.get_col(model._meta.db_table)
        converters = tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        columns_read.append((f.attname, col, converters))
    return tuple(columns_read)


def select(
    cursor, model: type[M], names: Sequence[str] | None, *, where: dict, order_by: str = "", lock: bool = False
) -> list[M]:
    """Instances of `model` with only `names` loaded (None: all its fields; the rest deferred), where
    each `where` field equals its value (a primary key for a relation)."""
    return _send_select(cursor, model, names, where, order_by, lock)()


def _send_select(cursor, model: type[M], names, where: dict, order_by: str, lock: bool) -> Callable[[], list[M]]:
    """Execute the select; the function that reads its rows."""
    db = cursor.db
    names = None if names is None else tuple(names)
    sql, columns, where_fields = _select_sql(db.vendor, model, names, tuple(where), order_by, lock)
    conditions = zip(where_fields, where.values(), strict=True)
    cursor.execute(sql, [f.get_db_prep_value(v, db, prepared=False) for f, v in conditions])

    def rows() -> list[M]:
        return [_instance(model, columns, row, db) for row in cursor.fetchall()]

    return rows


def _instance(model: type[M], columns: tuple, row: Sequence, db) -> M:
    """An instance of `model` from a row's values for `columns` ((attname, col, converters), ...),
    each value read through the converters the ORM would apply."""
    values = {}
    for value, (attname, col, converters) in zip(row, columns, strict=True):
        for convert in converters:
            value = convert(value, col, db)
        values[attname] = value
    if not _set_directly(model):
        return model.from_db(db.alias, list(values), list(values.values()))
    obj = Model.__new__(model)
    obj._state = state = ModelState()
    state.adding, state.db = False, db.alias
    obj.__dict__.update(values)
    return obj


@cache
def _set_directly(model: type[Model]) -> bool:
    """Whether an instance of `model` read from the database can be made by writing its values into
    its `__dict__`, which is what `Model.from_db` comes to for it at about a third of the CPU:
    Django's own `__init__` and `from_db`, no receiver of `pre_init` or `post_init` (looked at once per
    process), and plain attributes for its fields (no descriptor that does more when set, like a
    file field's). Otherwise `from_db` makes it."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        return False
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return False
    plain = (DeferredAttribute, ForeignKeyDeferredAttribute)
    return all(type(inspect.getattr_static(model, f.attname, None)) in plain for f in model._meta.concrete_fields)


@cache
def _joined_sql(
    vendor: str, model: type[Model], parent: str, where: tuple[str, ...], parent_where: tuple[str, ...], outer: bool
) -> tuple[str, tuple, tuple, tuple, int]:
    fk = model._meta.get_field(parent)
    parent_model = fk.related_model
    sides = [(alias, _columns_read(m, m._meta.concrete_fields)) for m, alias in ((model, "c"), (parent_model, "p"))]
    columns = ", ".join(f"{alias}.{_q(col.target.column)}" for alias, read in sides for _, col, _ in read)
    conditions = [f"c.{_q(model._meta.get_field(w).column)} = %s" for w in where]
    conditions += [f"p.{_q(parent_model._meta.get_field(w).column)} = %s" for w in parent_where]
    sql = (
        f"SELECT {columns} FROM {_q(model._meta.db_table)} c"  # noqa: S608 - quoted names from _meta
        f" {'LEFT OUTER' if outer else 'INNER'} JOIN {_q(parent_model._meta.db_table)} p"
        f" ON c.{_q(fk.column)} = p.{_q(fk.target_field.column)}"
        f" WHERE {' AND '.join(conditions)}"
    )
    where_fields = tuple(model._meta.get_field(w) for w in where) + tuple(
        parent_model._meta.get_field(w) for w in parent_where
    )
    # Where the parent's key is in a row: NULL there, the row has no parent (an outer join's).
    parent_key = len(sides[0][1]) + [f.primary_key for f in parent_model._meta.concrete_fields].index(True)
    return sql, sides[0][1], sides[1][1], where_fields, parent_key


def select_with_parent(
    cursor, model: type[M], parent: str, *, where: dict, parent_where: dict | None = None, outer: bool = False
) -> list[tuple[M, Model | None]]:
    """Rows of `model` (every field) with the instance its foreign key `parent` points to (every
    field), read by one statement: pairs (row, parent) where the row's fields equal `where` and the
    parent's equal `parent_where`. The row's `parent` is not set: the caller decides. `outer`: rows
    whose key points nowhere (NULL) come too, their parent None."""
    db = cursor.db
    parent_where = parent_where or {}
    sql, columns, parent_columns, where_fields, parent_key = _joined_sql(
        db.vendor, model, parent, tuple(where), tuple(parent_where), outer
    )
    values = zip(where_fields, [*where.values(), *parent_where.values()], strict=True)
    cursor.execute(sql, [f.get_db_prep_value(v, db, prepared=False) for f, v in values])
    parent_model = model._meta.get_field(parent).related_model
    split = len(columns)
    return [
        (
            _instance(model, columns, row[:split], db),
            None if row[parent_key] is None else _instance(parent_model, parent_columns, row[split:], db),
        )
        for row in cursor.fetchall()
    ]


@cache
def _insert_sql(
    vendor: str, model: type[Model], names: tuple[str, ...], returning: bool
) -> tuple[str, tuple[Field, ...]]:
    fields = _fields(model, names)
    columns = ", ".join(_q(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {_q(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    if returning:
        sql += f" RETURNING {_q(model._meta.pk.column)}"
    return sql, fields


def insert(cursor, obj: Model, names: Iterable[str] | None = None) -> None:
    """INSERT `obj` (every concrete field, or `names`). Its primary key is the one it has (see
    `Batch.reserve_id`) or, when it has none, the one the database assigns, read back at once."""
    if (set_key := _send_insert(cursor, obj, names)) is not None:
        set_key()


def _send_insert(cursor, obj: Model, names: Iterable[str] | None) -> Callable[[], None] | None:
    """Execute the INSERT; the function that sets the key the database assigned (None: `obj` had one)."""
    sql, params, returning = _insert_statement(cursor.db, obj, names)
    cursor.execute(sql, params)
    if not returning:
        return None

    def set_key() -> None:
        obj.pk = cursor.fetchone()[0]

    return set_key


def _insert_statement(db, obj: Model, names: Iterable[str] | None) -> tuple[str, list, bool]:
    """The INSERT of `obj` (`obj` is then no longer `adding`): its SQL, its parameters, and whether it
    returns the key the database assigns (`obj` has none)."""
    model = type(obj)
    keyed = obj.pk is not None
    if names is None:
        names = [f.name for f in model._meta.concrete_fields if keyed or not f.primary_key]
    sql, fields = _insert_sql(db.vendor, model, tuple(names), not keyed)
    params = [f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields]
    obj._state.adding = False
    obj._state.db = db.alias
    return sql, params, not keyed


@cache
def _update_sql(vendor: str, model: type[Model], names: tuple[str, ...]) -> tuple[str, tuple[Field, ...]]:
    fields = _fields(model, names)
    assignments = ", ".join(f"{_q(f.column)} = %s" for f in fields)
    sql = f"UPDATE {_q(model._meta.db_table)} SET {assignments} WHERE {_q(model._meta.pk.column)} = %s"  # noqa: S608
    return sql, fields


def update(cursor, obj: Model, names: Iterable[str]) -> int:
    """UPDATE the row of `obj` with the values of its fields `names`; the number of rows changed."""
    cursor.execute(*_update_statement(cursor.db, obj, names))
    return cursor.rowcount


def _update_statement(db, obj: Model, names: Iterable[str]) -> tuple[str, list]:
    sql, fields = _update_sql(db.vendor, type(obj), tuple(names))
    return sql, [*(f.get_db_prep_save(f.pre_save(obj, False), db) for f in fields), obj.pk]


class Pending(Generic[M]):
    """What a statement sent in a `batch` read: `result`, once the batch is over."""

    def __init__(self, read: Callable[[], object], *, now: bool):
        self._read = read
        self._over = False
        if now:  # not pipelined: read before the next statement runs, shown after the batch as on PostgreSQL
            self._result, self._read = read(), None

    @property
    def result(self):
        if not self._over:
            raise RuntimeError("The batch is not over: its results have not arrived yet.")
        return self._result

    def _finish(self) -> None:
        if self._read is not None:
            self._result = self._read()
        self._over = True


class Batch:
    """Statements sent together (see `batch`)."""

    def __init__(self, db, *, pipelined: bool) -> None:
        self._db = db
        self._pipelined = pipelined
        self._pending: list[Pending] = []
        self._cursors: list = []
        # Pipelined: the writes not sent yet, (sql, params, the instance whose new key it returns or
        # None, the row it writes), sent together by `_send_writes`.
        self._writes: list[tuple[str, list, Model | None, tuple]] = []

    def _add(self, read: Callable[[], object]) -> Pending:
        pending = Pending(read, now=not self._pipelined)
        self._pending.append(pending)
        return pending

    def _cursor(self):
        cursor = self._db.cursor()  # one each: a cursor keeps only its last statement's result
        self._cursors.append(cursor)
        return cursor

    def select(
        self, model: type[M], names: Sequence[str] | None, *, where: dict, order_by: str = "", lock: bool = False
    ) -> Pending[list[M]]:
        self._send_writes()  # a read sees the writes asked for before it
        return self._add(_send_select(self._cursor(), model, names, where, order_by, lock))

    def reserve_id(self, model: type[Model]) -> Pending[int | None]:
        """The next primary key of `model`'s sequence, taken now (PostgreSQL): give it to the instance
        so that its INSERT needs nothing back. None where there are no sequences (SQLite), whose
        INSERT reads its key back at no cost."""
        if self._db.vendor != "postgresql":
            return self._add(lambda: None)
        self._send_writes()
        cursor = self._cursor()
        meta = model._meta
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [meta.db_table, meta.pk.column])
        return self._add(lambda: cursor.fetchone()[0])

    def insert(self, obj: Model, names: Iterable[str] | None = None) -> None:
        """INSERT `obj`; a key the database assigns is set on `obj` when the batch is over."""
        if not self._pipelined:
            if (set_key := _send_insert(self._cursor(), obj, names)) is not None:
                self._add(set_key)
            return
        sql, params, returning = _insert_statement(self._db, obj, names)
        self._write(sql, params, obj if returning else None, (type(obj), obj.pk) if obj.pk is not None else ())

    def update(self, obj: Model, names: Iterable[str]) -> None:
        if not self._pipelined:
            update(self._cursor(), obj, names)
            return
        self._write(*_update_statement(self._db, obj, names), None, (type(obj), obj.pk))

    def _write(self, sql: str, params: list, returns_key_of: Model | None, row: tuple) -> None:
        if row and any(row == written for *_, written in self._writes):
            self._send_writes()  # PostgreSQL leaves undefined which of two writes of a row in one statement wins
        self._writes.append((sql, params, returns_key_of, row))

    def _send_writes(self) -> None:
        """The writes asked for since the last read, as one statement on PostgreSQL: each in a
        data-modifying WITH, the statement returning the keys the database assigned. PostgreSQL runs
        them all or none, and checks foreign keys at the end of the statement, so an item can point
        at the attempt written beside it. One statement saves the client and the server the work of
        each other one (about 0.1 ms on each side, measured on an interview answer)."""
        writes, self._writes = self._writes, []
        if not writes:
            return
        cursor = self._cursor()
        returning = [i for i, (_, _, obj, _) in enumerate(writes) if obj is not None]
        keyed = [writes[i][2] for i in returning]
        if len(writes) == 1:
            cursor.execute(writes[0][0], writes[0][1])
        else:
            parts = ", ".join(f"w{i} AS ({sql})" for i, (sql, *_) in enumerate(writes))
            keys = ", ".join(f"(SELECT * FROM w{i})" for i in returning) or "1"  # noqa: S608 - our own names
            cursor.execute(f"WITH {parts} SELECT {keys}", [p for _, params, *_ in writes for p in params])
        if keyed:

            def set_keys() -> None:
                for obj, key in zip(keyed, cursor.fetchone(), strict=True):
                    obj.pk = key

            self._add(set_keys)

    def _finish(self) -> None:
        for pending in self._pending:
            pending._finish()

    def _close(self) -> None:
        for cursor in self._cursors:
            cursor.close()


@contextmanager
def batch(*, commit: bool = False) -> Iterator[Batch]:
    """Statements sent in one round trip on PostgreSQL (psycopg's pipeline mode), one by one
    elsewhere. Results come when the block is over: a select's rows in `Pending.result`, the key the
    database gave an INSERT on its instance (`Batch.reserve_id` hands one out beforehand, for a
    later statement of the same batch). Nothing inside the block may wait for the database (an ORM
    query would). A batch that opens the transaction takes one round trip more: psycopg waits for
    its BEGIN.

    On PostgreSQL the writes asked for between two reads (or up to the end) go as one statement
    (`Batch._send_writes`), all written or none.

    `commit=True` says the batch is the last thing its transaction does: when that transaction is
    Django's outermost `atomic` block, entered right around the batch's caller (no savepoint, as in
    a request; in a test's own transaction nothing changes), the COMMIT goes in the batch's round
    trip on PostgreSQL, and the block's exit finds nothing left to commit (psycopg sends nothing
    for a connection already out of its transaction). Whatever fails, the write or the COMMIT, raises
    here, inside the block, which then rolls back as for any other error. Nothing may run in the
    transaction after such a batch.

    A failing statement raises Django's error (`IntegrityError`...) by the end of the block, maybe
    from a later statement's call, and none after it runs: whatever the code decided inside the
    block, on objects it keeps, may not have been written."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks it up again
    pipelined = db.vendor == "postgresql"
    sent = Batch(db, pipelined=pipelined)
    try:
        if pipelined:
            db.ensure_connection()
            with db.wrap_database_errors, db.connection.pipeline():
                yield sent
                sent._send_writes()
                if commit and _ends_with_the_outermost_block(db):
                    # Not through a cursor of Django's: no statement to prepare, none to log.
                    db.connection.execute("COMMIT", prepare=False)
        else:
            yield sent
        sent._finish()
    finally:
        sent._close()


def _ends_with_the_outermost_block(db) -> bool:
    """Whether the transaction is the one Django's only `atomic` block opened and will commit."""
    return db.in_atomic_block and len(db.atomic_blocks) == 1 and db.commit_on_exit and not db.needs_rollback
