import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from accounts.backends import UserBackend

pytestmark = pytest.mark.django_db


def test_logging_in_names_the_backend_that_reads_the_user_by_statement(client, candidate, password):
    client.post(reverse("accounts:login"), {"username": candidate.email, "password": password})
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.UserBackend"
    assert client.get(reverse("accounts:profile")).context["user"] == candidate


def test_signing_up_names_it_too(client):
    data = {"username": "newbie", "email": "newbie@example.com", "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9"}  # fmt: skip
    client.post(reverse("accounts:signup"), data)
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.UserBackend"


def test_get_user_reads_every_field_as_the_orm_does(candidate):
    candidate.time_zone, candidate.display_name = "Asia/Tokyo", "Alice ✓"
    candidate.save()
    user = UserBackend().get_user(str(candidate.pk))  # the session keeps the key as a string
    assert user == candidate and user.get_deferred_fields() == set()
    assert (user.time_zone, user.display_name, user.password) == ("Asia/Tokyo", "Alice ✓", candidate.password)
    assert user.date_joined == candidate.date_joined


def test_get_user_refuses_an_unknown_or_deactivated_user(candidate):
    assert UserBackend().get_user(candidate.pk + 1000) is None
    candidate.is_active = False
    candidate.save()
    assert UserBackend().get_user(candidate.pk) is None


def test_a_deactivated_users_session_stops_working(client, candidate):
    client.force_login(candidate)
    candidate.is_active = False
    candidate.save()
    assert client.get(reverse("accounts:profile")).status_code == 302  # to the log-in page
