"""The review queue: what to practise now, by the spaced-repetition schedule.

Due questions come first, weakest first (lowest last score, then most lapses, then longest overdue).
A backlog after a break stays manageable: at most DAILY_REVIEW_CAP review answers a day. Questions
never seen before fill the rest of the day's cap, at most DAILY_NEW_CAP a day, so they come in gradually.
Every query here is bounded by the number of questions, never by the number of attempts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from interviews.models import Attempt, AttemptMode, Question, ReviewState

DAILY_REVIEW_CAP = 20
DAILY_NEW_CAP = 5


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    state: ReviewState | None  # None: a question never seen before

    @property
    def is_new(self) -> bool:
        return self.state is None


@dataclass(frozen=True)
class ReviewQueue:
    items: list[ReviewItem] = field(default_factory=list)
    due_total: int = 0  # due now, before the daily cap
    done_today: int = 0  # review answers given today
    new_today: int = 0  # questions that entered the schedule today
    cap: int = DAILY_REVIEW_CAP
    new_cap: int = DAILY_NEW_CAP

    @property
    def next(self) -> ReviewItem | None:
        return self.items[0] if self.items else None

    @property
    def left_today(self) -> int:
        return max(0, self.cap - self.done_today)

    @property
    def capped(self) -> bool:
        return self.left_today == 0


def start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s day in the site's time zone: the daily caps reset then."""
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def _due_states(*, user: User, topic: str, now: datetime) -> QuerySet[ReviewState]:
    states = ReviewState.objects.filter(user=user, due__lte=now, question__status="published")
    if topic:
        states = states.filter(question__topic__slug=topic)
    return states


def review_queue(
    *,
    user: User,
    topic: str = "",
    now: datetime | None = None,
    size: int = 10,
    cap: int = DAILY_REVIEW_CAP,
    new_cap: int = DAILY_NEW_CAP,
) -> ReviewQueue:
    """Up to `size` questions to review now, within what is left of today's caps."""
    now = now or timezone.now()
    day = start_of_day(now)
    done_today = Attempt.objects.filter(user=user, mode=AttemptMode.REVIEW, created__gte=day).count()
    new_today = ReviewState.objects.filter(
        user=user, card__introduced__gte=day.astimezone(UTC).isoformat()
    ).count()
    due = _due_states(user=user, topic=topic, now=now)
    due_total = due.count()
    room = min(size, max(0, cap - done_today))
    items = [
        ReviewItem(question=state.question, state=state)
        for state in due.select_related("question", "question__topic").order_by("last_score", "-lapses", "due")[
            :room
        ]
    ]
    new_room = max(0, min(room - len(items), new_cap - new_today))
    # Always asked (bounded by new_cap), so the page makes the same queries whatever the backlog.
    new = Question.objects.published().exclude(pk__in=ReviewState.objects.filter(user=user).values("question_id"))
    if topic:
        new = new.filter(topic__slug=topic)
    items += [ReviewItem(question=q, state=None) for q in list(new.select_related("topic")[: max(1, new_cap)])][
        :new_room
    ]
    return ReviewQueue(
        items=items, due_total=due_total, done_today=done_today, new_today=new_today, cap=cap, new_cap=new_cap
    )
