"""The database connection as the settings configure it."""

import pytest
from django.db import connection

from interviews.models import Question


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
