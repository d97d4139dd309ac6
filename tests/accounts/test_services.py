import csv
import io
import json

import pytest

from accounts import services
from interviews.models import Attempt, Flag, ReviewState
from tests.factories import make_attempt

pytestmark = pytest.mark.django_db


def test_the_csv_export_contains_exactly_my_attempts(candidate, stranger, question, other_question):
    mine = [make_attempt(user=candidate, question=q, score=s, key_points=[("Kp", True)])
            for q, s in [(question, 40), (other_question, 80)]]
    make_attempt(user=stranger, question=question, score=99)
    rows = list(csv.DictReader(io.StringIO("".join(services.export_csv(user=candidate)))))
    assert sorted(int(r["id"]) for r in rows) == sorted(a.pk for a in mine)
    assert {r["score"] for r in rows} == {"40", "80"}
    assert rows[0]["key_points_covered"] == "Kp"


def test_the_json_export_contains_exactly_my_attempts(candidate, stranger, question):
    mine = make_attempt(user=candidate, question=question, score=55)
    make_attempt(user=stranger, question=question, score=99)
    data = json.loads("".join(services.export_json(user=candidate)))
    assert data["user"] == candidate.username
    assert [(a["id"], a["score"], a["question"]) for a in data["attempts"]] == [(mine.pk, 55, question.slug)]


def test_an_empty_history_exports_valid_files(candidate):
    assert json.loads("".join(services.export_json(user=candidate)))["attempts"] == []
    assert "".join(services.export_csv(user=candidate)).splitlines()[0].startswith("id,created")


def test_a_formula_in_an_answer_is_exported_as_text(candidate, question):
    attempt = make_attempt(user=candidate, question=question, score=10)
    Attempt.objects.filter(pk=attempt.pk).update(answer="=HYPERLINK(\"http://x\")")
    row = next(csv.DictReader(io.StringIO("".join(services.export_csv(user=candidate)))))
    assert row["answer"].startswith("'=")


def test_deleting_my_account_removes_my_attempts_and_keeps_everyone_elses(candidate, stranger, question):
    make_attempt(user=candidate, question=question, score=40)
    theirs = make_attempt(user=stranger, question=question, score=60)
    flag = Flag.objects.create(user=candidate, question=question, reason="typo")
    services.account_delete(user=candidate)
    assert list(Attempt.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert list(ReviewState.objects.values_list("user_id", flat=True)) == [stranger.pk]
    flag.refresh_from_db()
    assert flag.user is None  # the curators keep the report, without my name



def test_reset_requests_are_counted_per_address_whatever_its_case():
    allowed = [
        services.password_reset_allowed(email=e, client_ip="10.0.0.1")
        for e in ["a@example.com", "A@Example.com ", "a@example.com", "a@example.com"]
    ]
    assert allowed == [True, True, True, False]
    assert services.password_reset_allowed(email="b@example.com", client_ip="10.0.0.1")


def test_one_client_asking_for_many_addresses_is_capped_too():
    allowed = [
        services.password_reset_allowed(email=f"user{i}@example.com", client_ip="10.0.0.2")
        for i in range(services.RESET_EMAILS_PER_CLIENT + 1)
    ]
    assert allowed == [True] * services.RESET_EMAILS_PER_CLIENT + [False]
    assert services.password_reset_allowed(email="user0@example.com", client_ip="10.0.0.3")


def test_accounts_from_one_client_are_capped_and_other_clients_are_not():
    allowed = [services.signup_allowed(client_ip="10.0.0.4") for _ in range(services.SIGNUPS_PER_CLIENT + 2)]
    assert allowed == [True] * services.SIGNUPS_PER_CLIENT + [False, False]
    assert services.signup_allowed(client_ip="10.0.0.5")
    assert services.signup_allowed(client_ip=None)  # no address known: one shared bucket


class ExpiringOnce:
    """The cache, except that the first key it counts expires between `add` and `incr`."""

    def __init__(self, real):
        self.real, self.expired = real, False

    def add(self, *args, **kwargs):
        return self.real.add(*args, **kwargs)

    def incr(self, key, delta=1):
        if not self.expired:
            self.expired = True
            self.real.delete(key)
            raise ValueError(f"Key '{key}' not found")
        return self.real.incr(key, delta)


def test_a_window_that_ends_between_starting_and_counting_starts_again(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(services, "cache", ExpiringOnce(cache))
    allowed = [services.password_reset_allowed(email="c@example.com", client_ip="10.0.0.4") for _ in range(4)]
    assert allowed == [True, True, True, False]  # the first request counted once, in a fresh window
