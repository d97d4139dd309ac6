from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interviews.selectors.progress import _offsets, missed_key_points, progress_for
from tests.factories import make_attempt, now

pytestmark = pytest.mark.django_db


def test_mastery_per_topic_weighs_recent_attempts_more(candidate, question, other_question):
    for days, score in [(20, 90), (10, 90), (1, 30)]:
        make_attempt(user=candidate, question=question, score=score, created=now() - timedelta(days=days))
    for days, score in [(20, 30), (10, 30), (1, 90)]:
        make_attempt(user=candidate, question=other_question, score=score, created=now() - timedelta(days=days))
    topics = {t.slug: t for t in progress_for(user=candidate).topics}
    falling, rising = topics[question.topic.slug], topics[other_question.topic.slug]
    assert falling.mastery < 70  # the plain average of 90, 90, 30
    assert rising.mastery > 50  # the plain average of 30, 30, 90
    assert falling.tried == 1 and falling.total == 1


def test_weak_topics_are_those_under_the_threshold_weakest_first(candidate, question, other_question):
    make_attempt(user=candidate, question=question, score=40)
    make_attempt(user=candidate, question=other_question, score=90)
    progress = progress_for(user=candidate)
    assert [t.slug for t in progress.weak_topics] == [question.topic.slug]


def test_key_points_missed_across_questions_are_counted_together(candidate, question, other_question):
    vg = "Vanishing gradient"
    make_attempt(user=candidate, question=question, score=40, key_points=[(vg, False), ("ReLU", True)])
    make_attempt(user=candidate, question=other_question, score=40, key_points=[(vg + ".", False)])
    make_attempt(user=candidate, question=question, score=80, key_points=[(vg, True), ("ReLU", True)])
    points = missed_key_points(user=candidate)
    assert len(points) == 1
    assert (points[0].label, points[0].missed, points[0].seen, points[0].questions) == ("Vanishing gradient", 2, 3, 2)


def test_key_points_tagged_with_one_concept_count_together_across_questions(candidate, question, other_question):
    # Two differently worded points, in two questions, on one concept; an untagged point counts alone.
    saturating = "Saturating activations such as sigmoid or tanh cause it"
    question.key_points.filter(label=saturating).update(concept="Activation functions")
    other_question.key_points.filter(label="Max or average").update(concept="Activation functions")
    make_attempt(user=candidate, question=question, score=40, key_points=[(saturating, False), ("Untagged", False)])
    make_attempt(user=candidate, question=other_question, score=40, key_points=[("Max or average", False)])
    make_attempt(user=candidate, question=other_question, score=90, key_points=[("Max or average", True)])
    points = {p.label: p for p in missed_key_points(user=candidate)}
    assert set(points) == {"Activation functions", "Untagged"}
    concept = points["Activation functions"]
    assert (concept.missed, concept.seen, concept.questions, concept.is_concept) == (2, 3, 2, True)
    assert concept.points == ("Max or average", saturating)  # the latest miss first
    assert (points["Untagged"].is_concept, points["Untagged"].points) == (False, ())


def test_activity_and_trend_count_attempts_per_day_and_week(candidate, question):
    today = timezone.localtime(now()).replace(hour=12)
    for days, score in [(0, 60), (0, 80), (2, 50)]:
        make_attempt(user=candidate, question=question, score=score, created=today - timedelta(days=days))
    progress = progress_for(user=candidate, now=today)
    activity = dict(progress.activity)
    assert activity[today.date()] == 2 and activity[(today - timedelta(days=2)).date()] == 1
    assert sum(activity.values()) == 3 and progress.active_days == 2
    assert sum(n for _, n, _ in progress.trend) == 3
    assert progress.attempts == 3


def test_nobody_elses_attempts_count_in_my_progress(candidate, stranger, question):
    make_attempt(user=stranger, question=question, score=10, key_points=[("Secret", False)])
    progress = progress_for(user=candidate)
    assert progress.attempts == 0 and progress.topics == [] and progress.missed_points == []


PARIS = ZoneInfo("Europe/Paris")  # +1 in winter, +2 from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC


def test_offsets_are_pinned_to_the_second_of_each_change():
    start, end = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 15, tzinfo=UTC)
    assert _offsets(start, end, PARIS) == [
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 3600),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 7200),
        (None, 3600),
    ]
    assert _offsets(start, start + timedelta(days=10), PARIS) == [(None, 3600)]
    assert _offsets(start, end, UTC) == [(None, 0)]


def test_days_follow_the_offset_in_force_on_each_side_of_a_daylight_saving_change(candidate, question):
    # 23:30 in Paris the evening before the change (+1), and 00:30 just after the next midnight (+2):
    # with one offset for the whole range, one of them would land on the wrong day.
    before = datetime(2026, 3, 25, 23, 30, tzinfo=PARIS)
    after = datetime(2026, 4, 2, 0, 30, tzinfo=PARIS)
    with timezone.override(PARIS):
        for created in (before, after):
            make_attempt(user=candidate, question=question, score=70, created=created)
        activity = dict(progress_for(user=candidate, now=datetime(2026, 4, 2, 12, 0, tzinfo=PARIS)).activity)
    assert activity[before.date()] == 1 and activity[after.date()] == 1
    assert sum(activity.values()) == 2
