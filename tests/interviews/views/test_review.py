from datetime import timedelta

import pytest
from django.urls import reverse

from interviews.models import Attempt, ReviewState
from tests.factories import make_attempt, now

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ANSWER = "Gradients shrink as they are multiplied through sigmoid layers; ReLU and residual connections help."


def _due(user, question, score):
    make_attempt(user=user, question=question, score=score, created=now() - timedelta(days=5))
    ReviewState.objects.filter(user=user, question=question).update(due=now() - timedelta(hours=1))


def test_review_now_serves_the_weakest_due_question(candidate_client, candidate, question, other_question):
    _due(candidate, question, 70)
    _due(candidate, other_question, 25)
    response = candidate_client.get(reverse("interviews:review"))
    assert response.context["question"] == other_question
    assert other_question.prompt in response.content.decode()


def test_review_now_can_be_limited_to_a_topic(candidate_client, candidate, question, other_question):
    _due(candidate, question, 70)
    _due(candidate, other_question, 25)
    response = candidate_client.get(reverse("interviews:review"), {"topic": question.topic.slug}, **HTMX)
    assert response.context["question"] == question
    assert "<html" not in response.content.decode()


def test_an_answer_in_review_is_kept_as_a_review_attempt_and_reschedules(candidate_client, candidate, question):
    _due(candidate, question, 20)
    url = reverse("interviews:review_answer", args=[question.slug])
    response = candidate_client.post(url, {"answer": ANSWER}, **HTMX)
    attempt = Attempt.objects.filter(user=candidate).latest("created")
    assert response.status_code == 200 and attempt.mode == "review"
    assert 'class="feedback' in response.content.decode() and "Next review question" in response.content.decode()
    state = ReviewState.objects.get(user=candidate, question=question)
    assert state.reviews == 2 and state.due > now()


def test_an_empty_review_answer_is_refused(candidate_client, candidate, question):
    url = reverse("interviews:review_answer", args=[question.slug])
    response = candidate_client.post(url, {"answer": "  "}, **HTMX)
    assert "empty answer" in response.content.decode()
    assert not Attempt.objects.filter(user=candidate).exists()


def test_when_the_daily_cap_is_reached_review_now_says_so(candidate_client, candidate, question, settings):
    from interviews.selectors import reviews

    _due(candidate, question, 20)
    for _ in range(reviews.DAILY_REVIEW_CAP):
        make_attempt(user=candidate, question=question, score=20, mode="review", schedule=False)
    body = candidate_client.get(reverse("interviews:review")).content.decode()
    assert "today's limit" in body and question.prompt not in body


def test_someone_elses_due_questions_are_not_served(candidate_client, stranger, question):
    _due(stranger, question, 10)
    response = candidate_client.get(reverse("interviews:review"))
    item = response.context["item"]
    assert item is None or item.is_new  # only as a new question of my own, never their schedule


def test_a_double_submitted_review_answer_is_recorded_once(candidate_client, candidate, question):
    _due(candidate, question, 20)
    page = candidate_client.get(reverse("interviews:review")).content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    url = reverse("interviews:review_answer", args=[question.slug])
    for _ in range(2):
        candidate_client.post(url, {"answer": ANSWER, "submission_key": key}, **HTMX)
    assert Attempt.objects.filter(user=candidate, mode="review").count() == 1
    assert ReviewState.objects.get(user=candidate, question=question).reviews == 2  # moved once
