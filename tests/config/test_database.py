"""The database connection as the settings configure it."""

import select

import psycopg
import pytest
from django.db import connection

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
