from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from interviews.models import Attempt, Interview, InterviewStatus, ItemState
from interviews.services import mock_interviews as svc
from tests.conftest import make_question
from tests.factories import make_attempt
from tests.round_trips import postgres_round_trips

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
GOOD = "Sigmoid and tanh saturate so gradients shrink exponentially; ReLU and residual connections fix it."


@pytest.fixture
def bank(topic, question, other_question):
    make_question(
        slug="dropout", topic=topic, prompt="What does dropout do?",
        references=["Dropout randomly zeroes activations during training so units cannot co-adapt."],
    )


@pytest.fixture
def interview(candidate, bank):
    return svc.interview_start(user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="interview")


def item_url(interview, name, position):
    return reverse(f"interviews:{name}", args=[interview.uuid, position])


def test_a_preset_starts_an_interview_and_shows_its_first_question(candidate_client, candidate, bank):
    response = candidate_client.post(reverse("interviews:interview_start"), {"preset": "warm-up"})
    interview = Interview.objects.get(user=candidate)
    assert response.status_code == 302 and response.url == interview.get_absolute_url()
    assert interview.title == "15-minute warm-up" and interview.time_limit_seconds == 900
    page = candidate_client.get(response.url)
    assert page.status_code == 200
    assert 'role="timer"' in page.content.decode()


def test_a_custom_interview_validates_its_choices(candidate_client, bank):
    response = candidate_client.post(
        reverse("interviews:interview_start"),
        {"count": 10, "timing": "whole", "minutes": 1, "mode": "interview"},
    )
    assert "too short for 10 questions" in response.content.decode()
    assert not Interview.objects.exists()


def test_no_matching_question_is_a_clear_form_error(candidate_client, bank, other_topic):
    response = candidate_client.post(
        reverse("interviews:interview_start"),
        {"count": 3, "timing": "whole", "minutes": 10, "mode": "interview", "difficulty": "hard",
         "topics": [other_topic.pk]},
    )
    assert "No published question matches" in response.content.decode()


def test_the_page_shows_the_server_remaining_time(candidate_client, interview):
    Interview.objects.filter(pk=interview.pk).update(deadline=timezone.now() + timedelta(seconds=125))
    body = candidate_client.get(interview.get_absolute_url()).content.decode()
    assert 'data-remaining="12' in body  # 124 or 125 depending on the tick


def test_autosave_keeps_the_draft_and_a_reload_restores_it(candidate_client, interview):
    item = svc.current_item(interview=interview)
    url = item_url(interview, "item_draft", item.position)
    response = candidate_client.post(url, {"answer": "half an <answer>"}, **HTMX)
    assert "Draft saved" in response.content.decode()
    body = candidate_client.get(interview.get_absolute_url()).content.decode()
    assert "half an &lt;answer&gt;" in body


def test_the_stage_fragment_escapes_the_draft_and_shows_its_time_in_the_users_zone(
    candidate_client, candidate, interview
):
    candidate.time_zone = "Asia/Tokyo"
    candidate.save(update_fields=["time_zone"])
    item = svc.current_item(interview=interview)
    saved = timezone.now().replace(hour=6, minute=30, second=15, microsecond=0)
    type(item).objects.filter(pk=item.pk).update(draft="</textarea><script>x</script>", draft_saved_at=saved)
    skip = candidate_client.post(item_url(interview, "item_skip", item.position), **HTMX).content.decode()
    goto = candidate_client.post(item_url(interview, "item_goto", item.position), **HTMX).content.decode()
    assert 'id="interview-stage"' in goto and "<html" not in goto and 'id="interview-stage"' in skip
    assert "&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;" in goto and "<script>x</script>" not in goto
    assert "Draft saved 15:30:15" in goto  # 06:30:15 UTC in Tokyo


