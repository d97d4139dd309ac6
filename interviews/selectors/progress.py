"""Reads for the progress dashboard. A fixed number of queries, whatever the number of attempts.

- Mastery per topic comes from the review states (one row per question tried): each holds the
  question's recency-weighted score, kept up to date in the same transaction as every attempt.
- Activity and the score trend come from one grouped query over the last weeks of attempts.
- Key points missed across questions come from the feedback of the most recent attempts only:
  what keeps being missed now, read in one bounded query.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from django.db import connection
from django.db.models import Avg, Case, Count, DateField, F, Func, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from interviews.models import Attempt, ReviewState, Topic
from interviews.scheduling import WEAK_BELOW
from interviews.selectors.questions import concept_key, concepts_by_label

RECENT_ATTEMPTS = 300  # how many recent attempts the missed key points are read from
ACTIVITY_DAYS = 12 * 7
TREND_WEEKS = 12


@dataclass(frozen=True)
class TopicMastery:
    slug: str
    name: str
    mastery: float  # 0-100, recent attempts weigh more
    tried: int  # questions of the topic tried at least once
    total: int  # published questions in the topic
    due: int  # questions of the topic due for review now

    @property
    def weak(self) -> bool:
        return self.mastery < WEAK_BELOW


@dataclass(frozen=True)
class MissedPoint:
    label: str  # the concept's name, or the key point's label when it has no concept
    missed: int  # attempts that missed it
    seen: int  # attempts that were graded on it
    questions: int  # distinct questions where it was missed
    is_concept: bool = False
    points: tuple[str, ...] = ()  # for a concept: the labels of its key points that were missed

    @property
    def rate(self) -> float:
        return 100 * self.missed / self.seen if self.seen else 0.0


@dataclass(frozen=True)
class Progress:
    attempts: int
    tried: int
    due: int
    topics: list[TopicMastery]
    weak_topics: list[TopicMastery]
    trend: list[tuple[date, int, float | None]]  # (week's Monday, attempts, average score)
    activity: list[tuple[date, int]]  # (day, attempts)
    missed_points: list[MissedPoint]

    @property
    def active_days(self) -> int:
        return sum(1 for _, n in self.activity if n)


def _topic_mastery(*, user: User, now: datetime) -> list[TopicMastery]:
    totals = dict(
        Topic.objects.annotate(n=Count("questions", filter=Q(questions__status="published"))).values_list("pk", "n")
    )
    rows = ReviewState.objects.filter(user=user).values_list(
        "question__topic_id", "question__topic__slug", "question__topic__name", "card", "last_score", "due"
    )
    scores: dict[int, list[float]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    due: dict[int, int] = defaultdict(int)
    for topic_id, slug, name, card, last_score, due_at in rows:
        names[topic_id] = (slug, name)
        mastery = (card or {}).get("mastery")
        scores[topic_id].append(float(mastery if mastery is not None else last_score or 0))
        due[topic_id] += int(due_at <= now)
    topics = [
        TopicMastery(
            slug=slug,
            name=name,
            mastery=sum(scores[pk]) / len(scores[pk]),
            tried=len(scores[pk]),
            total=totals.get(pk, 0),
            due=due[pk],
        )
        for pk, (slug, name) in names.items()
    ]
    return sorted(topics, key=lambda t: t.name)


def _offsets(start: datetime, end: datetime, tz: tzinfo) -> list[tuple[datetime | None, int]]:
    """`tz`'s UTC offset (seconds) over [start, end], as (until, offset) pieces in time order.

    Each piece's offset holds until the instant `until` (exclusive); the last piece has no end.
    Offsets are read once a day and a change is pinned to the second by bisection: a zone changes
    its offset at most a few times a year.
    """

    def offset(t: datetime) -> int:
        return int(t.astimezone(tz).utcoffset().total_seconds())

    start, end = start.astimezone(UTC), end.astimezone(UTC)  # exact arithmetic: no wall-clock steps
    pieces: list[tuple[datetime | None, int]] = []
    t, current = start, offset(start)
    while t < end:
        step = min(timedelta(days=1), end - t)
        if offset(t + step) != current:
            # In whole seconds, offset(lo) == current != offset(hi): zones change on a whole second.
            lo, hi = math.floor(t.timestamp()), math.ceil((t + step).timestamp())
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(datetime.fromtimestamp(mid, UTC)) == current else (lo, mid)
            change = datetime.fromtimestamp(hi, UTC)
            pieces.append((change, current))
            t, current = change, offset(change)
        else:
            t += step
    pieces.append((None, current))
    return pieces


def _local_day(field: str, *, since: datetime, now: datetime) -> Func | Case:
    """The local calendar day of a datetime column, for rows from `since` on.

    SQLite's TruncDate calls back into Python for every row (too slow over weeks of a busy user's
    attempts), so there the day comes from SQLite's own date() shifted by the UTC offset in force
    at the row's time: one shift per daylight-saving period between `since` and `now`.
    """
    tz = timezone.get_current_timezone()
    if connection.vendor != "sqlite":
        return TruncDate(field, tzinfo=tz)

    def shifted(offset: int) -> Func:
        return Func(F(field), Value(f"{offset:+d} seconds"), function="DATE", output_field=DateField())

    *changes, (_, last) = _offsets(since, max(since, now), tz)
    if not changes:
        return shifted(last)
    whens = [When(**{f"{field}__lt": until}, then=shifted(offset)) for until, offset in changes]
    return Case(*whens, default=shifted(last), output_field=DateField())


def _daily(*, user: User, since: date, now: datetime) -> dict[date, tuple[int, float]]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(since, datetime.min.time(), tzinfo=tz)
    rows = (
        Attempt.objects.filter(user=user, created__gte=start)
        .annotate(day=_local_day("created", since=start, now=now))
        .values("day")
        .annotate(n=Count("id"), avg=Avg("score"))
        .order_by()
        .values_list("day", "n", "avg")
    )
    return {day: (n, avg) for day, n, avg in rows}


def missed_key_points(*, user: User, recent: int = RECENT_ATTEMPTS, limit: int = 10) -> list[MissedPoint]:
    """What the user's recent attempts missed most often, across all questions: each key point
    counts towards its concept (`KeyPoint.concept`, as the bank has it now), or on its own when it
    has none. Attempts keep their key points' labels, so a concept given later counts them too."""
    feedback = Attempt.objects.filter(user=user).order_by("-created", "-id").values_list("question_id", "feedback")
    rows = list(feedback[:recent])
    concepts = concepts_by_label({question_id for question_id, _ in rows})
    missed: dict[str, int] = defaultdict(int)
    seen: dict[str, int] = defaultdict(int)
    questions: dict[str, set[int]] = defaultdict(set)
    names: dict[str, tuple[str, bool]] = {}
    points: dict[str, dict[str, None]] = defaultdict(dict)  # missed labels, in order, once each
    for question_id, data in rows:
        for point in (data or {}).get("key_points") or ():
            label = point.get("label", "")
            label_key = concept_key(label)
            if not label_key:
                continue
            concept = concepts.get((question_id, label_key))
            key = concept_key(concept) if concept else label_key
            names.setdefault(key, (concept, True) if concept else (label, False))
            seen[key] += 1
            if not point.get("covered"):
                missed[key] += 1
                questions[key].add(question_id)
                points[key].setdefault(label)
    found = [
        MissedPoint(
            label=names[key][0],
            missed=n,
            seen=seen[key],
            questions=len(questions[key]),
            is_concept=names[key][1],
            points=tuple(points[key]) if names[key][1] else (),
        )
        for key, n in missed.items()
    ]
    found.sort(key=lambda p: (-p.missed, -p.rate, p.label))
    return found[:limit]


