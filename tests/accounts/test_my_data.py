import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from interviews.formats import anki_format
from interviews.models import Attempt
from interviews.services.attempts import attempt_submit
from tests.conftest import make_question
from tests.factories import make_attempt

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_my_data_page_offers_both_exports_and_deletion(candidate_client):
    body = candidate_client.get(reverse("accounts:my_data")).content.decode()
    assert reverse("accounts:export_csv") in body and reverse("accounts:export_json") in body
    assert reverse("accounts:delete_account") in body


def test_the_downloads_hold_only_my_attempts(candidate_client, candidate, stranger, question):
    mine = make_attempt(user=candidate, question=question, score=33)
    make_attempt(user=stranger, question=question, score=77)
    response = candidate_client.get(reverse("accounts:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert [int(r["id"]) for r in csv.DictReader(io.StringIO(_body(response)))] == [mine.pk]
    data = json.loads(_body(candidate_client.get(reverse("accounts:export_json"))))
    assert [a["id"] for a in data["attempts"]] == [mine.pk]


def test_exports_need_a_login(client):
    assert client.get(reverse("accounts:export_csv")).status_code == 302


def test_a_wrong_password_deletes_nothing(candidate_client, candidate, question):
    make_attempt(user=candidate, question=question, score=50)
    response = candidate_client.post(reverse("accounts:delete_account"), {"password": "wrong"})
    assert response.status_code == 200 and "not your password" in response.content.decode()
    assert get_user_model().objects.filter(pk=candidate.pk).exists()
    assert Attempt.objects.filter(user=candidate).exists()


def test_deleting_my_account_after_confirming_logs_me_out_and_keeps_others_data(
    candidate_client, candidate, stranger, question, password
):
    make_attempt(user=candidate, question=question, score=50)
    theirs = make_attempt(user=stranger, question=question, score=60)
    response = candidate_client.post(reverse("accounts:delete_account"), {"password": password})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not get_user_model().objects.filter(pk=candidate.pk).exists()
    assert list(Attempt.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert candidate_client.get(reverse("interviews:progress")).status_code == 302  # logged out


# --- the Anki deck ---------------------------------------------------------------------------------


def test_the_anki_deck_holds_the_questions_i_answered_weakest_first(
    client, candidate, stranger, question, other_question
):
    third = make_question(slug="third", topic=question.topic, prompt="Never answered?", references=["No."])
    good = "Sigmoid and tanh saturate so gradients shrink exponentially; ReLU and residual connections fix it."
    attempt_submit(user=candidate, question=question, answer=good)
    attempt_submit(user=candidate, question=other_question, answer="No idea, really.")
    attempt_submit(user=stranger, question=third, answer="Someone else's answer.")
    client.force_login(candidate)
    response = client.get(reverse("accounts:export_deck"))
    assert response["Content-Disposition"].startswith('attachment; filename="mlprep-my-questions-')
    text = response.content.decode()
    notes = [line.split("\t")[0] for line in text.splitlines() if not line.startswith("#")]
    scores = {a.question.slug: a.score for a in Attempt.objects.filter(user=candidate)}
    assert sorted(notes) == sorted(scores) and "third" not in notes
    assert [scores[slug] for slug in notes] == sorted(scores.values()) and len(set(scores.values())) == 2
    assert anki_format.parse(text, "deck.txt").questions[0].slug == notes[0]  # a deck Anki (and we) can read


def test_a_question_unpublished_since_is_not_in_the_deck(client, candidate, question):
    attempt_submit(user=candidate, question=question, answer="Pooling downsamples feature maps.")
    question.status = "draft"
    question.save()
    client.force_login(candidate)
    text = client.get(reverse("accounts:export_deck")).content.decode()
    assert text.splitlines()[-1] == "#tags column:5"  # the headers and no note


def test_the_deck_needs_a_login(client):
    response = client.get(reverse("accounts:export_deck"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
