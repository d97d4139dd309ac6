from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from interviews.models import Attempt, ReviewState
from interviews.services import attempts as attempt_services
from interviews.services import reviews
from tests.factories import make_attempt, now

pytestmark = pytest.mark.django_db


def test_submitting_an_answer_puts_its_question_in_the_schedule(candidate, question):
    attempt = attempt_services.attempt_submit(user=candidate, question=question, answer="Gradients shrink.")
    state = ReviewState.objects.get(user=candidate, question=question)
    assert state.last_score == attempt.score
    assert state.reviews == 1
    assert state.card["attempt"] == attempt.pk
    assert state.due > attempt.created


def test_a_low_score_brings_the_question_back_sooner_than_a_high_score(candidate, stranger, question):
    make_attempt(user=candidate, question=question, score=15)
    make_attempt(user=stranger, question=question, score=95)
    low = ReviewState.objects.get(user=candidate)
    high = ReviewState.objects.get(user=stranger)
    assert low.due < high.due


def test_each_attempt_moves_the_same_card(candidate, question):
    first = make_attempt(user=candidate, question=question, score=90)
    make_attempt(user=candidate, question=question, score=92, created=first.created + timedelta(days=3))
    state = ReviewState.objects.get(user=candidate)
    assert state.reviews == 2 and ReviewState.objects.count() == 1
    assert state.card["before"] is not None


def test_an_override_of_the_last_attempt_brings_the_question_back_later(candidate, question):
    attempt = make_attempt(user=candidate, question=question, score=30)
    before = ReviewState.objects.get(user=candidate).due
    attempt_services.attempt_contest(attempt=attempt, note="I covered it")
    state = ReviewState.objects.get(user=candidate)
    assert state.due > before
    assert state.card["rating"] == 2
    assert state.reviews == 1  # re-rated, not reviewed twice


def test_an_override_of_an_older_attempt_leaves_the_schedule_alone(candidate, question):
    old = make_attempt(user=candidate, question=question, score=30, created=now() - timedelta(days=2))
    make_attempt(user=candidate, question=question, score=50)
    before = ReviewState.objects.get(user=candidate)
    attempt_services.attempt_contest(attempt=old)
    after = ReviewState.objects.get(user=candidate)
    assert (after.due, after.card) == (before.due, before.card)
    assert Attempt.objects.get(pk=old.pk).contested_at is not None


def test_forgetting_a_learned_question_counts_a_lapse_and_an_override_takes_it_back(candidate, question):
    start = now() - timedelta(days=60)
    make_attempt(user=candidate, question=question, score=95, created=start)
    due = ReviewState.objects.get(user=candidate).due
    forgot = make_attempt(user=candidate, question=question, score=10, created=due + timedelta(hours=1))
    assert ReviewState.objects.get(user=candidate).lapses == 1
    reviews.review_rerate(attempt=Attempt.objects.get(pk=forgot.pk))
    assert ReviewState.objects.get(user=candidate).lapses == 0  # overridden, 10 rates "hard": not forgotten


def test_a_first_card_is_inserted_as_it_ends_up(candidate, question, django_assert_num_queries):
    attempt = make_attempt(user=candidate, question=question, score=60, schedule=False)
    with django_assert_num_queries(4):  # lookup; then savepoint, insert, release: no update after
        state = reviews.review_record(user=candidate, attempt=attempt)
    stored = ReviewState.objects.get(user=candidate, question=question)
    assert stored.pk == state.pk and stored.reviews == 1 and stored.card == state.card
    assert stored.card["attempt"] == attempt.pk and stored.card["before"] is None
    assert stored.last_score == 60 and stored.due == state.due and stored.last_reviewed == attempt.created


def test_a_first_card_created_meanwhile_is_moved_on_not_replaced(candidate, question):
    first = make_attempt(user=candidate, question=question, score=90)
    second = make_attempt(user=candidate, question=question, score=40, schedule=False)
    # The lookup misses the card a concurrent first attempt has just inserted: the insert then fails.
    with mock.patch.object(QuerySet, "first", return_value=None):
        reviews.review_record(user=candidate, attempt=second)
    state = ReviewState.objects.get(user=candidate, question=question)
    assert state.reviews == 2 and state.card["attempt"] == second.pk
    assert state.card["before"] is not None and state.last_score == 40
    assert ReviewState.objects.filter(user=candidate).count() == 1 and first.pk != second.pk


def test_without_a_savepoint_a_first_card_is_two_statements(candidate, question, django_assert_num_queries):
    attempt = make_attempt(user=candidate, question=question, score=60, schedule=False)
    with django_assert_num_queries(2):  # lookup, insert
        reviews.review_record(user=candidate, attempt=attempt, savepoint=False)
    assert ReviewState.objects.get(user=candidate, question=question).card["attempt"] == attempt.pk


def test_without_a_savepoint_a_card_created_meanwhile_fails_the_callers_transaction(candidate, question):
    make_attempt(user=candidate, question=question, score=90)
    second = make_attempt(user=candidate, question=question, score=40, schedule=False)
    with mock.patch.object(QuerySet, "first", return_value=None), pytest.raises(IntegrityError), transaction.atomic():
        reviews.review_record(user=candidate, attempt=second, savepoint=False)
    assert ReviewState.objects.get(user=candidate, question=question).reviews == 1


def test_a_blank_answer_cannot_be_contested_and_its_card_stays(candidate, question):
    attempt = attempt_services.attempt_submit(user=candidate, question=question, answer="  \n ")
    before = ReviewState.objects.get(user=candidate)
    with pytest.raises(attempt_services.NothingToContest):
        attempt_services.attempt_contest(attempt=attempt, note="I was right")
    after = ReviewState.objects.get(user=candidate)
    assert (after.due, after.card) == (before.due, before.card)
    attempt.refresh_from_db()
    assert attempt.contested_at is None and attempt.contest_note == ""