def test_answering_by_htmx_swaps_in_the_next_question(candidate_client, candidate, interview):
    item = svc.current_item(interview=interview)
    response = candidate_client.post(item_url(interview, "item_answer", item.position), {"answer": GOOD}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'id="interview-stage"' in body
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED
    assert Attempt.objects.filter(user=candidate, mode="interview").count() == 1


def test_practice_mode_shows_feedback_after_each_answer(candidate_client, candidate, bank):
    interview = svc.interview_start(user=candidate, count=2, timing="whole", time_limit_seconds=600, mode="practice")
    item = svc.current_item(interview=interview)
    response = candidate_client.post(item_url(interview, "item_answer", item.position), {"answer": GOOD}, **HTMX)
    body = response.content.decode()
    assert 'data-testid="score"' in body and "Next question" in body


def test_practice_mode_feedback_names_concepts_without_leading_out_of_the_interview(
    candidate_client, candidate, bank, question, other_question
):
    question.key_points.update(concept="gradients")
    other_question.key_points.update(concept="gradients")
    interview = svc.interview_start(user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="practice")
    item = interview.items.exclude(question__slug="dropout").first()  # the one question without key points
    svc.item_goto(interview=interview, position=item.position)
    body = candidate_client.post(item_url(interview, "item_answer", item.position), {"answer": "no idea"}, **HTMX)
    body = body.content.decode()
    assert '<span class="tag">gradients</span>' in body
    assert "?concept=" not in body and "Practise" not in body


def test_interview_mode_hides_the_score_until_the_report(candidate_client, interview):
    item = svc.current_item(interview=interview)
    url = item_url(interview, "item_answer", item.position)
    body = candidate_client.post(url, {"answer": GOOD}, **HTMX).content.decode()
    assert 'data-testid="score"' not in body


def test_answering_the_last_question_leads_to_the_report(candidate_client, interview):
    for _ in range(3):
        item = svc.current_item(interview=interview)
        response = candidate_client.post(item_url(interview, "item_answer", item.position), {"answer": GOOD})
    report_url = reverse("interviews:interview_report", args=[interview.uuid])
    assert response.url == report_url
    report = candidate_client.get(report_url)
    assert report.status_code == 200
    assert report.context["report"].answered == 3
    body = report.content.decode()
    assert 'data-testid="overall"' in body
    assert "Time used: 0:0" in body and "of 10:00</li>" in body  # m:ss


def test_the_report_links_each_missed_concept_to_its_questions(candidate_client, interview):
    item = interview.items.exclude(question__slug="dropout").first()  # the one question without key points
    point = item.question.key_points.order_by("position").first()
    item.question.key_points.filter(pk=point.pk).update(concept="vanishing gradients")
    attempt = make_attempt(user=interview.user, question=item.question, score=30, key_points=[(point.label, False)])
    item.attempt, item.state = attempt, ItemState.ANSWERED
    item.save()
    svc.interview_finish(interview=interview)
    body = candidate_client.get(reverse("interviews:interview_report", args=[interview.uuid])).content.decode()
    assert "Concepts to practise" in body
    assert '<strong>vanishing gradients</strong>' in body and "?concept=vanishing%20gradients" in body
    assert "more</summary>" not in body  # ten are shown at once; more wait behind "N more"


def test_the_report_shows_ten_concepts_and_the_rest_behind_a_summary(candidate_client, interview):
    item = interview.items.exclude(question__slug="dropout").first()
    labels = [f"Point {n}" for n in range(12)]
    for n, label in enumerate(labels):
        item.question.key_points.create(label=label, concept=f"concept {n:02d}", position=10 + n)
    missed = [(label, False) for label in labels]
    attempt = make_attempt(user=interview.user, question=item.question, score=5, key_points=missed)
    item.attempt, item.state = attempt, ItemState.ANSWERED
    item.save()
    svc.interview_finish(interview=interview)
    body = candidate_client.get(reverse("interviews:interview_report", args=[interview.uuid])).content.decode()
    shown, rest = body.split("<summary>2 more</summary>")
    assert "concept 09" in shown and "concept 10" not in shown and "concept 11" in rest


def test_the_report_says_per_question_what_was_missed_or_that_nothing_was(candidate_client, interview):
    items = list(interview.items.all())
    for item, covered in zip(items, ([True, True], [True, False], [False, False]), strict=True):
        points = [(f"Point {n} of {item.position}", c) for n, c in enumerate(covered)]
        attempt = make_attempt(user=interview.user, question=item.question, score=50, key_points=points)
        item.attempt, item.state = attempt, ItemState.ANSWERED
        item.save(update_fields=["attempt", "state"])
    svc.interview_finish(interview=interview)
    body = candidate_client.get(reverse("interviews:interview_report", args=[interview.uuid])).content.decode()
    first, second, third = (item.position for item in items)
    assert body.count("All 2 key points covered.") == 1
    assert f'<span class="tag missed">Point 1 of {second}</span>' in body
    assert f"Point 0 of {second}</span>" not in body and f"of {first}</span>" not in body
    both = f'<span class="tag missed">Point 0 of {third}</span> <span class="tag missed">Point 1 of {third}</span>'
    assert both in body


def test_an_expired_interview_is_finished_on_the_next_request(candidate_client, interview):
    item = svc.current_item(interview=interview)
    svc.draft_save(item=item, text="my draft about relu")
    Interview.objects.filter(pk=interview.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = candidate_client.get(interview.get_absolute_url())
    assert response.status_code == 302 and response.url.endswith("/report/")
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.FINISHED
    item.refresh_from_db()
    assert item.attempt.answer == "my draft about relu"


def test_a_late_submission_is_kept_but_not_counted(candidate_client, candidate, interview):
    item = svc.current_item(interview=interview)
    Interview.objects.filter(pk=interview.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = candidate_client.post(item_url(interview, "item_answer", item.position), {"answer": GOOD})
    assert response.url.endswith("/report/")
    late = Attempt.objects.get(user=candidate, late=True)
    item.refresh_from_db()
    assert item.attempt != late and item.state == ItemState.UNANSWERED


def test_the_same_submission_twice_records_one_attempt(candidate_client, candidate, interview):
    item = svc.current_item(interview=interview)
    url = item_url(interview, "item_answer", item.position)
    candidate_client.post(url, {"answer": GOOD}, **HTMX)
    candidate_client.post(url, {"answer": GOOD}, **HTMX)
    assert Attempt.objects.filter(user=candidate, question=item.question).count() == 1


def test_skip_flag_and_come_back(candidate_client, interview):
    first = svc.current_item(interview=interview)
    candidate_client.post(item_url(interview, "item_flag", first.position), **HTMX)
    candidate_client.post(item_url(interview, "item_skip", first.position), {"answer": "keep me"}, **HTMX)
    first.refresh_from_db()
    assert first.flagged and first.state == ItemState.SKIPPED and first.draft == "keep me"
    interview.refresh_from_db()
    assert svc.current_item(interview=interview).position != first.position
    candidate_client.post(item_url(interview, "item_goto", first.position), **HTMX)
    interview.refresh_from_db()
    assert svc.current_item(interview=interview).position == first.position


def test_the_navigation_is_one_form_whose_buttons_post_without_javascript(candidate_client, interview):
    first = svc.current_item(interview=interview)
    candidate_client.post(item_url(interview, "item_answer", first.position), {"answer": GOOD}, **HTMX)
    body = candidate_client.get(interview.get_absolute_url()).content.decode()
    nav = body.split('class="interview-nav"')[1].split("</aside>")[0]
    goto_form = nav.split('class="interview-goto"')[1].split("</form>")[0]
    assert goto_form.count('name="csrfmiddlewaretoken"') == 1 and "<form" not in goto_form
    open_items = interview.items.exclude(pk=first.pk)
    for item in open_items:  # each open question: a submit button with its own URL, for both paths
        url = item_url(interview, "item_goto", item.position)
        assert f'formaction="{url}" hx-post="{url}"' in goto_form
    assert goto_form.count("<button") == open_items.count()  # the answered one is no button


def test_an_unfinished_interview_is_listed_to_resume(candidate_client, interview):
    body = candidate_client.get(reverse("interviews:interview_start")).content.decode()
    assert "Resume" in body and interview.get_absolute_url() in body


def test_another_users_interview_is_a_404(client, stranger, interview):
    client.force_login(stranger)
    item = interview.items.first()
    assert client.get(interview.get_absolute_url()).status_code == 404
    assert client.get(reverse("interviews:interview_report", args=[interview.uuid])).status_code == 404
    for name in ("item_answer", "item_draft", "item_skip", "item_flag", "item_goto"):
        assert client.post(item_url(interview, name, item.position), {"answer": "x"}).status_code == 404
    assert client.post(reverse("interviews:interview_finish", args=[interview.uuid])).status_code == 404
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS


def test_finish_now_submits_drafts_and_shows_the_report(candidate_client, interview):
    item = svc.current_item(interview=interview)
    svc.draft_save(item=item, text=GOOD)
    response = candidate_client.post(reverse("interviews:interview_finish", args=[interview.uuid]))
    assert response.url.endswith("/report/")
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.FINISHED


def test_an_htmx_answer_moves_on_in_one_transaction(candidate_client, candidate, interview, django_assert_num_queries):
    first = svc.current_item(interview=interview)  # its answer fits the engine: not counted below
    candidate_client.post(item_url(interview, "item_answer", first.position), {"answer": GOOD}, **HTMX)
    interview.refresh_from_db()
    item = svc.current_item(interview=interview)
    url = item_url(interview, "item_answer", item.position)
    # Session with its user, the item with its interview (its question from memory); one transaction (a savepoint
    # inside the test's): interview and items locked (once: the stage reuses them), the review card
    # looked up (a first one: inserted without a savepoint of its own), on PostgreSQL the attempt's
    # key taken from its sequence, attempt, card, item closed, the next item made current and
    # shown. No exists(), no reload of the items, no query for the next question, and no bank
    # version: the first answer read it a moment ago. On PostgreSQL the five writes are one
    # statement (statements.Batch._send_writes).
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 12) as queries:
        response = candidate_client.post(url, {"answer": GOOD}, **HTMX)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "interviews_interviewitem"' in s and s.startswith("SELECT") for s in sql) == 2
    if connection.vendor == "postgresql":
        [writes] = [s for s in sql if s.startswith("WITH")]
        assert writes.count("INSERT INTO") == 2 and writes.count("UPDATE") == 3
    assert not any("SELECT 1 AS" in s for s in sql)
    body = response.content.decode()
    interview.refresh_from_db()
    nxt = interview.items.get(position=interview.current_position)
    assert nxt.position not in (first.position, item.position) and nxt.shown_at is not None
    assert f'action="{item_url(interview, "item_answer", nxt.position)}"' in body
    assert body.count("<li class=") == 3 and "Answered" in body


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_htmx_answer_waits_for_the_database_five_times(candidate_client, interview, settings):
    if connection.vendor != "postgresql":
        pytest.skip("round trips are PostgreSQL's")
    settings.BANK_RECHECK_SECONDS = 600  # no read of the bank's version in the middle
    first = svc.current_item(interview=interview)
    candidate_client.post(item_url(interview, "item_answer", first.position), {"answer": GOOD}, **HTMX)
    item = svc.current_item(interview=Interview.objects.get(pk=interview.pk))
    with postgres_round_trips() as trips:
        before = trips.count
        response = candidate_client.post(item_url(interview, "item_answer", item.position), {"answer": GOOD}, **HTMX)
        # The session with its user; the item with its interview; BEGIN; the locks and reads; the
        # writes with the COMMIT (fourteen before the batches, eight before the item and its
        # interview came in one statement, seven before the COMMIT went with the writes, six before
        # the user came with the session).
        assert trips.count - before == 5
    assert response.status_code == 200 and "Answered" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.ANSWERED and item.attempt.answer == GOOD


def test_a_submission_key_reused_on_the_next_question_is_no_server_error(candidate_client, interview):
    first = svc.current_item(interview=interview)
    page = candidate_client.get(interview.get_absolute_url()).content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    data = {"answer": GOOD, "submission_key": key}
    candidate_client.post(item_url(interview, "item_answer", first.position), data, **HTMX)
    second = svc.current_item(interview=type(interview).objects.get(pk=interview.pk))
    response = candidate_client.post(
        item_url(interview, "item_answer", second.position), {"answer": GOOD, "submission_key": key}, **HTMX
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.attempt is not None and second.attempt.question_id == second.question_id


def test_an_htmx_stage_carries_no_csrf_token_and_its_forms_post_with_the_pages_header(candidate, interview):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    page = client.get(interview.get_absolute_url()).content.decode()
    # The whole page: a token in each of the stage's three forms (without JavaScript they post it)
    # and the one htmx sends in a header.
    stage = page.split('id="interview-stage"')[1]
    assert stage.count('name="csrfmiddlewaretoken"') == 3
    header_token = page.split('hx-headers=\'{"X-CSRFToken": "')[1].split('"')[0]
    first = svc.current_item(interview=interview)
    url = item_url(interview, "item_answer", first.position)
    assert client.post(url, {"answer": GOOD}, **HTMX).status_code == 403  # no token, no answer
    response = client.post(url, {"answer": GOOD}, HTTP_X_CSRFTOKEN=header_token, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "csrfmiddlewaretoken" not in body
    second = svc.current_item(interview=Interview.objects.get(pk=interview.pk))
    second_url = item_url(interview, "item_answer", second.position)
    assert second.position != first.position and f'action="{second_url}"' in body
    # The next answer, from the swapped-in fragment, posts with the same header.
    response = client.post(second_url, {"answer": GOOD}, HTTP_X_CSRFTOKEN=header_token, **HTMX)
    assert response.status_code == 200
    assert interview.items.filter(state=ItemState.ANSWERED).count() == 2


def test_a_too_long_answer_comes_back_in_its_box_with_its_key_and_the_reason(candidate_client, interview, settings):
    settings.ANSWER_MAX_CHARS = 40
    first = svc.current_item(interview=interview)
    key = "7f0c5a52-1d3e-4d57-9d0e-0a4a8f6f1c11"
    text = "<b>" + "x" * 60
    response = candidate_client.post(
        item_url(interview, "item_answer", first.position), {"answer": text, "submission_key": key}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in body and "the limit is 40" in body
    assert f'value="{key}"' in body and f">&lt;b&gt;{'x' * 60}</textarea>" in body
    assert not Attempt.objects.filter(user=interview.user).exists()


def test_the_interview_page_is_never_cached(candidate_client, interview):
    response = candidate_client.get(interview.get_absolute_url())
    assert "no-store" in response["Cache-Control"]  # htmx changes it in the browser; Back must fetch it again
