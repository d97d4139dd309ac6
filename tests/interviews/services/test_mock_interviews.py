import threading
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from interviews import scheduling
from interviews.models import Attempt, InterviewStatus, ItemState, ReviewState, TimingMode
from interviews.selectors import mock_interviews as selectors
from interviews.services import mock_interviews as svc
from tests.conftest import make_question
from tests.factories import make_attempt

pytestmark = pytest.mark.django_db

GOOD = "Sigmoid and tanh saturate so gradients shrink exponentially; ReLU and residual connections fix it."


@pytest.fixture
def three_questions(topic, question, other_question):
    third = make_question(
        slug="dropout",
        topic=topic,
        prompt="What does dropout do?",
        references=["Dropout randomly zeroes activations during training so units cannot co-adapt."],
        key_points=[("Zeroes random activations", ["zeroes activations", "randomly drops"])],
    )
    return [question, other_question, third]


def start(user, *, timing=TimingMode.WHOLE, seconds=600, count=3, now=None, mode="interview"):
    return svc.interview_start(
        user=user, count=count, timing=timing, time_limit_seconds=seconds, mode=mode, now=now
    )

def in_two_threads(prepare, act):
    """Run `act(prepare())` in two threads at once (each with its own connection), released
    together after both have prepared. Returns the results and the exceptions."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            prepared = prepare()
            barrier.wait()
            results.append(act(prepared))
        except Exception as exc:  # noqa: BLE001 - surfaced by the caller's assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors



def test_starting_picks_the_requested_number_of_distinct_published_questions(candidate, three_questions):
    interview = start(candidate, count=2)
    items = list(interview.items.all())
    assert len(items) == 2
    assert len({i.question_id for i in items}) == 2
    assert interview.deadline == interview.started_at + timedelta(seconds=600)


def test_starting_with_no_matching_question_is_refused(candidate, three_questions, other_topic):
    with pytest.raises(svc.NotEnoughQuestions):
        svc.interview_start(
            user=candidate, count=3, timing="whole", time_limit_seconds=600, mode="interview",
            topics=[other_topic], difficulty="hard",
        )


def test_unseen_questions_come_first(candidate, three_questions):
    svc_attempt_for = three_questions[:2]
    for q in svc_attempt_for:
        Attempt.objects.create(user=candidate, question=q, answer="x", score=10, band="weak", scorer_version="t")
    interview = start(candidate, count=1)
    assert interview.items.get().question == three_questions[2]


def test_remaining_time_comes_from_the_server_deadline_not_the_request(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, seconds=300, now=now)
    assert svc.remaining_seconds(interview, None, now=now + timedelta(seconds=100)) == 200
    # Asking again (a reload, a second tab) gives no extra time.
    assert svc.remaining_seconds(interview, None, now=now + timedelta(seconds=100)) == 200


def test_an_answer_in_time_is_scored_and_counted(candidate, three_questions):
    interview = start(candidate)
    item = svc.current_item(interview=interview)
    attempt = svc.item_answer(item=item, text=GOOD)
    item.refresh_from_db()
    assert item.attempt == attempt and item.state == ItemState.ANSWERED
    assert attempt.mode == "interview" and not attempt.late


def test_a_submission_after_the_deadline_is_refused_as_on_time(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, seconds=60, now=now)
    item = svc.current_item(interview=interview, now=now)
    svc.draft_save(item=item, text="draft typed in time about relu", now=now + timedelta(seconds=30))
    late = svc.item_answer(item=item, text=GOOD, now=now + timedelta(seconds=60) + svc.GRACE + timedelta(seconds=1))
    item.refresh_from_db()
    interview.refresh_from_db()
    assert late.late is True
    assert item.attempt != late
    assert item.attempt.answer == "draft typed in time about relu"
    assert interview.status == InterviewStatus.FINISHED


def test_a_submission_within_the_grace_period_counts_as_on_time(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, seconds=60, now=now)
    item = svc.current_item(interview=interview, now=now)
    attempt = svc.item_answer(item=item, text=GOOD, now=now + timedelta(seconds=62))
    item.refresh_from_db()
    assert not attempt.late and item.attempt == attempt


def test_drafts_are_refused_after_the_deadline(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, seconds=60, now=now)
    item = svc.current_item(interview=interview, now=now)
    assert svc.draft_save(item=item, text="in time", now=now + timedelta(seconds=10))
    assert not svc.draft_save(item=item, text="too late", now=now + timedelta(seconds=120))
    item.refresh_from_db()
    assert item.draft == "in time"


def test_an_expired_interview_is_finished_on_the_next_touch(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, seconds=60, now=now)
    first = svc.current_item(interview=interview, now=now)
    svc.draft_save(item=first, text="a draft about sigmoid saturation", now=now)
    svc.interview_touch(interview=interview, now=now + timedelta(seconds=30))
    assert interview.status == InterviewStatus.IN_PROGRESS
    svc.interview_touch(interview=interview, now=now + timedelta(seconds=120))
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.FINISHED
    states = {i.position: i for i in interview.items.select_related("attempt")}
    assert states[first.position].state == ItemState.ANSWERED
    assert states[first.position].attempt.answer == "a draft about sigmoid saturation"
    others = [i for pos, i in states.items() if pos != first.position]
    assert all(i.state == ItemState.UNANSWERED and i.attempt.score == 0 for i in others)


def test_per_question_clocks_start_when_a_question_is_shown(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, timing=TimingMode.PER_QUESTION, seconds=60, now=now)
    first = svc.current_item(interview=interview, now=now)
    assert first.deadline == now + timedelta(seconds=60)
    svc.item_answer(item=first, text=GOOD, now=now + timedelta(seconds=20))
    second = svc.current_item(interview=interview, now=now + timedelta(seconds=25))
    assert second.position != first.position
    assert second.deadline == now + timedelta(seconds=85)


def test_an_overdue_per_question_item_is_closed_with_its_draft(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, timing=TimingMode.PER_QUESTION, seconds=60, now=now)
    first = svc.current_item(interview=interview, now=now)
    svc.draft_save(item=first, text="pooling draft", now=now + timedelta(seconds=5))
    svc.interview_touch(interview=interview, now=now + timedelta(seconds=100))
    first.refresh_from_db()
    assert first.state == ItemState.ANSWERED and first.attempt.answer == "pooling draft"
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS  # the other questions haven't been shown yet


def test_a_repeated_submission_records_one_attempt(candidate, three_questions):
    interview = start(candidate)
    item = svc.current_item(interview=interview)
    first = svc.item_answer(item=item, text=GOOD)
    second = svc.item_answer(item=item, text=GOOD)
    assert first == second
    assert Attempt.objects.filter(user=candidate).count() == 1


def test_skipped_questions_come_back_after_the_pending_ones(candidate, three_questions):
    interview = start(candidate)
    first = svc.current_item(interview=interview)
    svc.item_skip(item=first)
    second = svc.current_item(interview=interview)
    assert second.position != first.position
    svc.item_answer(item=second, text=GOOD)
    third = svc.current_item(interview=interview)
    svc.item_answer(item=third, text=GOOD)
    again = svc.current_item(interview=interview)
    assert again.position == first.position and again.state == ItemState.SKIPPED


def test_finishing_submits_drafts_and_scores_the_rest_zero(candidate, three_questions):
    interview = start(candidate)
    item = svc.current_item(interview=interview)
    svc.draft_save(item=item, text=GOOD)
    svc.interview_finish(interview=interview)
    items = list(interview.items.select_related("attempt"))
    assert interview.status == InterviewStatus.FINISHED
    assert sum(i.state == ItemState.ANSWERED for i in items) == 1
    assert all(i.attempt is not None for i in items)
    assert Attempt.objects.filter(user=candidate).count() == 3
    svc.interview_finish(interview=interview)  # finishing twice changes nothing
    assert Attempt.objects.filter(user=candidate).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_identical_concurrent_submissions_record_one_attempt(candidate, three_questions):
    interview = start(candidate)
    item = svc.current_item(interview=interview)
    results, errors = in_two_threads(
        lambda: None, lambda _: svc.item_answer(item=type(item).objects.get(pk=item.pk), text=GOOD).pk
    )
    assert errors == []
    assert len(set(results)) == 1
    assert Attempt.objects.filter(user=candidate, question=item.question).count() == 1


def test_a_retried_late_submission_is_kept_once(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, seconds=60, now=now)
    item = svc.current_item(interview=interview, now=now)
    key = uuid.uuid4()
    after = now + timedelta(seconds=120)
    first = svc.item_answer(item=item, text=GOOD, now=after, submission_key=key)
    again = svc.item_answer(item=type(item).objects.get(pk=item.pk), text=GOOD, now=after, submission_key=key)
    assert first == again and first.late
    assert Attempt.objects.filter(user=candidate, late=True).count() == 1


# --- answering and moving on in one transaction (the htmx answer of interview mode) ---------------


def test_answer_and_next_shows_the_next_question_and_finishes_after_the_last(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, now=now)
    item = svc.current_item(interview=interview, now=now)
    seen = [item.position]
    for step in range(1, 3):
        answered = svc.item_answer_and_next(item=item, text=GOOD, now=now + timedelta(seconds=step))
        assert answered.moved_on and answered.attempt.answer == GOOD and not answered.attempt.late
        assert [i.position for i in answered.items] == [0, 1, 2]
        item = answered.current
        assert item.position not in seen and item.shown_at == now + timedelta(seconds=step)
        seen.append(item.position)
        interview.refresh_from_db()
        assert interview.current_position == item.position
        item.refresh_from_db()
        assert item.shown_at == now + timedelta(seconds=step)
        item = type(item).objects.select_related("interview", "question").get(pk=item.pk)
    last = svc.item_answer_and_next(item=item, text=GOOD, now=now + timedelta(seconds=3))
    assert last.moved_on and last.current is None
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.FINISHED and interview.finished_at == now + timedelta(seconds=3)
    assert all(i.state == ItemState.ANSWERED for i in interview.items.all())
    assert Attempt.objects.filter(user=candidate).count() == 3


def test_answer_and_next_with_a_review_card_inserted_meanwhile_counts_once_and_moves_the_card_on(
    candidate, three_questions
):
    interview = start(candidate)
    item = svc.current_item(interview=interview)
    make_attempt(user=candidate, question=item.question, score=90)  # e.g. a practice answer, just now
    # Both lookups of the card miss it, as if a concurrent first attempt had inserted it meanwhile:
    # the fast path's insert fails and rolls back, the path with savepoints moves that card on.
    with mock.patch.object(QuerySet, "first", return_value=None):
        answered = svc.item_answer_and_next(item=item, text=GOOD)
    assert answered.attempt.answer == GOOD
    item.refresh_from_db()
    assert item.attempt_id == answered.attempt.pk and item.state == ItemState.ANSWERED
    assert Attempt.objects.filter(user=candidate, question=item.question, answer=GOOD).count() == 1
    card = ReviewState.objects.get(user=candidate, question=item.question)
    assert card.reviews == 2 and card.card["attempt"] == answered.attempt.pk


def test_answer_and_next_brings_skipped_questions_back_last(candidate, three_questions):
    interview = start(candidate)
    first = svc.current_item(interview=interview)
    svc.item_skip(item=first)
    second = svc.current_item(interview=interview)
    third = svc.item_answer_and_next(item=second, text=GOOD).current
    assert third.position not in (first.position, second.position)
    again = svc.item_answer_and_next(item=third, text=GOOD).current
    assert again.position == first.position and again.state == ItemState.SKIPPED


def test_answer_and_next_leaves_the_time_up_to_the_usual_path(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, seconds=60, now=now)
    item = svc.current_item(interview=interview, now=now)
    answered = svc.item_answer_and_next(item=item, text=GOOD, now=now + timedelta(seconds=62))  # within GRACE
    assert not answered.moved_on and not answered.attempt.late
    item.refresh_from_db()
    assert item.attempt == answered.attempt
    interview.refresh_from_db()
    assert interview.current_position == item.position  # nothing else moved: the view finishes it


def test_answer_and_next_leaves_an_overdue_question_to_the_touch(candidate, three_questions):
    now = timezone.now()
    interview = start(candidate, timing=TimingMode.PER_QUESTION, seconds=60, now=now)
    first = svc.current_item(interview=interview, now=now)
    svc.item_skip(item=first)
    second = svc.current_item(interview=interview, now=now + timedelta(seconds=50))
    answered = svc.item_answer_and_next(item=second, text=GOOD, now=now + timedelta(seconds=70))
    assert not answered.moved_on
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.attempt == answered.attempt and first.state == ItemState.SKIPPED
    svc.interview_touch(interview=interview, now=now + timedelta(seconds=70))
    first.refresh_from_db()
    assert first.state == ItemState.UNANSWERED


def test_answer_and_next_after_a_finish_returns_the_counted_attempt(candidate, three_questions):
    interview = start(candidate)
    item = svc.current_item(interview=interview)
    svc.draft_save(item=item, text="a draft about relu")
    stale = type(item).objects.select_related("interview", "question").get(pk=item.pk)
    svc.interview_finish(interview=interview)
    answered = svc.item_answer_and_next(item=stale, text=GOOD)
    assert not answered.moved_on and answered.attempt.answer == "a draft about relu"
    assert stale.interview.status == InterviewStatus.FINISHED
    assert Attempt.objects.filter(user=candidate).count() == 3


def _same_order(interview, question_ids):
    """Put `interview`'s questions in the order `question_ids` (two steps: positions are unique)."""
    items = {i.question_id: i for i in interview.items.all()}
    for item in items.values():
        type(item).objects.filter(pk=item.pk).update(position=item.position + 100)
    for position, question_id in enumerate(question_ids):
        type(items[question_id]).objects.filter(pk=items[question_id].pk).update(position=position)


