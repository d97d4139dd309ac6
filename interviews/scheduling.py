"""The fsrs wrapper: an attempt's score becomes a rating, the rating moves the question's card.

Scheduling needs no self-rating: the score already says how well the answer went. The rating is the
score's band, one step up when the user said "I was right" (an override counts as the higher rating):

    score  0-44  -> Again  (weak / off-topic: bring it back soon)
    score 45-69  -> Hard   (partial)
    score 70-84  -> Good
    score 85-100 -> Easy   (strong)

The card is kept as JSON (fsrs' own `Card.to_dict()`), so this module is pure: dicts and datetimes in,
dicts and datetimes out, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

HARD_FROM = 45
GOOD_FROM = 70
EASY_FROM = 85

# Interview answers are paragraphs, not flashcards: a missed question comes back later the same
# day, not in one minute. No fuzzing, so the same history always gives the same schedule.
SCHEDULER = Scheduler(
    desired_retention=0.9,
    learning_steps=(timedelta(minutes=30), timedelta(hours=8)),
    relearning_steps=(timedelta(hours=1),),
    maximum_interval=365,
    enable_fuzzing=False,
)

WEAK_BELOW = 60  # a topic's mastery, or a question's last score, under this is a weak spot
# How much the newest score weighs in a question's mastery (an exponential moving average):
# with 0.5 the last attempt counts for half, the one before for a quarter, and so on.
MASTERY_WEIGHT = 0.5


def rating_for(score: int, *, overridden: bool = False) -> Rating:
    """The fsrs rating of a score; an override ("I was right") moves it one step up."""
    if score >= EASY_FROM:
        rating = Rating.Easy
    elif score >= GOOD_FROM:
        rating = Rating.Good
    elif score >= HARD_FROM:
        rating = Rating.Hard
    else:
        rating = Rating.Again
    if overridden and rating != Rating.Easy:
        rating = Rating(rating + 1)
    return rating


@dataclass(frozen=True)
class Scheduled:
    card: dict  # fsrs Card.to_dict()
    due: datetime
    rating: Rating
    lapsed: bool  # a question that was learned (Review state) and now forgotten (Again)


def schedule(card: dict | None, *, rating: Rating, when: datetime, card_id: int) -> Scheduled:
    """Review `card` (None: a question never seen) with `rating` at `when`; the next card and due date."""
    when = when.astimezone(UTC)  # fsrs refuses any other time zone
    if card:
        current = Card.from_dict(card)
        # A review can't be older than the last one (clock skew, replays): fsrs would go backwards.
        if current.last_review and when < current.last_review:
            when = current.last_review
    else:
        current = Card(card_id=card_id, due=when)
    lapsed = current.state == State.Review and rating == Rating.Again
    reviewed, _log = SCHEDULER.review_card(current, rating, when)
    return Scheduled(card=reviewed.to_dict(), due=reviewed.due, rating=rating, lapsed=lapsed)


def retrievability(card: dict, when: datetime) -> float:
    """The probability (0-1) of recalling the question at `when`, by fsrs' memory model."""
    return SCHEDULER.get_card_retrievability(Card.from_dict(card), when.astimezone(UTC))


def mastery_after(previous: float | None, score: int) -> float:
    """The recency-weighted score of a question after one more attempt."""
    if previous is None:
        return float(score)
    return MASTERY_WEIGHT * score + (1 - MASTERY_WEIGHT) * previous