def progress_for(*, user: User, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    today = timezone.localdate(now)
    this_monday = today - timedelta(days=today.weekday())
    trend_start = this_monday - timedelta(weeks=TREND_WEEKS - 1)
    activity_start = today - timedelta(days=ACTIVITY_DAYS - 1)
    daily = _daily(user=user, since=min(trend_start, activity_start), now=now)

    weeks: dict[date, list[float]] = {trend_start + timedelta(weeks=i): [0, 0.0] for i in range(TREND_WEEKS)}
    for day, (n, avg) in daily.items():
        week = weeks.get(day - timedelta(days=day.weekday()))
        if week is not None:
            week[0] += n
            week[1] += n * float(avg)
    trend = [(monday, int(n), (total / n if n else None)) for monday, (n, total) in weeks.items()]
    activity = [
        (day, daily.get(day, (0, 0))[0]) for day in (activity_start + timedelta(days=i) for i in range(ACTIVITY_DAYS))
    ]

    topics = _topic_mastery(user=user, now=now)
    weak = sorted((t for t in topics if t.weak), key=lambda t: t.mastery)[:5]
    return Progress(
        attempts=Attempt.objects.filter(user=user).count(),
        tried=sum(t.tried for t in topics),
        due=sum(t.due for t in topics),
        topics=topics,
        weak_topics=weak,
        trend=trend,
        activity=activity,
        missed_points=missed_key_points(user=user),
    )
