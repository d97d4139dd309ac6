from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.models import Flag, FlagReason, FlagStatus, QuestionStatus
from interviews.services.attempts import attempt_submit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _flag_url(question) -> str:
    return reverse("interviews:question_flag", args=[question.slug])


def test_it_requires_login(client, question):
    response = client.post(_flag_url(question), {"reason": FlagReason.TYPO})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Flag.objects.exists()


def test_the_question_page_offers_the_flag_form(candidate_client, question):
    page = candidate_client.get(question.get_absolute_url()).content.decode()
    assert "Flag this question" in page and _flag_url(question) in page


def test_the_attempt_page_offers_the_flag_form(candidate_client, candidate, question):
    attempt = attempt_submit(user=candidate, question=question, answer="ReLU helps.")
    page = candidate_client.get(attempt.get_absolute_url()).content.decode()
    assert "Flag this question" in page and 'id="flag-feedback"' in page


def test_feedback_swapped_into_the_question_page_adds_no_second_flag_form(candidate_client, question):
    response = candidate_client.post(question.get_absolute_url(), {"answer": "ReLU helps."}, **HTMX)
    assert "Flag this question" not in response.content.decode()


def test_flagging_with_htmx_records_the_flag_and_thanks_in_place(candidate_client, candidate, question):
    response = candidate_client.post(
        _flag_url(question),
        {"reason": FlagReason.WRONG_REFERENCE, "comment": "ReLU isn't <b>saturating</b>", "place": "feedback"},
        **HTMX,
    )
    flag = Flag.objects.get()
    assert (flag.user, flag.question, flag.reason, flag.status) == (
        candidate,
        question,
        "wrong_reference",
        FlagStatus.OPEN,
    )
    page = response.content.decode()
    assert 'id="flag-feedback"' in page and "Thanks for flagging" in page
    assert "<html" not in page


def test_flagging_without_htmx_redirects_back_to_the_question(candidate_client, question):
    response = candidate_client.post(_flag_url(question), {"reason": FlagReason.TYPO})
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert Flag.objects.count() == 1


def test_an_unknown_reason_is_refused_and_shown(candidate_client, question):
    response = candidate_client.post(_flag_url(question), {"reason": "because"}, **HTMX)
    assert not Flag.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_comment_is_escaped_when_shown_back(candidate_client, question):
    response = candidate_client.post(_flag_url(question), {"reason": "nope", "comment": "<script>x</script>"}, **HTMX)
    page = response.content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_an_unpublished_question_cannot_be_flagged(candidate_client, question):
    question.status = QuestionStatus.DRAFT
    question.save()
    assert candidate_client.post(_flag_url(question), {"reason": FlagReason.TYPO}).status_code == 404


def test_the_flag_page_works_without_javascript(candidate_client, question):
    page = candidate_client.get(_flag_url(question)).content.decode()
    assert question.prompt in page and 'name="reason"' in page
