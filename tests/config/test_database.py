"""The database connection as the settings configure it."""

import datetime as dt
import select

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import psycopg_any

from config.postgresql.base import TIMESTAMPTZ, TimestamptzLoader
from interviews.models import Question
from tests.round_trips import postgres_round_trips


@pytest.mark.django_db
def test_on_postgresql_a_statement_run_often_is_prepared_once():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (the suite runs on both databases in CI)")
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    for _ in range(threshold + 1):
        list(Question.objects.filter(pk=1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "interviews_question"' in sql and "$1" in sql for sql in prepared), prepared


# --- the health check (config/postgresql) ------------------------------------------------------


def _on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's backend (the suite runs on both databases in CI)")


def _other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None), params.pop("prepare_threshold", None)
    return psycopg.connect(**params, autocommit=True)


def _wait_until_readable(timeout: float = 5.0) -> None:
    """Until the server's message has reached the kept connection's socket."""
    poller = select.poll()
    poller.register(connection.connection.pgconn.socket, select.POLLIN)
    assert poller.poll(timeout * 1000), "nothing arrived from the server"


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _as_a_new_request_does() -> None:
    """Django checks a kept connection once per request, before its first statement."""
    connection.health_check_enabled, connection.health_check_done = True, False
    connection.close_if_health_check_failed()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_quiet_kept_connection_passes_the_health_check_without_a_round_trip():
    _on_postgresql()
    with postgres_round_trips() as trips:
        pid = _backend_pid()
        before = trips.count
        _as_a_new_request_does()
        assert trips.count == before
        assert _backend_pid() == pid


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    _on_postgresql()
    pid = _backend_pid()
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    _wait_until_readable()
    _as_a_new_request_does()
    assert _backend_pid() != pid  # and no error: the request got a new connection


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_anything_else_to_read_gets_djangos_select_1_and_keeps_the_connection():
    _on_postgresql()
    with postgres_round_trips() as trips, _other_connection() as other:
        with connection.cursor() as cursor:
            cursor.execute("LISTEN mlprep_health")
        pid = _backend_pid()
        other.execute("NOTIFY mlprep_health")
        _wait_until_readable()
        before = trips.count
        _as_a_new_request_does()
        assert trips.count == before + 1
        assert _backend_pid() == pid


@pytest.mark.django_db
@pytest.mark.parametrize("zone", [dt.UTC, None, dt.timezone(dt.timedelta(hours=9))])
def test_on_postgresql_timestamps_are_read_as_djangos_loader_reads_them(zone):
    _on_postgresql()
    connection.ensure_connection()
    theirs = type("Theirs", (psycopg_any.BaseTzLoader,), {"timezone": zone})(TIMESTAMPTZ, connection.connection)
    ours = type("Ours", (TimestamptzLoader,), {"timezone": zone})(TIMESTAMPTZ, connection.connection)
    for text in (b"2026-12-02 10:11:12.123456+00", b"2026-12-02 10:11:12+00", b"0001-01-01 00:00:00+00"):
        value = ours.load(text)
        assert value == theirs.load(text) and value.tzinfo is zone
        assert value.replace(tzinfo=None) == theirs.load(text).replace(tzinfo=None)


@pytest.mark.django_db
def test_on_postgresql_the_connection_reads_timestamps_with_our_loader_in_djangos_zone():
    _on_postgresql()
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)
    assert issubclass(loader, TimestamptzLoader) and loader.timezone is connection.timezone
    with connection.cursor() as cursor:  # Django keeps the connection's loader: same zone
        cursor.execute("SELECT %s::timestamptz", ["2026-12-02 19:11:12.5+09"])
        value = cursor.fetchone()[0]
    assert value == dt.datetime(2026, 12, 2, 10, 11, 12, 500000, tzinfo=dt.UTC) and value.tzinfo is dt.UTC
