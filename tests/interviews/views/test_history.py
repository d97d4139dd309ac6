from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import make_attempt, now

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _listed(client, **params):
    response = client.get(reverse("interviews:history"), params)
    assert response.status_code == 200
    return {a.pk for a in response.context["page"]}


def test_the_history_filters_by_topic_mode_score_and_date(candidate_client, candidate, question, other_question):
    old = make_attempt(user=candidate, question=question, score=30, created=now() - timedelta(days=40))
    review = make_attempt(user=candidate, question=question, score=75, mode="review")
    other = make_attempt(user=candidate, question=other_question, score=90)
    assert _listed(candidate_client) == {old.pk, review.pk, other.pk}
    assert _listed(candidate_client, topic=other_question.topic.slug) == {other.pk}
    assert _listed(candidate_client, mode="review") == {review.pk}
    assert _listed(candidate_client, min_score=50, max_score=80) == {review.pk}
    since = (now() - timedelta(days=7)).date().isoformat()
    assert _listed(candidate_client, date_from=since) == {review.pk, other.pk}
    assert _listed(candidate_client, date_to=(now() - timedelta(days=39)).date().isoformat()) == {old.pk}


def test_an_invalid_filter_is_reported_and_shows_everything(candidate_client, candidate, question):
    attempt = make_attempt(user=candidate, question=question, score=30)
    response = candidate_client.get(reverse("interviews:history"), {"min_score": 80, "max_score": 20})
    assert "at least the lowest" in response.content.decode()
    assert {a.pk for a in response.context["page"]} == {attempt.pk}


def test_the_history_answers_htmx_with_the_results_only_and_keeps_filters_in_the_pager(
    candidate_client, candidate, question
):
    for _ in range(26):
        make_attempt(user=candidate, question=question, score=60, schedule=False)
    response = candidate_client.get(reverse("interviews:history"), {"mode": "practice"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert "?mode=practice&amp;page=2" in body


def test_the_history_never_lists_someone_elses_attempts(candidate_client, stranger, question):
    make_attempt(user=stranger, question=question, score=50)
    assert _listed(candidate_client) == set()


def test_an_attempt_page_shows_my_other_attempts_at_the_same_question(candidate_client, candidate, stranger, question):
    first = make_attempt(user=candidate, question=question, score=30, created=now() - timedelta(days=3))
    second = make_attempt(user=candidate, question=question, score=70)
    theirs = make_attempt(user=stranger, question=question, score=99)
    response = candidate_client.get(second.get_absolute_url())
    assert [a.pk for a in response.context["others"]] == [first.pk, second.pk]
    body = response.content.decode()
    assert first.get_absolute_url() in body and theirs.get_absolute_url() not in body
    assert "<svg" in body and "Your scores on this question over time" in body


def test_someone_elses_attempt_is_a_404(candidate_client, stranger, question):
    theirs = make_attempt(user=stranger, question=question, score=50)
    assert candidate_client.get(theirs.get_absolute_url()).status_code == 404
