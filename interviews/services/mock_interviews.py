"""Timed mock interviews: start, show, autosave, answer, skip, flag, finish.

The clock lives on the server. A whole-interview limit is `Interview.deadline`; a per-question limit
is `InterviewItem.deadline`, set when the question is first shown. Every request "touches" the
interview first: whatever ran out of time is finished there, so reloading, a second tab or a changed
computer clock never buys time. Submissions within GRACE of a deadline count as on time (network).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from interviews import bank, statements
from interviews.models import (
    Attempt,
    AttemptMode,
    Interview,
    InterviewItem,
    InterviewMode,
    InterviewStatus,
    ItemState,
    Question,
    ReviewState,
    TimingMode,
    Topic,
)
from interviews.scoring import ScoreResult
from interviews.services import attempts as attempt_services
from interviews.services import reviews as review_services

GRACE = timedelta(seconds=5)
OPEN_STATES = (ItemState.PENDING, ItemState.SKIPPED)


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    description: str
    count: int
    timing: str
    time_limit_seconds: int
    mode: str


PRESETS = (
    Preset("warm-up", "15-minute warm-up", "5 questions, 15 minutes in all, feedback after each answer.",
           5, TimingMode.WHOLE, 15 * 60, InterviewMode.PRACTICE),
    Preset("full-mock", "45-minute full mock", "12 questions, 45 minutes in all, feedback at the end.",
           12, TimingMode.WHOLE, 45 * 60, InterviewMode.INTERVIEW),
    Preset("rapid-fire", "Rapid fire", "8 questions, 2 minutes each, feedback at the end.",
           8, TimingMode.PER_QUESTION, 120, InterviewMode.INTERVIEW),
)


class NotEnoughQuestions(Exception):
    pass


class ItemClosed(Exception):
    """The question was already answered or its time is up; nothing was written."""


def interview_start(
    *,
    user: User,
    count: int,
    timing: str,
    time_limit_seconds: int,
    mode: str,
    topics: list[Topic] | None = None,
    difficulty: str = "",
    title: str = "",
    now: datetime | None = None,
) -> Interview:
    """Pick `count` published questions (unseen ones first, then the rest at random) and start the clock."""
    now = now or timezone.now()
    questions = Question.objects.published()
    if topics:
        questions = questions.filter(topic__in=topics)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    ids = list(questions.values_list("id", flat=True))
    if not ids:
        raise NotEnoughQuestions("No published question matches these choices; pick other topics or difficulty.")
    seen = set(Attempt.objects.filter(user=user, question_id__in=ids).values_list("question_id", flat=True))
    rng = random.SystemRandom()
    unseen = [i for i in ids if i not in seen]
    rest = [i for i in ids if i in seen]
    rng.shuffle(unseen)
    rng.shuffle(rest)
    chosen = (unseen + rest)[:count]
    with transaction.atomic():
        interview = Interview.objects.create(
            user=user,
            title=title or f"Mock interview of {len(chosen)} question{'s' if len(chosen) != 1 else ''}",
            mode=mode,
            timing=timing,
            time_limit_seconds=time_limit_seconds,
            difficulty=difficulty,
            deadline=now + timedelta(seconds=time_limit_seconds) if timing == TimingMode.WHOLE else None,
        )
        Interview.objects.filter(pk=interview.pk).update(started_at=now)
        interview.started_at = now
        if topics:
            interview.topics.set(topics)
        InterviewItem.objects.bulk_create(
            InterviewItem(interview=interview, question_id=qid, position=i) for i, qid in enumerate(chosen)
        )
    return interview


def remaining_seconds(interview: Interview, item: InterviewItem | None, now: datetime | None = None) -> int | None:
    """Seconds left on the clock that applies to this item (None when the interview is over)."""
    now = now or timezone.now()
    deadline = interview.deadline if interview.timing == TimingMode.WHOLE else (item.deadline if item else None)
    if interview.status != InterviewStatus.IN_PROGRESS or deadline is None:
        return None
    return max(0, int((deadline - now).total_seconds()))


def _expired(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now > deadline + GRACE


def interview_touch(*, interview: Interview, now: datetime | None = None) -> Interview:
    """Finish whatever ran out of time; call before every read or write of an interview."""
    now = now or timezone.now()
    if interview.status != InterviewStatus.IN_PROGRESS:
        return interview
    if interview.timing == TimingMode.WHOLE:
        if _expired(interview.deadline, now):
            interview_finish(interview=interview, now=now)
        return interview
    overdue = [
        item
        for item in interview.items.filter(state__in=OPEN_STATES, deadline__isnull=False)
        if _expired(item.deadline, now)
    ]
    for item in overdue:
        _close_open_item(item.pk, now=now)
    if overdue and not interview.items.filter(state__in=OPEN_STATES).exists():
        interview_finish(interview=interview, now=now)
    return interview


def current_item(
    *, interview: Interview, now: datetime | None = None, items: list[InterviewItem] | None = None
) -> InterviewItem | None:
    """The question to show now, starting its per-question clock if it hasn't started.

    `items`: the interview's items if the caller has them loaded already (saves a query).
    """
    if interview.status != InterviewStatus.IN_PROGRESS:
        return None
    if items is None:
        items = list(interview.items.select_related("question", "question__topic"))
    item = _choose_current(interview, items)
    if item is None:
        return None
    if item.position != interview.current_position:
        interview.current_position = item.position
        interview.save(update_fields=["current_position"])
    return item_show(item=item, now=now)


def _choose_current(interview: Interview, items: list[InterviewItem]) -> InterviewItem | None:
    """The question the interview is on, or the next open one when that one is closed."""
    cache_interview = InterviewItem.interview.field.set_cached_value  # each item's interview_id names it
    for it in items:
        cache_interview(it, interview)  # already loaded: no query per item for its interview
    item = next((it for it in items if it.position == interview.current_position), None)
    if item is None or item.state not in OPEN_STATES:
        item = _next_open(items, after=interview.current_position)
    return item


def _next_open(items: list[InterviewItem], *, after: int) -> InterviewItem | None:
    """The next pending question after `after`, then any skipped one (wrapping around)."""
    ordered = sorted(items, key=lambda i: (i.position <= after, i.position))
    for state in (ItemState.PENDING, ItemState.SKIPPED):
        for item in ordered:
            if item.state == state:
                return item
    return None


def item_show(*, item: InterviewItem, now: datetime | None = None) -> InterviewItem:
    fields = _start_clock(item, now or timezone.now())
    if fields:
        item.save(update_fields=fields)
    return item


def _start_clock(item: InterviewItem, now: datetime) -> list[str]:
    """Mark the question shown (and start its own clock under per-question timing) the first time;
    the fields changed, to be saved."""
    if item.shown_at is not None:
        return []
    item.shown_at = now
    if item.interview.timing == TimingMode.PER_QUESTION:
        item.deadline = now + timedelta(seconds=item.interview.time_limit_seconds)
        return ["shown_at", "deadline"]
    return ["shown_at"]


def item_goto(*, interview: Interview, position: int) -> None:
    item = interview.items.filter(position=position, state__in=OPEN_STATES).first()
    if item is not None and interview.status == InterviewStatus.IN_PROGRESS:
        interview.current_position = position
        interview.save(update_fields=["current_position"])


def _item_deadline(item: InterviewItem) -> datetime | None:
    return item.interview.deadline if item.interview.timing == TimingMode.WHOLE else item.deadline


def draft_save(*, item: InterviewItem, text: str, now: datetime | None = None) -> bool:
    """Keep the text typed so far. Refused (False) once the question is closed or its time is up."""
    now = now or timezone.now()
    if item.state not in OPEN_STATES or _expired(_item_deadline(item), now):
        return False
    if item.interview.status != InterviewStatus.IN_PROGRESS:
        return False
    updated = InterviewItem.objects.filter(pk=item.pk, state__in=OPEN_STATES).update(
        draft=text, draft_saved_at=now
    )
    item.draft, item.draft_saved_at = text, now
    return bool(updated)


def item_answer(
    *, item: InterviewItem, text: str, now: datetime | None = None, submission_key: uuid.UUID | None = None
) -> Attempt:
    """Submit the answer to one question. Exactly one attempt is ever counted per question.

    A repeat (double click, retry) returns the attempt already counted. After the deadline (beyond
    GRACE) the question is closed with the draft saved in time, and the late text is kept as a
    separate late attempt that the interview doesn't count.
    """
    now = now or timezone.now()
    interview = item.interview
    if _expired(_item_deadline(item), now):
        interview_touch(interview=interview, now=now)
        item.refresh_from_db()
        return _late_attempt(item, text=text, now=now, counted=item.attempt, submission_key=submission_key)
    attempt = _close_open_item(item.pk, now=now, answer=text, submission_key=submission_key, loaded=item)
    _after_item_closed(interview, item, now)
    return attempt


@dataclass
class Answered:
    """An answer, and where the interview went after it (see `item_answer_and_next`)."""

    attempt: Attempt
    moved_on: bool = False  # False: nothing moved on; the caller shows the stage as usual
    items: list[InterviewItem] | None = None  # after the answer; only `current` has its question loaded
    current: InterviewItem | None = None  # the question now shown; None once the interview is finished


def item_answer_and_next(
    *, item: InterviewItem, text: str, now: datetime | None = None, submission_key: uuid.UUID | None = None
) -> Answered:
    """`item_answer`, and in the same transaction move on: the next open question becomes current
    and is shown, or the interview finishes when no question is left open.

    The items are loaded once, under the lock, and handed back for the next stage (the current one
    with its question, from `bank.question`; the others without: the navigation shows only states).
    The Interview row is locked first, then its items: the order of `interview_finish`, so the two never deadlock.
    A duplicate submission waits for the first one and finds its attempt. Anything out of the
    ordinary (a late answer, the time up, a question closed or an interview finished meanwhile, a
    reused submission key) takes the plain `item_answer` and returns with `moved_on` False.
    """
    now = now or timezone.now()
    if item.attempt_id is not None or _expired(_item_deadline(item), now):
        return Answered(attempt=item_answer(item=item, text=text, now=now, submission_key=submission_key))
    result = attempt_services.answer_score(question=item.question, answer=text)
    try:
        with transaction.atomic():
            answered = _answer_and_next(item, text=text, now=now, result=result, submission_key=submission_key)
    except IntegrityError:  # a reused submission key, or a review card inserted meanwhile: all rolled back
        item.interview.refresh_from_db()  # and so are the decisions it had made on the interview
        answered = None
    if answered is None:
        return Answered(attempt=item_answer(item=item, text=text, now=now, submission_key=submission_key))
    if answered.current is not None:
        answered.current.question = bank.question(answered.current.question_id)
    return answered


# What the answer's transaction reads of the interview (`interviews.statements`); of its items and
# of the review card, every field.
_LOCKED_INTERVIEW = ("id", "status", "current_position")


def _answer_and_next(
    item: InterviewItem, *, text: str, now: datetime, result: ScoreResult, submission_key: uuid.UUID | None
) -> Answered | None:
    """The locked part of `item_answer_and_next`; None: the interview is over, nothing was written.

    The busiest write of the site, so its statements go through `interviews.statements` (SQL built
    once per process) rather than the ORM, in two batches: the locks and reads, then the writes
    with the COMMIT (on PostgreSQL one round trip each, after BEGIN's). Every decision is the ORM path's
    own (`_choose_current`, `_start_clock`, `_close`, `attempt_new`, `review_advance`), and tests
    check that both paths write the same rows. The items come back without their questions; the
    one shown next gets its question in `item_answer_and_next`.
    """
    interview = item.interview
    with statements.batch() as reads:  # the interview first, then its items: `interview_finish`'s order
        locked = reads.select(Interview, _LOCKED_INTERVIEW, where={"id": interview.pk}, lock=True)
        loaded = reads.select(InterviewItem, None, where={"interview": interview.pk}, order_by="position", lock=True)
        where = {"user": interview.user.pk, "question": item.question_id}
        card = reads.select(ReviewState, None, where=where, lock=True)
        attempt_id = reads.reserve_id(Attempt)  # for the item's row, written in the same batch as the attempt
    if locked.result[0].status != InterviewStatus.IN_PROGRESS:
        return None
    interview.current_position = locked.result[0].current_position
    items = loaded.result
    target = next(it for it in items if it.pk == item.pk)
    attempt = None
    if target.attempt_id is not None:
        attempt = target.attempt  # the duplicate of a submission counted meanwhile (one more read)
    elif target.state not in OPEN_STATES:
        raise ItemClosed("This question is already closed.")
    # A failing write (a reused submission key, a card inserted meanwhile) raises when the batch
    # ends, after the decisions below: `item_answer_and_next` reloads the interview they changed.
    current = None
    with statements.batch(commit=True) as writes:  # the COMMIT too: nothing follows in the transaction
        if attempt is None:
            attempt = attempt_services.attempt_new(
                user=interview.user,
                question=item.question,
                answer=text,
                result=result,
                time_taken_seconds=_seconds_since(target.shown_at, now),
                mode=AttemptMode.INTERVIEW,
                submission_key=submission_key,
            )
            attempt.pk = attempt_id.result
            writes.insert(attempt)
            _review_card_advance(writes, card.result, interview.user, attempt)
            writes.update(target, _close(target, attempt=attempt, answer=text))
        # Time up somewhere: the caller settles it as usual.
        time_up = remaining_seconds(interview, None, now) == 0 or any(
            it.state in OPEN_STATES and _expired(it.deadline, now) for it in items
        )
        if not time_up:
            current = _choose_current(interview, items)
            if current is None:
                writes.update(interview, _finish(interview, now=now))
            else:
                if current.position != interview.current_position:
                    interview.current_position = current.position
                    writes.update(interview, ["current_position"])
                if fields := _start_clock(current, now):
                    writes.update(current, fields)
    item.attempt, item.state, item.draft = attempt, target.state, target.draft
    return Answered(attempt=attempt, moved_on=not time_up, items=None if time_up else items, current=current)


def _review_card_advance(writes: statements.Batch, found: list[ReviewState], user: User, attempt: Attempt) -> None:
    """`reviews.review_record` without savepoints, on the card read (and locked) beforehand: a card
    inserted meanwhile by a concurrent first attempt raises the IntegrityError that sends the
    answer to the ORM path."""
    state = found[0] if found else ReviewState(user=user, question_id=attempt.question_id, card={})
    review_services.review_advance(state, attempt=attempt)
    if found:
        writes.update(state, ["card", "due", "last_reviewed", "last_score", "reviews", "lapses"])
    else:
        writes.insert(state)


def _late_attempt(
    item: InterviewItem, *, text: str, now: datetime, counted: Attempt | None, submission_key: uuid.UUID | None
) -> Attempt:
    if counted is not None and counted.answer == text:
        return counted  # the retry of what was already counted in time
    # Kept, but never counted; its submission key keeps a retried late submission to one attempt.
    return _submit(item, answer=text, now=now, late=True, submission_key=submission_key)


def _submit(
    item: InterviewItem,
    *,
    answer: str,
    now: datetime,
    late: bool = False,
    result: ScoreResult | None = None,
    submission_key: uuid.UUID | None = None,
    savepoint: bool = True,
) -> Attempt:
    return attempt_services.attempt_submit(
        user=item.interview.user,
        question=item.question,
        answer=answer,
        time_taken_seconds=_seconds_since(item.shown_at, now),
        mode=AttemptMode.INTERVIEW,
        late=late,
        result=result,
        submission_key=submission_key,
        savepoint=savepoint,
    )


def _seconds_since(start: datetime | None, now: datetime) -> int | None:
    return None if start is None else max(0, int((now - start).total_seconds()))


def _close_open_item(
    item_pk: int,
    *,
    now: datetime,
    answer: str | None = None,
    submission_key: uuid.UUID | None = None,
    loaded: InterviewItem | None = None,
) -> Attempt:
    """Close one question with `answer` (default: its saved draft), exactly once.

    The answer is scored first, without any lock. Then the row lock (PostgreSQL) or the write lock
    (SQLite, IMMEDIATE transactions) makes two identical submissions serialise; the second one finds
    the first one's attempt and returns it.

    `loaded`: the item as the caller already has it (with its question and interview); it is read
    instead of the database before the lock, and brought up to date with the closed row after it.
    """
    item = loaded or InterviewItem.objects.select_related("question", "interview__user").get(pk=item_pk)
    if item.attempt_id is not None:
        return item.attempt
    text = item.draft if answer is None else answer
    result = attempt_services.answer_score(question=item.question, answer=text)
    with transaction.atomic():
        locked = InterviewItem.objects.select_for_update().get(pk=item_pk)
        if locked.attempt_id is None:
            if locked.state not in OPEN_STATES:
                raise ItemClosed("This question is already closed.")
            if answer is None and locked.draft != text:  # the draft changed while we scored it
                text = locked.draft
                result = None
            locked.question, locked.interview = item.question, item.interview
            _close_item(locked, now=now, answer=text, result=result, submission_key=submission_key)
    if loaded is not None:
        loaded.attempt, loaded.state, loaded.draft = locked.attempt, locked.state, locked.draft
    return locked.attempt


def _close_item(
    item: InterviewItem,
    *,
    now: datetime,
    answer: str,
    result: ScoreResult | None = None,
    submission_key: uuid.UUID | None = None,
    savepoint: bool = True,
) -> Attempt:
    """Record the scored answer (an empty one scores 0 as unanswered) and close the question."""
    attempt = _submit(item, answer=answer, now=now, result=result, submission_key=submission_key, savepoint=savepoint)
    item.save(update_fields=_close(item, attempt=attempt, answer=answer))
    return attempt


def _close(item: InterviewItem, *, attempt: Attempt, answer: str) -> list[str]:
    """Close the question with its attempt (not saved); the fields to save."""
    item.attempt = attempt
    item.state = ItemState.ANSWERED if answer.strip() else ItemState.UNANSWERED
    if answer and not item.draft:
        item.draft = answer
    return ["attempt", "state", "draft"]


def _after_item_closed(interview: Interview, item: InterviewItem, now: datetime) -> None:
    if not interview.items.filter(state__in=OPEN_STATES).exists():
        interview_finish(interview=interview, now=now)


def item_skip(*, item: InterviewItem) -> None:
    """Leave the question for later; the next open question becomes current."""
    if item.state == ItemState.PENDING:
        item.state = ItemState.SKIPPED
        item.save(update_fields=["state"])
    interview = item.interview
    nxt = _next_open(list(interview.items.exclude(pk=item.pk)), after=item.position)
    if nxt is not None:
        interview.current_position = nxt.position
        interview.save(update_fields=["current_position"])


def item_toggle_flag(*, item: InterviewItem) -> bool:
    item.flagged = not item.flagged
    item.save(update_fields=["flagged"])
    return item.flagged


def interview_finish(*, interview: Interview, now: datetime | None = None) -> Interview:
    """Close every open question (a saved draft is submitted, none scores 0 as unanswered)."""
    now = now or timezone.now()
    bank.get_engine()  # a refit (if the bank changed) happens before the lock, not under it
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.status == InterviewStatus.FINISHED:
            interview.refresh_from_db()
            return interview
        for item_pk in locked.items.filter(state__in=OPEN_STATES).values_list("pk", flat=True):
            _close_open_item(item_pk, now=now)
        _mark_finished(locked, now=now)
    interview.refresh_from_db()
    return interview


def _mark_finished(interview: Interview, *, now: datetime) -> None:
    """The last step of finishing, once no question is open; the caller holds the interview's lock."""
    interview.save(update_fields=_finish(interview, now=now))


def _finish(interview: Interview, *, now: datetime) -> list[str]:
    interview.status = InterviewStatus.FINISHED
    interview.finished_at = now
    return ["status", "finished_at"]
