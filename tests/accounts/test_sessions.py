from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_reads_its_session_first_in_one_statement(candidate_client, candidate):
    with CaptureQueriesContext(connection) as queries:
        response = candidate_client.get("/progress/")
    assert response.status_code == 200 and response.wsgi_request.user == candidate
    sql = [q["sql"] for q in queries.captured_queries]
    assert 'FROM "django_session"' in sql[0] and sum('"django_session"' in s for s in sql) == 1


def test_it_reads_what_djangos_store_wrote_and_the_other_way_round():
    theirs = DjangoStore()
    theirs["a"] = [1, "é"]
    theirs.create()
    assert SessionStore(theirs.session_key)["a"] == [1, "é"]
    mine = SessionStore()
    mine["b"] = {"c": 2}
    mine.create()
    assert DjangoStore(mine.session_key)["b"] == {"c": 2}


def test_an_expired_session_reads_as_empty_and_gets_a_new_key_when_saved():
    store = SessionStore()
    store["a"] = 1
    store.create()
    old_key = store.session_key
    Session.objects.filter(session_key=old_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    again = SessionStore(old_key)
    assert "a" not in again and again.session_key is None
    again["b"] = 2
    again.save()
    assert again.session_key not in (None, old_key)


@pytest.mark.parametrize("key", ["no-such-session-key-here", "short", ""])
def test_an_unknown_or_malformed_key_reads_as_empty(key):
    store = SessionStore(key)
    assert dict(store.items()) == {} and store.session_key is None
