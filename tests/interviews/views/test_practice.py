import pytest
from django.conf import settings
from django.urls import reverse

from interviews.models import Attempt
from interviews.services import attempts as attempt_services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
GOOD_ANSWER = (
    "Gradients are multiplied by each layer's derivative during backpropagation; with sigmoid or tanh "
    "they shrink exponentially so early layers stop learning. ReLU, residual connections and batch norm help."
)


def test_the_question_list_filters_by_topic_difficulty_and_search(candidate_client, question, other_question):
    url = reverse("interviews:question_list")
    assert {q.slug for q in candidate_client.get(url).context["page"]} == {question.slug, other_question.slug}
    by_topic = candidate_client.get(url, {"topic": "cnn-vision"}).context["page"]
    assert [q.slug for q in by_topic] == [other_question.slug]
    by_difficulty = candidate_client.get(url, {"difficulty": "medium"}).context["page"]
    assert [q.slug for q in by_difficulty] == [question.slug]
    by_search = candidate_client.get(url, {"q": "vanishing"}).context["page"]
    assert [q.slug for q in by_search] == [question.slug]


def test_the_question_list_shows_the_questions_that_test_a_concept(candidate_client, question, other_question):
    url = reverse("interviews:question_list")
    response = candidate_client.get(url, {"concept": "Max or average"})
    assert [q.slug for q in response.context["page"]] == [other_question.slug]
    body = response.content.decode()
    assert "Questions that test “Max or average”" in body
    assert '<input type="hidden" name="concept" value="Max or average">' in body  # kept by the other filters
    fragment = candidate_client.get(url, {"concept": "Max or average", "q": "pooling"}, **HTMX).content.decode()
    assert "Questions that test “Max or average”" in fragment and other_question.get_absolute_url() in fragment
    escaped = candidate_client.get(url, {"concept": "<b>x</b>"}).content.decode()
    assert "“&lt;b&gt;x&lt;/b&gt;”" in escaped and "No question matches these filters." in escaped


def test_a_concept_lists_every_question_with_a_point_on_it(candidate_client, question, other_question):
    question.key_points.filter(label__startswith="Saturating").update(concept="activation functions")
    other_question.key_points.filter(label="Max or average").update(concept="Activation functions")
    url = reverse("interviews:question_list")
    listed = candidate_client.get(url, {"concept": "Activation Functions"}).context["page"]
    assert sorted(q.slug for q in listed) == sorted([question.slug, other_question.slug])
    # A tagged point is found by its concept, not by its label any more; an untagged one by its label.
    assert list(candidate_client.get(url, {"concept": "Max or average"}).context["page"]) == []
    assert [q.slug for q in candidate_client.get(url, {"concept": "Translation invariance"}).context["page"]] == [
        other_question.slug
    ]


