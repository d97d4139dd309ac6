from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_question
from tests.factories import make_attempt, now

pytestmark = pytest.mark.django_db


def _query_count(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _many_attempts(user, topic, n_questions=12, per_question=6):
    for i in range(n_questions):
        q = make_question(slug=f"bulk-{i}", topic=topic, prompt=f"Bulk {i}?", references=["Answer."])
        for j in range(per_question):
            make_attempt(
                user=user, question=q, score=(i * 7 + j * 13) % 100, created=now() - timedelta(days=j * 3, hours=i),
                mode=["practice", "review", "interview"][j % 3], key_points=[(f"Point {i}", j % 2 == 0)],
            )


@pytest.mark.parametrize(
    "url",
    [reverse("interviews:progress"), reverse("interviews:history"), reverse("interviews:review"),
     reverse("interviews:history") + "?topic=training-optimisation&min_score=10&mode=practice"],
    ids=["dashboard", "history", "review", "history-filtered"],
)
def test_the_query_count_does_not_grow_with_the_number_of_attempts(candidate_client, candidate, question, topic, url):
    make_attempt(user=candidate, question=question, score=40, key_points=[("A point", False)])
    few = _query_count(candidate_client, url)
    _many_attempts(candidate, topic)
    ReviewState = question.attempts.model._meta.apps.get_model("interviews", "ReviewState")
    ReviewState.objects.filter(user=candidate).update(due=now() - timedelta(hours=1))
    assert _query_count(candidate_client, url) == few


def test_the_dashboard_shows_charts_weak_topics_and_missed_key_points(candidate_client, candidate, question):
    make_attempt(user=candidate, question=question, score=20, key_points=[("Saturating activations", False)])
    response = candidate_client.get(reverse("interviews:progress"))
    body = response.content.decode()
    assert body.count("<svg") == 3
    assert "Saturating activations" in body
    assert f"?topic={question.topic.slug}" in body  # drill the weak topic
    assert "?concept=Saturating%20activations" in body  # and the questions that test the missed point


def test_the_dashboard_names_a_missed_concept_and_the_points_under_it(candidate_client, candidate, question):
    label = "Saturating activations such as sigmoid or tanh cause it"
    question.key_points.filter(label=label).update(concept="activation functions")
    make_attempt(user=candidate, question=question, score=20, key_points=[(label, False)])
    body = candidate_client.get(reverse("interviews:progress")).content.decode()
    assert "<strong>activation functions</strong>" in body
    assert "?concept=activation%20functions" in body
    assert f"<li>{label}</li>" in body  # under "The point you missed"


def test_the_dashboard_shows_only_my_data(candidate_client, stranger, question):
    make_attempt(user=stranger, question=question, score=20, key_points=[("Their secret point", False)])
    body = candidate_client.get(reverse("interviews:progress")).content.decode()
    assert "Their secret point" not in body
    assert "Training and optimisation</td>" not in body


def test_the_dashboard_needs_a_login(client):
    assert client.get(reverse("interviews:progress")).status_code == 302