def _rows(user, interview):
    """What an interview's answers wrote, by question, without ids, users and row order."""
    interview.refresh_from_db()
    items = {
        i.question_id: (i.position, i.state, i.draft, i.shown_at, i.deadline, i.flagged, i.attempt_id is not None)
        for i in interview.items.all()
    }
    attempt_fields = ["question_id", "answer", "score", "band", "parts", "feedback", "scorer_version",
                      "time_taken_seconds", "mode", "late", "submission_key", "created"]  # fmt: skip
    attempts = sorted(Attempt.objects.filter(user=user).values_list(*attempt_fields), key=str)
    cards = {
        c.question_id: ({k: v for k, v in c.card.items() if k != "attempt"}, c.due, c.last_reviewed, c.last_score,
                        c.reviews, c.lapses)
        for c in ReviewState.objects.filter(user=user)
    }  # fmt: skip
    return (interview.status, interview.finished_at, interview.current_position), items, attempts, cards


@pytest.mark.parametrize("timing", [TimingMode.WHOLE, TimingMode.PER_QUESTION])
def test_the_answer_transaction_writes_what_the_orm_path_writes(candidate, stranger, three_questions, timing):
    """`item_answer_and_next` (interviews.statements) against `item_answer` then `current_item` (the
    ORM), step by step at the same clock: new review cards and a learned one that lapses, a skipped
    question that comes back last, an empty answer, and the finish."""
    t0 = timezone.now().replace(microsecond=0)
    fast, orm = start(candidate, timing=timing, now=t0), start(stranger, timing=timing, now=t0)
    _same_order(orm, [i.question_id for i in fast.items.order_by("position")])
    first_question = fast.items.get(position=0).question
    learned = scheduling.schedule(None, rating=scheduling.Rating.Easy, when=t0, card_id=first_question.pk)
    for user in (candidate, stranger):  # a card already learned: the empty answer below is a lapse
        ReviewState.objects.create(
            user=user, question=first_question, card={"fsrs": learned.card}, due=learned.due, reviews=1
        )
    for interview in (fast, orm):
        interview.refresh_from_db()
        svc.item_skip(item=svc.current_item(interview=interview, now=t0))
    texts = [GOOD, "Dropout zeroes random activations.", ""]
    for step, text in enumerate(texts, start=1):
        now = t0 + timedelta(seconds=7 * step)
        with mock.patch("django.utils.timezone.now", return_value=now):
            fast.refresh_from_db()
            item = selectors.item_for_user(
                user=candidate, interview_uuid=fast.uuid, position=svc.current_item(interview=fast, now=now).position
            )
            answered = svc.item_answer_and_next(item=item, text=text, now=now)
            assert answered.moved_on
            orm.refresh_from_db()
            item = selectors.item_for_user(
                user=stranger, interview_uuid=orm.uuid, position=svc.current_item(interview=orm, now=now).position
            )
            svc.item_answer(item=item, text=text, now=now)
            svc.current_item(interview=type(orm).objects.get(pk=orm.pk), now=now)
    fast_rows, orm_rows = _rows(candidate, fast), _rows(stranger, orm)
    assert fast_rows[0][0] == InterviewStatus.FINISHED and len(fast_rows[2]) == 3
    assert {card[4] for card in fast_rows[3].values()} == {1, 2}  # a card moved on, and new ones
    assert fast_rows[3][first_question.pk][5] == 1  # its lapse
    assert fast_rows == orm_rows


