"""Reads of a user's attempts. Every function takes the user explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Max, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from interviews.models import Attempt


def attempts_for_user(*, user: User) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user).select_related("question", "question__topic")


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
