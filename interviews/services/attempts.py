"""Writes. Each function is keyword-only, typed, and runs in one transaction."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from interviews import bank
from interviews.models import Attempt, AttemptMode, Question
from interviews.scoring import ScoreResult
from interviews.services import reviews


def answer_score(*, question: Question, answer: str) -> ScoreResult:
    """Score an answer with the engine of the current bank version. Reads only: call it before
    taking any lock, so a refit or the scoring itself never holds the database's write lock."""
    engine, spec = bank.engine_and_spec(question)
    return engine.score(answer, spec)


def attempt_new(
    *,
    user: User,
    question: Question,
    answer: str,
    result: ScoreResult,
    time_taken_seconds: int | None = None,
    mode: str = AttemptMode.PRACTICE,
    late: bool = False,
    submission_key: uuid.UUID | str | None = None,
) -> Attempt:
    """The attempt as it is stored, not saved yet (`attempt_submit` saves it; so does the interview
    answer's transaction, through `interviews.statements`)."""
    return Attempt(
        user=user,
        question=question,
        answer=answer,
        score=result.score,
        band=result.band,
        parts=result.parts,
        feedback=result.explanation_dict(),
        scorer_version=result.version,
        time_taken_seconds=time_taken_seconds,
        mode=mode,
        late=late,
        submission_key=submission_key or None,
    )


def attempt_submit(
    *,
    user: User,
    question: Question,
    answer: str,
    time_taken_seconds: int | None = None,
    mode: str = AttemptMode.PRACTICE,
    late: bool = False,
    submission_key: uuid.UUID | str | None = None,
    result: ScoreResult | None = None,
    savepoint: bool = True,
) -> Attempt:
    """Score an answer (unless `result` already holds its score) and keep the attempt.

    With a `submission_key` (one per rendered answer form) a repeated submission — a double click,
    a retry after a dropped connection — returns the attempt already recorded instead of a second one:
    the unique (user, submission_key) constraint refuses the second row, whichever request comes
    second, so no read ahead of the insert is needed.

    `savepoint=False`, inside a transaction that already rules out a repeat (it holds the lock the
    repeat would wait for): no savepoint of its own, nor for the review card's insert, and a reused
    key or a card inserted meanwhile by a concurrent first attempt raises the IntegrityError, which
    rolls back the caller's whole transaction (the caller then takes the path with savepoints).
    """
    if result is None:
        result = answer_score(question=question, answer=answer)
    try:
        with transaction.atomic(savepoint=savepoint):
            attempt = attempt_new(
                user=user,
                question=question,
                answer=answer,
                result=result,
                time_taken_seconds=time_taken_seconds,
                mode=mode,
                late=late,
                submission_key=submission_key,
            )
            attempt.save(force_insert=True)
            reviews.review_record(user=user, attempt=attempt, savepoint=savepoint)
    except IntegrityError:
        if not submission_key or not savepoint:
            raise
        existing = Attempt.objects.get(user=user, submission_key=submission_key)
        if existing.question_id == question.pk:
            return existing
        # The key came with an answer to another question: not a repeat of this one. Keep this
        # answer, without the key, rather than hand back someone else's attempt.
        return attempt_submit(
            user=user,
            question=question,
            answer=answer,
            time_taken_seconds=time_taken_seconds,
            mode=mode,
            late=late,
            result=result,
        )
    return attempt


class NothingToContest(Exception):
    """An unanswered question (a blank answer) scores 0 by rule: there is no wording to judge."""


def attempt_contest(*, attempt: Attempt, note: str = "") -> Attempt:
    """Record "I think I was right". The score stays as it was; curators review contests.

    A blank answer (an interview question left unanswered) raises NothingToContest: contesting it
    would re-rate its review card upwards and send curators an empty wording."""
    if not attempt.answer.strip():
        raise NothingToContest("No answer was given, so there is nothing for a curator to review.")
    if attempt.contested_at is None:
        attempt.contested_at = timezone.now()
        attempt.contest_note = note.strip()[:500]
        attempt.save(update_fields=["contested_at", "contest_note"])
        reviews.review_rerate(attempt=attempt)
    return attempt
