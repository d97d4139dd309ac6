import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from interviews.models import Attempt
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
