import pytest
from django.urls import reverse

from interviews.models import Attempt
from interviews.services import mock_interviews as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer_url(candidate, question, other_question):
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="interview")
    return reverse("interviews:item_answer", kwargs={"interview_uuid": interview.uuid, "position": 0})


def test_an_htmx_request_without_a_login_gets_a_401_not_the_log_in_page(client, answer_url):
    response = client.post(answer_url, {"answer": "Dropout zeroes units."}, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert "Log in again" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_plain_request_without_a_login_is_still_sent_to_log_in(client, answer_url):
    response = client.post(answer_url, {"answer": "Dropout zeroes units."})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_other_htmx_redirects_are_left_alone(client, candidate, answer_url):
    client.force_login(candidate)
    response = client.get(reverse("accounts:logout"), headers={"HX-Request": "true"})  # GET: refused, 405
    assert response.status_code == 405
    response = client.post(reverse("accounts:logout"), headers={"HX-Request": "true"})
    assert response.status_code == 302 and response.url == reverse("accounts:login")  # logging out: no 401
