from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import backends
from accounts.backends import UserBackend
from accounts.models import Session
from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

copy_sessions = import_module("accounts.migrations.0003_session").copy_sessions


def test_a_signed_in_request_reads_its_session_and_its_user_in_one_statement(candidate_client, candidate):
    with CaptureQueriesContext(connection) as queries:
        response = candidate_client.get("/progress/")
    assert response.status_code == 200 and response.wsgi_request.user == candidate
    sql = [q["sql"] for q in queries.captured_queries]
    assert 'FROM "accounts_session"' in sql[0] and 'JOIN "accounts_user"' in sql[0]
    assert not any('"accounts_user"' in s for s in sql[1:])  # the user is not read again


def test_the_session_row_names_its_user_from_login_to_logout(client, candidate, password):
    client.post(reverse("accounts:login"), {"username": candidate.email, "password": password})
    key = client.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).user_id == candidate.pk
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    anonymous = SessionStore()
    anonymous["a"] = [1, "é"]
    anonymous.create()
    assert Session.objects.get(session_key=anonymous.session_key).user_id is None
    again = SessionStore(anonymous.session_key)
    assert again["a"] == [1, "é"] and again.user is None


def test_deleting_a_user_ends_their_sessions(candidate_client, candidate):
    assert candidate.sessions.count() == 1
    candidate.delete()
    assert not Session.objects.exists()
    assert candidate_client.get("/progress/").status_code == 302  # to the log-in page


@pytest.mark.parametrize("change", ["password", "inactive"])
def test_the_user_read_with_the_session_is_checked_as_django_checks_any(candidate_client, candidate, change):
    if change == "password":
        candidate.set_password("another-long-pass-phrase")  # the session's hash no longer fits
    else:
        candidate.is_active = False
    candidate.save()
    response = candidate_client.get("/progress/")
    assert response.status_code == 302 and not response.wsgi_request.user.is_authenticated


def test_the_backend_takes_the_user_read_with_the_session_only_when_it_is_the_one_asked_for(candidate, stranger):
    store = SessionStore()
    store[SESSION_KEY] = str(candidate.pk)
    store.create()
    store = SessionStore(store.session_key)
    store.load()
    assert store.user == candidate
    store.user.display_name = "read with the session"
    with backends.users_read_with(store), CaptureQueriesContext(connection) as queries:
        mine = UserBackend().get_user(str(candidate.pk))
        theirs = UserBackend().get_user(str(stranger.pk))
    assert mine is store.user and len(queries) == 1  # only the stranger is read
    assert theirs == stranger
    assert UserBackend().get_user(str(candidate.pk)).display_name == ""  # outside the block: read afresh


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


def test_the_migration_keeps_whoever_was_signed_in_in_djangos_table_signed_in(candidate, stranger):
    def old_session(data: dict, *, expired: bool = False) -> str:
        store = DjangoStore()
        store.update(data)
        store.create()
        if expired:
            DjangoSession.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(days=1))
        return store.session_key

    signed_in = old_session({SESSION_KEY: str(candidate.pk), "x": "é"})
    anonymous = old_session({"y": 1})
    gone = old_session({SESSION_KEY: str(stranger.pk)})
    expired = old_session({SESSION_KEY: str(candidate.pk)}, expired=True)
    garbled = old_session({})
    DjangoSession.objects.filter(pk=garbled).update(session_data="not a signed session")
    stranger.delete()

    class Editor:
        connection = connection

    copy_sessions(apps, Editor())
    copied = {s.session_key: s.user_id for s in Session.objects.all()}
    assert copied == {signed_in: candidate.pk, anonymous: None, gone: None, garbled: None}
    assert expired not in copied
    assert SessionStore(signed_in)["x"] == "é"
