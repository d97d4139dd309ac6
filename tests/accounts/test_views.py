import pytest
from django.urls import reverse

from accounts import services
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
    assert "That username or email and password do not match an account." in response.content.decode()


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


# --- password reset ---------------------------------------------------------------------------------


def reset_link(outbox) -> str:
    (line,) = [line for line in outbox[-1].body.splitlines() if "/accounts/password/reset/" in line]
    return line.strip().removeprefix("http://testserver")


def test_a_reset_link_lets_the_user_choose_a_new_password_once(client, candidate, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "ALICE@example.com"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["alice@example.com"]
    link = reset_link(mailoutbox)

    form_url = client.get(link).url  # Django moves the token out of the URL before showing the form
    new = {"new_password1": "a-fresh-pass-phrase-4", "new_password2": "a-fresh-pass-phrase-4"}
    response = client.post(form_url, new)
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_complete")
    candidate.refresh_from_db()
    assert candidate.check_password("a-fresh-pass-phrase-4")

    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()  # used once: the password changed


def test_an_unknown_address_gets_the_same_page_and_no_email(client, candidate, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_a_weak_new_password_is_refused_in_the_page(client, candidate, mailoutbox, password):
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    form_url = client.get(reset_link(mailoutbox)).url
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.check_password(password)


def test_reset_emails_to_one_address_are_capped(client, candidate, mailoutbox):
    from accounts.services import RESET_EMAILS_PER_ADDRESS

    for _ in range(RESET_EMAILS_PER_ADDRESS + 2):
        response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
        assert response.url == reverse("accounts:password_reset_done")  # the same page either way
    assert len(mailoutbox) == RESET_EMAILS_PER_ADDRESS


def test_a_new_password_lifts_a_login_lockout(client, candidate, mailoutbox, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    form_url = client.get(reset_link(mailoutbox)).url
    client.post(form_url, {"new_password1": "a-fresh-pass-phrase-4", "new_password2": "a-fresh-pass-phrase-4"})
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "a-fresh-pass-phrase-4"})
    assert response.status_code == 302
    assert client.get(reverse("interviews:history")).status_code == 200


def test_the_login_page_links_to_the_reset(client):
    assert reverse("accounts:password_reset") in client.get(reverse("accounts:login")).content.decode()


# --- log in with the username or the email address ------------------------------------------------


@pytest.mark.parametrize("identifier", ["alice", "alice@example.com", "ALICE@Example.com "])
def test_log_in_with_the_username_or_the_email_address(client, candidate, password, identifier):
    response = client.post(reverse("accounts:login"), {"username": identifier, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).context["user"] == candidate


def test_failed_log_ins_count_against_the_account_however_it_is_named(client, candidate, password, settings):
    names = ["alice", "alice@example.com", "ALICE@EXAMPLE.COM", "Alice@example.com", "alice@EXAMPLE.com"]
    for name in names[: settings.AXES_FAILURE_LIMIT]:
        client.post(reverse("accounts:login"), {"username": name, "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "alice@example.com", "password": password})
    assert response.status_code == 429
    assert client.post(reverse("accounts:login"), {"username": "alice", "password": password}).status_code == 429


def test_a_username_with_an_at_sign_is_refused_at_sign_up(client):
    data = {"username": "bob@home", "email": "bob@example.com", "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9"}
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    assert "A username cannot contain @." in response.content.decode()
    assert not User.objects.filter(email="bob@example.com").exists()


def test_a_session_from_before_a_release_stays_logged_in(client, candidate):
    """Sessions name Django's ModelBackend: taking it out of the settings would log everybody out."""
    client.force_login(candidate, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("accounts:profile")).status_code == 200


# --- time zone ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sent", "kept"), [("Asia/Tokyo", "Asia/Tokyo"), ("Not/AZone", ""), ("", "")])
def test_sign_up_keeps_the_browsers_time_zone_if_it_is_a_real_one(client, sent, kept):
    data = {"username": "kenji", "email": "kenji@example.com", "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9", "time_zone": sent}
    assert client.post(reverse("accounts:signup"), data).status_code == 302
    assert User.objects.get(username="kenji").time_zone == kept


def test_the_profile_page_sets_the_time_zone_and_refuses_unknown_ones(client, candidate):
    client.force_login(candidate)
    data = {"display_name": "", "email": candidate.email, "time_zone": "Europe/Lisbon"}
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.time_zone == "Europe/Lisbon"
    response = client.post(reverse("accounts:profile"), data | {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.time_zone == "Europe/Lisbon"


def _signup_data(n: int) -> dict:
    return {"username": f"user{n}", "email": f"user{n}@example.com", "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9"}  # fmt: skip


def test_sign_ups_from_one_address_are_capped_per_hour_with_a_clear_message(client, monkeypatch):
    monkeypatch.setattr(services, "SIGNUPS_PER_CLIENT", 2)
    for n in range(2):
        assert client.post(reverse("accounts:signup"), _signup_data(n)).status_code == 302
        client.logout()
    bad = client.post(reverse("accounts:signup"), {**_signup_data(9), "password2": "no-match"})
    assert bad.status_code == 200  # an invalid form is not counted
    response = client.post(reverse("accounts:signup"), _signup_data(2))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many accounts were created from your network" in page and 'value="user2@example.com"' in page
    assert not User.objects.filter(username="user2").exists()
    other = client.post(reverse("accounts:signup"), _signup_data(3), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302 and User.objects.filter(username="user3").exists()


def test_staff_log_in_to_the_admin_by_email_and_candidates_are_turned_away(client, curator, candidate, password):
    refused = client.post("/admin/login/", {"username": candidate.email.upper(), "password": password})
    assert refused.status_code == 200 and "staff account" in refused.content.decode()
    wrong = client.post("/admin/login/", {"username": curator.email, "password": "not-it"})
    assert wrong.status_code == 200 and "do not match a staff account" in wrong.content.decode()
    response = client.post("/admin/login/?next=/admin/", {"username": curator.email.upper(), "password": password})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
