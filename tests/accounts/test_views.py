import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_sign_up_creates_the_user_and_logs_them_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "email": "New@Example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email == "new@example.com"
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_sign_up_with_a_taken_email_shows_an_error_and_creates_nothing(client, candidate):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "other",
            "email": "ALICE@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not User.objects.filter(username="other").exists()


def test_sign_up_rejects_a_weak_password(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "weak", "email": "w@example.com", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()


def test_log_in_and_log_out(client, candidate, password):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": password})
    assert response.status_code == 302
    assert client.get(reverse("interviews:history")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("interviews:history")).status_code == 302


def test_log_in_with_a_wrong_password_fails_with_a_message(client, candidate):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client):
    for name in (
        "accounts:profile",
        "accounts:password_change",
        "interviews:history",
        "interviews:question_list",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_the_profile_page_saves_a_display_name(client, candidate):
    client.force_login(candidate)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Alice A.", "email": "alice@example.com"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.display_name == "Alice A."


def test_change_password(client, candidate, password):
    client.force_login(candidate)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "another-long-phrase-7",
            "new_password2": "another-long-phrase-7",
        },
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.check_password("another-long-phrase-7")


def test_repeated_wrong_passwords_lock_the_login_with_a_clear_message(client, candidate, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": password})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert client.get(reverse("interviews:history")).status_code == 302  # still logged out


def test_a_lockout_does_not_touch_other_users(client, candidate, stranger, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "mallory", "password": password})
    assert response.status_code == 302
