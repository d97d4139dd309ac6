"""Writes to the spaced-repetition schedule. Called inside the transaction that records an attempt.

A ReviewState's `card` JSON holds:
    fsrs        the fsrs card after the last attempt (Card.to_dict())
    before      the card before the last attempt, so an override of that attempt can re-rate it
    attempt     the id of the last attempt that moved the card
    rating      the rating that attempt was given (1 again .. 4 easy)
    lapsed      whether that attempt counted as a lapse
    mastery     the recency-weighted score of the question (see scheduling.mastery_after)
    introduced  when the question first entered the schedule (ISO 8601, UTC)
"""

from __future__ import annotations

from datetime import UTC

from django.db import IntegrityError, transaction

from accounts.models import User
from interviews import scheduling
from interviews.models import Attempt, ReviewState


def next_review_data(data: dict, *, attempt: Attempt) -> tuple[dict, scheduling.Scheduled]:
    """The card JSON after `attempt` (pure: no database), and the schedule it gives."""
    when = attempt.created
    rating = scheduling.rating_for(attempt.score, overridden=attempt.contested_at is not None)
    scheduled = scheduling.schedule(data.get("fsrs"), rating=rating, when=when, card_id=attempt.question_id)
    card = {
        "fsrs": scheduled.card,
        "before": data.get("fsrs"),
        "attempt": attempt.pk,
        "rating": int(rating),
        "lapsed": scheduled.lapsed,
        "mastery": round(scheduling.mastery_after(data.get("mastery"), attempt.score), 2),
        "introduced": data.get("introduced") or when.astimezone(UTC).isoformat(),
    }
    return card, scheduled


def review_record(*, user: User, attempt: Attempt, savepoint: bool = True) -> ReviewState:
    """Move the question's card by the attempt's score; the first attempt puts it in the schedule.

    A concurrent first attempt at the same question may insert the card between the lookup and the
    insert. With `savepoint` the insert has a savepoint of its own and this attempt then moves that
    card on; without it (a caller that retries its whole transaction, see `attempt_submit`) the
    IntegrityError rolls back the caller's transaction, which saves two statements per first attempt.
    """
    # No savepoint of its own when nested: an error here rolls back the caller's whole transaction.
    with transaction.atomic(savepoint=False):
        mine = ReviewState.objects.select_for_update().filter(user=user, question_id=attempt.question_id)
        state = mine.first()
        if state is None:  # the first attempt at this question: the card is inserted as it ends up
            state = ReviewState(user=user, question_id=attempt.question_id, card={})
            review_advance(state, attempt=attempt)
            if not savepoint:
                state.save(force_insert=True)
                return state
            try:
                with transaction.atomic():  # a savepoint: a concurrent first attempt may win the insert
                    state.save(force_insert=True)
                return state
            except IntegrityError:
                state = mine.get()  # that one's card, locked: this attempt moves it on
        review_advance(state, attempt=attempt)
        state.save(update_fields=["card", "due", "last_reviewed", "last_score", "reviews", "lapses"])
    return state


def review_advance(state: ReviewState, *, attempt: Attempt) -> None:
    """Move `state` (not saved) by `attempt`: `review_record` saves it; so does the interview
    answer's transaction, through `interviews.statements`."""
    state.card, scheduled = next_review_data(state.card or {}, attempt=attempt)
    state.due = scheduled.due
    state.last_reviewed = attempt.created
    state.last_score = attempt.score
    state.reviews += 1
    state.lapses += int(scheduled.lapsed)


def review_rerate(*, attempt: Attempt) -> ReviewState | None:
    """Take an override ("I was right") into account: re-rate the card one step higher.

    Only the attempt that last moved the card can be re-rated (later attempts already rescheduled it
    from their own score); for an older attempt the override stays recorded for the curators only.
    """
    with transaction.atomic():
        state = (
            ReviewState.objects.select_for_update()
            .filter(user_id=attempt.user_id, question_id=attempt.question_id)
            .first()
        )
        if state is None or state.card.get("attempt") != attempt.pk:
            return state
        data = state.card
        rating = scheduling.rating_for(attempt.score, overridden=True)
        if int(rating) <= data.get("rating", 0):
            return state
        when = state.last_reviewed or attempt.created
        scheduled = scheduling.schedule(data.get("before"), rating=rating, when=when, card_id=attempt.question_id)
        state.lapses = state.lapses - int(data.get("lapsed", False)) + int(scheduled.lapsed)
        state.card = {**data, "fsrs": scheduled.card, "rating": int(rating), "lapsed": scheduled.lapsed}
        state.due = scheduled.due
        state.save(update_fields=["card", "due", "lapses"])
    return state
