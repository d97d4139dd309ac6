"""The schema keeps no index that another one makes useless: each costs a write on every insert."""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

APPS = ("interviews", "accounts")


def _indexes(table: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Name -> ((column, order), ...) of the table's indexes (a unique constraint's included)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    indexes = {}
    for name, info in found.items():
        if not (info["index"] or info["unique"] or info["primary_key"]) or not info["columns"]:
            continue
        orders = info.get("orders") or ["ASC"] * len(info["columns"])
        indexes[name] = tuple(zip(info["columns"], [o or "ASC" for o in orders], strict=True))
    return indexes


def _partial(table: str) -> set[str]:
    """Indexes with a WHERE clause (they cover other rows than a full index)."""
    return {
        index.name
        for model in apps.get_models()
        if model._meta.db_table == table
        for index in model._meta.indexes
        if index.condition is not None
    }


@pytest.mark.parametrize(
    "table",
    sorted({m._meta.db_table for m in apps.get_models() if m._meta.app_label in APPS and m._meta.managed}),
)
def test_no_index_is_the_leading_part_of_another(table):
    indexes = _indexes(table)
    partial = _partial(table)
    with connection.cursor() as cursor:
        unique = {n for n, i in connection.introspection.get_constraints(cursor, table).items() if i["unique"]}
    redundant = [
        (name, other)
        for name, columns in indexes.items()
        for other, wider in indexes.items()
        if name != other
        and name not in unique  # a unique index enforces something: never redundant
        and name not in partial
        and other not in partial
        and len(columns) < len(wider)
        and wider[: len(columns)] == columns
    ]
    assert redundant == []
