"""Reads of a user's attempts. Every function takes the user explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from interviews.models import Attempt, Question


def attempts_for_user(*, user: User) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user).select_related("question", "question__topic")


def attempt_history(
    *,
    user: User,
    topic: str = "",
    mode: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    min_score: int | None = None,
    max_score: int | None = None,
) -> QuerySet[Attempt]:
    """My attempts, newest first, narrowed by topic, mode, day range (inclusive) and score range."""
    attempts = attempts_for_user(user=user).defer("answer", "parts", "feedback")
    if topic:
        # A subquery, not a join: the database counts through the (user, question) index.
        attempts = attempts.filter(question_id__in=Question.objects.filter(topic__slug=topic).values("pk"))
    if mode:
        attempts = attempts.filter(mode=mode)
    tz = timezone.get_current_timezone()
    if date_from:
        attempts = attempts.filter(created__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        attempts = attempts.filter(created__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    if min_score is not None:
        attempts = attempts.filter(score__gte=min_score)
    if max_score is not None:
        attempts = attempts.filter(score__lte=max_score)
    return attempts


def attempts_at_question(*, user: User, question_id: int, limit: int = 50) -> list[Attempt]:
    """My latest attempts at one question, oldest first (for its score over time)."""
    attempts = (
        Attempt.objects.filter(user=user, question_id=question_id)
        .only("pk", "score", "band", "mode", "created", "contested_at", "question_id")
        .order_by("-created", "-id")[:limit]
    )
    return list(reversed(attempts))


def attempt_for_user(*, user: User, pk: int) -> Attempt:
    """Someone else's attempt is a 404, never a 403: it doesn't exist for this user."""
    return get_object_or_404(attempts_for_user(user=user), pk=pk)


@dataclass(frozen=True)
class AttemptSummary:
    count: int
    average: float | None
    best: int | None
    questions: int


def attempt_summary(*, user: User) -> AttemptSummary:
    agg = Attempt.objects.filter(user=user).aggregate(
        count=Count("id"), average=Avg("score"), best=Max("score"), questions=Count("question", distinct=True)
    )
    return AttemptSummary(**agg)
