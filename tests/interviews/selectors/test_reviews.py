from datetime import timedelta

import pytest

from interviews.models import ReviewState
from interviews.selectors.reviews import review_queue
from tests.conftest import make_question
from tests.factories import make_attempt, now

pytestmark = pytest.mark.django_db


def _overdue(user, question, score, *, days_ago=10, mode="practice"):
    make_attempt(user=user, question=question, score=score, created=now() - timedelta(days=days_ago), mode=mode)
    ReviewState.objects.filter(user=user, question=question).update(due=now() - timedelta(days=1))


def _bank(topic, n, prefix="q"):
    return [make_question(slug=f"{prefix}-{i}", topic=topic, prompt=f"Question {i}?", references=["An answer."])
            for i in range(n)]


def test_due_questions_come_weakest_first(candidate, topic):
    questions = _bank(topic, 3)
    for q, score in zip(questions, [80, 20, 50], strict=True):
        _overdue(candidate, q, score)
    queue = review_queue(user=candidate, new_cap=0)
    assert [item.state.last_score for item in queue.items] == [20, 50, 80]
    assert queue.due_total == 3


def test_questions_not_yet_due_are_not_served(candidate, question):
    make_attempt(user=candidate, question=question, score=95)
    assert review_queue(user=candidate, new_cap=0).items == []


def test_the_daily_cap_holds_after_a_break(candidate, topic):
    questions = _bank(topic, 8)
    for q in questions:
        _overdue(candidate, q, 30)
    assert len(review_queue(user=candidate, cap=5, new_cap=0).items) == 5
    for q in questions[:3]:  # three reviews answered today
        make_attempt(user=candidate, question=q, score=40, mode="review")
    queue = review_queue(user=candidate, cap=5, new_cap=0)
    assert queue.done_today == 3
    assert len(queue.items) == 2
    for q in questions[3:5]:
        make_attempt(user=candidate, question=q, score=40, mode="review")
    queue = review_queue(user=candidate, cap=5, new_cap=0)
    assert queue.items == [] and queue.capped
    assert queue.due_total > 0  # still due, just not today


def test_new_questions_are_introduced_a_few_a_day(candidate, topic):
    _bank(topic, 6)
    queue = review_queue(user=candidate, new_cap=2)
    assert len(queue.items) == 2 and all(item.is_new for item in queue.items)
    first = queue.items[0].question
    make_attempt(user=candidate, question=first, score=90, mode="review")
    queue = review_queue(user=candidate, new_cap=2)
    assert queue.new_today == 1
    assert len(queue.items) == 1 and queue.items[0].question != first


def test_due_questions_come_before_new_ones(candidate, topic):
    old, *_ = _bank(topic, 3)
    _overdue(candidate, old, 70, days_ago=30)
    card = {**ReviewState.objects.get().card, "introduced": "2000-01-01"}
    ReviewState.objects.filter(user=candidate).update(card=card)
    queue = review_queue(user=candidate, new_cap=5)
    assert queue.items[0].question == old and not queue.items[0].is_new
    assert all(item.is_new for item in queue.items[1:])


def test_the_queue_can_be_limited_to_a_topic(candidate, question, other_question):
    _overdue(candidate, question, 30)
    _overdue(candidate, other_question, 10)
    queue = review_queue(user=candidate, topic=question.topic.slug, new_cap=0)
    assert [item.question for item in queue.items] == [question]


def test_another_users_schedule_is_not_in_my_queue(candidate, stranger, question):
    _overdue(stranger, question, 10)
    queue = review_queue(user=candidate, new_cap=0)
    assert queue.items == [] and queue.due_total == 0