def test_a_submission_key_reused_for_another_question_is_not_taken_for_a_repeat(candidate, three_questions):
    interview = start(candidate)
    key = uuid.uuid4()
    first = svc.current_item(interview=interview)
    second = svc.item_answer_and_next(item=first, text=GOOD, submission_key=key).current
    attempt = svc.item_answer_and_next(item=second, text=GOOD + " again", submission_key=key).attempt
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == ItemState.ANSWERED and second.attempt == attempt
    assert attempt.question_id == second.question_id and attempt.answer == GOOD + " again"
    assert attempt.submission_key is None and first.attempt.submission_key == key
    assert Attempt.objects.filter(user=candidate).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_identical_concurrent_answers_move_on_once(candidate, three_questions):
    interview = start(candidate)
    item = svc.current_item(interview=interview)
    # Both loaded before either answers: both go for the lock (a later retry takes item_answer).
    results, errors = in_two_threads(
        lambda: type(item).objects.select_related("interview", "question").get(pk=item.pk),
        lambda loaded: svc.item_answer_and_next(item=loaded, text=GOOD),
    )
    assert errors == []
    assert len({r.attempt.pk for r in results}) == 1
    assert len({r.current.position for r in results}) == 1
    assert Attempt.objects.filter(user=candidate).count() == 1
    nxt = interview.items.get(position=results[0].current.position)
    assert nxt.shown_at is not None and nxt.state == ItemState.PENDING