def test_the_question_list_answers_htmx_with_the_results_fragment_only(candidate_client, question):
    response = candidate_client.get(reverse("interviews:question_list"), {"q": "gradient"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert question.get_absolute_url() in body


def test_draft_questions_are_neither_listed_nor_answerable(candidate_client, question):
    question.status = "draft"
    question.save()
    assert list(candidate_client.get(reverse("interviews:question_list")).context["page"]) == []
    assert candidate_client.get(question.get_absolute_url()).status_code == 404


def test_a_missed_point_links_to_every_question_on_its_concept(candidate_client, candidate, question):
    question.key_points.filter(label__startswith="Residual").update(concept="residual connections")
    question.key_points.filter(label__startswith="ReLU").update(concept="activation functions")
    answer = "ReLU activations avoid it."  # covers the ReLU point only
    body = candidate_client.post(question.get_absolute_url(), {"answer": answer}, **HTMX).content.decode()
    assert 'href="/questions/?concept=residual%20connections"' in body and "Practise residual connections" in body
    assert '<span class="tag">activation functions</span>' in body  # covered: named, no link
    attempt = Attempt.objects.get()
    assert "Practise residual connections" in candidate_client.get(attempt.get_absolute_url()).content.decode()


def test_an_answer_submitted_by_htmx_returns_only_the_feedback_fragment(candidate_client, candidate, question):
    response = candidate_client.post(question.get_absolute_url(), {"answer": GOOD_ANSWER}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'class="feedback' in body
    attempt = Attempt.objects.get(user=candidate)
    assert f'data-testid="score">{attempt.score}<' in body
    assert question.references.first().text in body


def test_saying_i_dont_know_is_kept_as_a_zero_with_advice_to_try(candidate_client, candidate, question):
    response = candidate_client.post(question.get_absolute_url(), {"answer": "Sorry, I don't know."}, **HTMX)
    body = response.content.decode()
    attempt = Attempt.objects.get(user=candidate)
    assert (attempt.score, attempt.feedback["rule"]) == (0, "no answer")
    assert 'data-testid="score">0<' in body
    assert "Saying you don&#x27;t know scores 0" in body


def test_a_full_post_without_htmx_saves_and_redirects_to_the_attempt(candidate_client, candidate, question):
    response = candidate_client.post(question.get_absolute_url(), {"answer": GOOD_ANSWER})
    attempt = Attempt.objects.get(user=candidate)
    assert response.status_code == 302
    assert response.url == attempt.get_absolute_url()
    page = candidate_client.get(response.url)
    assert page.status_code == 200
    assert "<html" in page.content.decode()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full", "htmx"])
@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", "empty answer"),
        ("   \n\t ", "empty answer"),
        ("x" * (settings.ANSWER_MAX_CHARS + 1), "the limit is 10,000"),
    ],
    ids=["empty", "whitespace", "too-long"],
)
def test_a_bad_answer_gets_a_form_error_and_saves_nothing(candidate_client, question, answer, message, headers):
    response = candidate_client.post(question.get_absolute_url(), {"answer": answer}, **headers)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Attempt.objects.count() == 0


def test_an_answer_at_the_length_limit_is_accepted(candidate_client, question):
    answer = ("relu " * (settings.ANSWER_MAX_CHARS // 5))[: settings.ANSWER_MAX_CHARS]
    candidate_client.post(question.get_absolute_url(), {"answer": answer}, **HTMX)
    assert Attempt.objects.count() == 1


def test_answers_are_escaped_on_output(candidate_client, candidate, question):
    candidate_client.post(question.get_absolute_url(), {"answer": "<script>alert(1)</script> relu"})
    attempt = Attempt.objects.get(user=candidate)
    body = candidate_client.get(attempt.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_time_taken_is_measured_from_the_signed_start(candidate_client, candidate, question):
    import time

    from interviews.forms import sign_started

    started = sign_started(time.time() - 95)
    resp = candidate_client.post(
        question.get_absolute_url(), {"answer": GOOD_ANSWER, "started": started}, HTTP_HX_REQUEST="true"
    )
    taken = Attempt.objects.get(user=candidate).time_taken_seconds
    assert 95 <= taken <= 100
    # The feedback says it, against the question's suggested time (180 s).
    assert f"Answered in 1:{taken - 60:02d}; the suggested time is 3:00." in resp.content.decode()


def test_the_question_page_has_a_stopwatch_of_the_suggested_time(candidate_client, question):
    body = candidate_client.get(question.get_absolute_url()).content.decode()
    assert 'data-stopwatch data-suggested="180" hidden' in body  # shown by answer_box.js
    assert "of 3:00 suggested" in body


def test_a_forged_start_time_is_ignored(candidate_client, candidate, question):
    resp = candidate_client.post(
        question.get_absolute_url(), {"answer": GOOD_ANSWER, "started": "123:forged"}, HTTP_HX_REQUEST="true"
    )
    assert Attempt.objects.get(user=candidate).time_taken_seconds is None
    assert "Answered in" not in resp.content.decode()


def test_history_lists_only_my_attempts(client, candidate, stranger, question):
    client.force_login(stranger)
    client.post(question.get_absolute_url(), {"answer": "stranger's secret answer about relu"})
    client.force_login(candidate)
    client.post(question.get_absolute_url(), {"answer": GOOD_ANSWER})
    page = client.get(reverse("interviews:history")).context["page"]
    assert [a.user for a in page] == [candidate]


def test_a_user_never_sees_another_users_attempt(client, candidate, stranger, question):
    client.force_login(candidate)
    client.post(question.get_absolute_url(), {"answer": GOOD_ANSWER})
    attempt = Attempt.objects.get()
    client.force_login(stranger)
    assert client.get(attempt.get_absolute_url()).status_code == 404
    assert client.post(reverse("interviews:attempt_contest", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.contested_at is None


def test_i_think_i_was_right_is_recorded_without_changing_the_score(candidate_client, candidate, question):
    candidate_client.post(question.get_absolute_url(), {"answer": "relu helps"})
    attempt = Attempt.objects.get()
    score = attempt.score
    response = candidate_client.post(
        reverse("interviews:attempt_contest", args=[attempt.pk]), {"note": "I named the fix"}, **HTMX
    )
    assert "A curator will review it" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.contested_at is not None
    assert attempt.contest_note == "I named the fix"
    assert attempt.score == score


def test_an_unanswered_question_offers_no_contest_and_refuses_one(candidate_client, candidate, question):
    attempt = attempt_services.attempt_submit(user=candidate, question=question, answer="")
    page = candidate_client.get(attempt.get_absolute_url()).content.decode()
    assert "No answer was given." in page and "I think I was right" not in page
    url = reverse("interviews:attempt_contest", args=[attempt.pk])
    response = candidate_client.post(url, {"note": "me"}, **HTMX)
    assert response.status_code == 400 and "nothing for a curator to review" in response.content.decode()
    response = candidate_client.post(url, {"note": "me"}, follow=True)
    assert "nothing for a curator to review" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.contested_at is None


def test_posting_without_a_csrf_token_is_refused(question, candidate):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    response = client.post(question.get_absolute_url(), {"answer": GOOD_ANSWER})
    assert response.status_code == 403
    assert Attempt.objects.count() == 0


def test_the_home_page_welcomes_anonymous_users_and_forwards_members(client, candidate):
    assert "Create a free account" in client.get(reverse("interviews:home")).content.decode()
    client.force_login(candidate)
    assert client.get(reverse("interviews:home")).status_code == 302


def test_a_double_click_on_submit_records_one_attempt(candidate_client, candidate, question):
    page = candidate_client.get(question.get_absolute_url()).content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    for _ in range(2):
        data = {"answer": GOOD_ANSWER, "submission_key": key}
        response = candidate_client.post(question.get_absolute_url(), data, **HTMX)
        assert 'data-testid="score"' in response.content.decode()
    assert Attempt.objects.filter(user=candidate).count() == 1


def test_a_key_reused_on_another_question_records_that_answer_not_the_first_ones(
    candidate_client, candidate, question, other_question
):
    page = candidate_client.get(question.get_absolute_url()).content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    candidate_client.post(question.get_absolute_url(), {"answer": GOOD_ANSWER, "submission_key": key}, **HTMX)
    response = candidate_client.post(
        other_question.get_absolute_url(), {"answer": "Convolutions share weights.", "submission_key": key}, **HTMX
    )
    assert response.status_code == 200
    assert other_question.references.first().text in response.content.decode()
    assert sorted(Attempt.objects.filter(user=candidate).values_list("question_id", flat=True)) == sorted(
        [question.pk, other_question.pk]
    )


def test_the_question_list_shows_my_last_score_and_filters_by_it(
    candidate_client, candidate, stranger, question, other_question
):
    from tests.factories import make_attempt

    make_attempt(user=candidate, question=question, score=80)
    make_attempt(user=candidate, question=question, score=40)  # the last one counts
    make_attempt(user=stranger, question=other_question, score=95)  # someone else's: not mine
    url = reverse("interviews:question_list")
    body = candidate_client.get(url).content.decode()
    assert '<span class="tag weak" data-testid="my-standing">Last score 40 · 2 attempts</span>' in body
    assert body.count("Not tried yet</span>") == 1  # the other question (the filter's option is an <option>)
    slugs = {
        standing: [q.slug for q in candidate_client.get(url, {"standing": standing}).context["page"]]
        for standing in ("new", "tried", "weak", "")
    }
    assert slugs == {
        "new": [other_question.slug],
        "tried": [question.slug],
        "weak": [question.slug],
        "": [other_question.slug, question.slug],
    }
    make_attempt(user=candidate, question=question, score=75)
    assert list(candidate_client.get(url, {"standing": "weak"}).context["page"]) == []
    assert candidate_client.get(url, {"standing": "bogus"}).status_code == 200  # an unknown value filters nothing


def test_save_for_later_from_the_question_page(candidate_client, candidate, stranger, question, other_question):
    from interviews.models import SavedQuestion
    from interviews.services.saved_questions import question_save

    save_url = reverse("interviews:question_save", args=[question.slug])
    page = candidate_client.get(question.get_absolute_url()).content.decode()
    assert "☆ Save for later" in page and f'action="{save_url}"' in page
    fragment = candidate_client.post(save_url, {"saved": "1"}, **HTMX).content.decode()
    assert "★ Saved for later" in fragment and 'name="saved" value="0"' in fragment  # the next click removes it
    assert "★ Saved for later" in candidate_client.get(question.get_absolute_url()).content.decode()

    question_save(user=stranger, question=other_question, saved=True)  # someone else's list
    url = reverse("interviews:question_list")
    assert [q.slug for q in candidate_client.get(url, {"standing": "saved"}).context["page"]] == [question.slug]
    assert candidate_client.get(url).content.decode().count("★ Saved</span>") == 1

    response = candidate_client.post(save_url, {"saved": "0"})  # without htmx: back to the question
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert not SavedQuestion.objects.filter(user=candidate).exists()
    assert candidate_client.get(save_url).status_code == 405


def test_a_draft_question_cannot_be_saved(candidate_client, candidate, question):
    from interviews.models import SavedQuestion

    question.status = "draft"
    question.save()
    assert (
        candidate_client.post(reverse("interviews:question_save", args=[question.slug]), {"saved": "1"}).status_code
        == 404
    )
    assert not SavedQuestion.objects.exists()
