"""The pages shown when something goes wrong: ours, not Django's bare ones."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from interviews.models import Attempt

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_ours_with_the_navigation(candidate_client):
    response = candidate_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This page isn't here" in body
    assert reverse("interviews:history") in body  # the logged-in navigation, rendered with the request


def test_a_server_error_page_needs_nothing_from_the_request():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_an_expired_form_says_what_happened_and_saves_nothing(candidate, question):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    url = reverse("interviews:question_detail", kwargs={"slug": question.slug})
    response = client.post(url, {"answer": "Dropout zeroes activations at random."})
    assert response.status_code == 403
    assert "This form had expired" in response.content.decode()
    assert not Attempt.objects.exists()
