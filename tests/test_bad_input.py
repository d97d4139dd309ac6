"""Property-based tests: arbitrary text, unicode, huge inputs and malformed form data thrown at the
answer, interview and import endpoints never give a 500, always a clear message, and never leave
half-saved state."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from interviews.formats import Bundle, FormatError
from interviews.formats.registry import CODECS, parse_bytes
from interviews.models import Attempt, Interview, Question
from interviews.services import mock_interviews as svc

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FAST = hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Any text a browser can send: every Unicode category except lone surrogates (not encodable).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
huge_text = st.integers(settings.ANSWER_MAX_CHARS - 2, settings.ANSWER_MAX_CHARS * 3).map(lambda n: "é" * n)
answers = st.one_of(any_text, huge_text, st.sampled_from(["", " ", "\x00", "\u202e", "<script>", "%00", "😀" * 50]))
form_data = st.dictionaries(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
    st.one_of(any_text, st.lists(any_text, max_size=3)),
    max_size=6,
)


@given(answer=answers, htmx=st.booleans())
@FAST
def test_the_answer_endpoint_never_fails_and_saves_whole_attempts_only(candidate_client, question, answer, htmx):
    before = Attempt.objects.count()
    response = candidate_client.post(question.get_absolute_url(), {"answer": answer}, **(HTMX if htmx else {}))
    assert response.status_code in (200, 302)
    saved = Attempt.objects.count() - before
    clean = answer.replace("\r\n", "\n")
    if clean.strip() and "\x00" not in clean and len(clean) <= settings.ANSWER_MAX_CHARS:
        assert saved == 1
        assert Attempt.objects.latest("id").answer == clean
    else:
        assert saved == 0
        assert "errors" in response.content.decode()  # the form error is in the page


@given(data=form_data)
@FAST
def test_malformed_form_data_on_the_answer_endpoint_is_a_form_error(candidate_client, question, data):
    before = Attempt.objects.count()
    response = candidate_client.post(question.get_absolute_url(), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Attempt.objects.count() == before


@given(data=form_data, preset=st.sampled_from(["", "warm-up", "nonsense", "x" * 500]))
@FAST
def test_starting_an_interview_with_any_form_data_never_fails(candidate_client, question, data, preset):
    before = Interview.objects.count()
    response = candidate_client.post(reverse("interviews:interview_start"), {**data, "preset": preset})
    assert response.status_code in (200, 302)
    assert Interview.objects.count() - before == (1 if response.status_code == 302 else 0)


@given(answer=answers, endpoint=st.sampled_from(["item_answer", "item_draft", "item_skip", "item_flag", "item_goto"]))
@FAST
def test_the_interview_endpoints_never_fail(candidate_client, candidate, question, other_question, answer, endpoint):
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="interview")
    item = svc.current_item(interview=interview)
    url = reverse(f"interviews:{endpoint}", args=[interview.uuid, item.position])
    response = candidate_client.post(url, {"answer": answer, "submission_key": "not-a-uuid"}, **HTMX)
    assert response.status_code in (200, 204, 302)
    item.refresh_from_db()
    # One counted attempt at most, and a closed item always has its attempt.
    assert (item.attempt_id is not None) == (item.state in ("answered", "unanswered"))


@given(data=st.binary(max_size=2000), fmt=st.sampled_from(sorted(CODECS)))
@hsettings(max_examples=150, deadline=None)
def test_every_import_format_reads_arbitrary_bytes_or_says_why(data, fmt):
    try:
        bundle = parse_bytes(data, f"upload.{fmt}", fmt)
    except FormatError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert isinstance(bundle, Bundle)


@given(text=any_text, fmt=st.sampled_from(sorted(CODECS)))
@hsettings(max_examples=150, deadline=None)
def test_every_import_format_reads_arbitrary_text_or_says_why(text, fmt):
    try:
        parse_bytes(text.encode(), f"upload.{fmt}", fmt)
    except FormatError as exc:
        assert exc.problems


@given(data=st.binary(max_size=3000))
@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_admin_import_upload_never_fails_and_writes_nothing(client, curator, data):
    curator.is_superuser = True
    curator.save()
    client.force_login(curator)
    before = Question.objects.count()
    upload = SimpleUploadedFile("bank.json", data, content_type="application/json")
    response = client.post(reverse("admin:interviews_question_import"), {"file": upload})
    assert response.status_code == 200
    assert Question.objects.count() == before  # the first step is a dry run


@given(email=st.one_of(any_text, st.emails(), st.sampled_from(["alice@example.com", "ALICE@EXAMPLE.COM", "@", ""])))
@FAST
def test_the_password_reset_form_takes_any_text(client, candidate, email, mailoutbox):
    cache.clear()  # the reset cap counts across examples otherwise
    mailoutbox.clear()
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "errorlist" in response.content.decode()  # the form says what is wrong with the address
        assert mailoutbox == []
    else:
        assert response.url == reverse("accounts:password_reset_done")
        assert len(mailoutbox) == (email.strip().lower() == candidate.email)
