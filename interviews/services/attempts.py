"""Writes. Each function is keyword-only, typed, and runs in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews import bank
from interviews.models import Attempt, Question


def attempt_submit(
    *, user: User, question: Question, answer: str, time_taken_seconds: int | None = None
) -> Attempt:
    """Score an answer with the engine of the current bank version and keep the attempt."""
    engine = bank.get_engine()
    result = engine.score(answer, bank.question_spec(question))
    with transaction.atomic():
        return Attempt.objects.create(
            user=user,
            question=question,
            answer=answer,
            score=result.score,
            band=result.band,
            parts=result.parts,
            feedback=result.explanation_dict(),
            scorer_version=result.version,
            time_taken_seconds=time_taken_seconds,
        )


def attempt_contest(*, attempt: Attempt, note: str = "") -> Attempt:
    """Record "I think I was right". The score stays as it was; curators review contests."""
    if attempt.contested_at is None:
        attempt.contested_at = timezone.now()
        attempt.contest_note = note.strip()[:500]
        attempt.save(update_fields=["contested_at", "contest_note"])
    return attempt
