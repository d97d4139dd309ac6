"""The fsrs wrapper, without the database."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from interviews import scheduling

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "rating"),
    [(0, Rating.Again), (44, Rating.Again), (45, Rating.Hard), (69, Rating.Hard), (70, Rating.Good),
     (84, Rating.Good), (85, Rating.Easy), (100, Rating.Easy)],
)
def test_the_rating_follows_the_score(score, rating):
    assert scheduling.rating_for(score) == rating


def test_an_override_counts_as_one_rating_higher():
    assert scheduling.rating_for(30, overridden=True) == Rating.Hard
    assert scheduling.rating_for(60, overridden=True) == Rating.Good
    assert scheduling.rating_for(95, overridden=True) == Rating.Easy


def _history(scores: list[int], start: datetime = NOW) -> scheduling.Scheduled:
    """Review one card with each score in turn, each time when it falls due."""
    card, when, result = None, start, None
    for score in scores:
        result = scheduling.schedule(card, rating=scheduling.rating_for(score), when=when, card_id=7)
        card, when = result.card, result.due
    return result


@pytest.mark.parametrize("earlier", [[], [90], [80, 90, 85]], ids=["new", "learned-once", "well-learned"])
def test_a_low_score_brings_the_question_back_sooner_than_a_high_score(earlier):
    low, mid, high = _history([*earlier, 20]), _history([*earlier, 60]), _history([*earlier, 95])
    assert low.due < mid.due < high.due


def test_good_answers_space_the_question_out_further_each_time():
    gaps = []
    card, when = None, NOW
    for _ in range(4):
        result = scheduling.schedule(card, rating=Rating.Good, when=when, card_id=1)
        gaps.append(result.due - when)
        card, when = result.card, result.due
    assert gaps == sorted(gaps) and gaps[-1] > timedelta(days=7)


def test_forgetting_a_learned_question_is_a_lapse():
    learned = _history([90, 90])
    forgot = scheduling.schedule(learned.card, rating=Rating.Again, when=learned.due, card_id=7)
    assert forgot.lapsed and not learned.lapsed
    assert forgot.due - learned.due < timedelta(days=1)


def test_the_card_goes_through_json_unchanged():
    result = _history([70, 90])
    again = scheduling.schedule(json.loads(json.dumps(result.card)), rating=Rating.Good, when=result.due, card_id=7)
    direct = scheduling.schedule(result.card, rating=Rating.Good, when=result.due, card_id=7)
    assert again.card == direct.card


def test_a_review_dated_before_the_last_one_does_not_go_back_in_time():
    first = scheduling.schedule(None, rating=Rating.Good, when=NOW, card_id=1)
    earlier = scheduling.schedule(first.card, rating=Rating.Good, when=NOW - timedelta(days=3), card_id=1)
    assert earlier.due > NOW


def test_mastery_weighs_recent_scores_more():
    def mastery(scores):
        value = None
        for score in scores:
            value = scheduling.mastery_after(value, score)
        return value

    assert mastery([50, 20, 80]) > 50 > mastery([50, 80, 20])  # both average 50
    assert scheduling.mastery_after(None, 64) == 64
