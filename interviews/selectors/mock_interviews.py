"""Reads of a user's mock interviews and the report at the end of one."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from interviews import bank, statements
from interviews.links import interview_url
from interviews.models import Interview, InterviewItem, InterviewStatus, ItemState
from interviews.selectors.questions import concept_key, concepts_by_label

# The largest position a question can have (PositiveSmallIntegerField): beyond it the database
# would refuse the number rather than find nothing.
MAX_POSITION = 32767


def interview_for_user(*, user: User, interview_uuid: uuid.UUID | str) -> Interview:
    """Someone else's interview is a 404."""
    return get_object_or_404(Interview.objects.filter(user=user), uuid=interview_uuid)


def item_for_user(*, user: User, interview_uuid: uuid.UUID | str, position: int) -> InterviewItem:
    """One question of the user's interview, with the interview (its user set) and the question
    with its topic (`bank.question`). Someone else's interview, or no such question, is a 404.

    Every request on an interview question starts here (an answer, a draft every few seconds), so
    it reads through `interviews.statements`: one statement for the item and its interview, the
    question from memory.
    """
    if not 0 <= position <= MAX_POSITION:
        raise Http404("No such question.")
    with connection.cursor() as cursor:
        found = statements.select_with_parent(
            cursor, InterviewItem, "interview", where={"position": position},
            parent_where={"uuid": interview_uuid, "user": user.pk},
        )  # fmt: skip
    if not found:
        raise Http404("No such question.")  # no such interview of this user's, or no such question in it
    item, item.interview = found[0]
    item.interview.user = user  # the owner, by the filter above: no query to load it again
    item.question = bank.question(item.question_id)
    return item


def unfinished_interviews(*, user: User) -> QuerySet[Interview]:
    return Interview.objects.filter(user=user, status=InterviewStatus.IN_PROGRESS).order_by("-started_at")


def finished_interviews(*, user: User) -> QuerySet[Interview]:
    return Interview.objects.filter(user=user, status=InterviewStatus.FINISHED).order_by("-finished_at")


# What the interview stage leaves unloaded of its questions when it loads all of them (a page
# load): it shows the prompt, the difficulty and the topic's name.
STAGE_DEFERRED = (
    "question__slug",
    "question__status",
    "question__time_limit_seconds",
    "question__source",
    "question__created",
    "question__updated",
    "question__topic__slug",
    "question__topic__description",
    "question__topic__updated",
)


def stage_items(items: QuerySet[InterviewItem]) -> QuerySet[InterviewItem]:
    """`items` with the fields of their questions and topics that the interview stage shows."""
    return items.select_related("question", "question__topic").defer(*STAGE_DEFERRED)


def items_with_questions(*, interview: Interview, with_attempts: bool = True) -> list[InterviewItem]:
    """With their attempts (the report), or as the interview stage shows them (`with_attempts=False`)."""
    if not with_attempts:
        return list(stage_items(interview.items.all()))
    return list(interview.items.select_related("question", "question__topic", "attempt"))


@dataclass(frozen=True)
class NavEntry:
    """One question in the interview's navigation, worked out once for the template."""

    number: int
    state: str
    label: str
    flagged: bool
    current: bool
    goto_url: str | None  # only an open question can be gone back to


# Each state's label, looked up once (`get_state_display` builds this mapping on every call).
_STATE_LABELS = dict(ItemState.choices)


def interview_navigation(
    *, interview: Interview, items: list[InterviewItem], current: InterviewItem | None
) -> list[NavEntry]:
    position = current.position if current else None
    return [
        NavEntry(
            number=number,
            state=item.state,
            label=_STATE_LABELS.get(item.state, item.state),
            flagged=item.flagged,
            current=item.position == position,
            goto_url=(
                interview_url("item_goto", interview.uuid, item.position)
                if item.state in (ItemState.PENDING, ItemState.SKIPPED)
                else None
            ),
        )
        for number, item in enumerate(items, start=1)
    ]


@dataclass
class TopicResult:
    name: str
    average: float
    count: int


@dataclass(frozen=True)
class ReportRow:
    """One question of the report: the item (with its question and attempt) and what it missed."""

    item: InterviewItem
    key_points: int  # how many key points the answer was checked against (0: none, or no answer)
    missed: list[str]  # the labels of those it did not cover


@dataclass
class InterviewReport:
    interview: Interview
    items: list[InterviewItem]
    overall: int
    answered: int
    time_used_seconds: int
    topics: list[TopicResult] = field(default_factory=list)
    rows: list[ReportRow] = field(default_factory=list)
    # The concepts of the points missed, with the number of questions that missed them, most first.
    concepts_missed: list[tuple[str, int]] = field(default_factory=list)
    late_attempts: int = 0
    earlier: list[tuple[Interview, int]] = field(default_factory=list)

    @property
    def _topics_differ(self) -> bool:
        return len(self.topics) > 1 and self.topics[0].average > self.topics[-1].average

    @property
    def strongest(self) -> TopicResult | None:
        """The best topic; with several topics, only if they did not all score the same."""
        if len(self.topics) == 1 or self._topics_differ:
            return self.topics[0]
        return None

    @property
    def weakest(self) -> TopicResult | None:
        return self.topics[-1] if self._topics_differ else None

    @property
    def earlier_average(self) -> int | None:
        return round(sum(score for _, score in self.earlier) / len(self.earlier)) if self.earlier else None


def _overall(items: list[InterviewItem]) -> int:
    """Mean over every question of the interview; an unanswered question counts as 0."""
    scores = [item.attempt.score if item.attempt else 0 for item in items]
    return round(sum(scores) / len(scores)) if scores else 0


def interview_report(*, interview: Interview, earlier_limit: int = 5) -> InterviewReport:
    items = items_with_questions(interview=interview)
    by_topic: dict[str, list[int]] = defaultdict(list)
    rows = []
    concepts = concepts_by_label(item.question_id for item in items)
    missed_in: dict[str, set[int]] = defaultdict(set)
    names: dict[str, str] = {}
    for item in items:
        score = item.attempt.score if item.attempt else 0
        by_topic[item.question.topic.name].append(score)
        points = ((item.attempt.feedback or {}).get("key_points") or []) if item.attempt else []
        missed = [kp["label"] for kp in points if not kp.get("covered")]
        rows.append(ReportRow(item=item, key_points=len(points), missed=missed))
        for label in missed:
            if concept := concepts.get((item.question_id, concept_key(label))):
                names.setdefault(concept_key(concept), concept)
                missed_in[concept_key(concept)].add(item.question_id)
    concepts_missed = sorted(((names[k], len(q)) for k, q in missed_in.items()), key=lambda c: (-c[1], c[0]))
    topics = sorted(
        (TopicResult(name, sum(s) / len(s), len(s)) for name, s in by_topic.items()),
        key=lambda t: (-t.average, t.name),
    )
    end = interview.finished_at or interview.started_at
    earlier_interviews = list(
        finished_interviews(user=interview.user)
        .filter(finished_at__lt=end)
        .exclude(pk=interview.pk)
        .prefetch_related("items__attempt")[:earlier_limit]
    )
    earlier = [(other, _overall(list(other.items.all()))) for other in earlier_interviews]
    late = interview.user.attempts.filter(
        late=True, question__in=[i.question_id for i in items], created__gte=interview.started_at
    ).count()
    return InterviewReport(
        interview=interview,
        items=items,
        overall=_overall(items),
        answered=sum(1 for item in items if item.state == "answered"),
        time_used_seconds=int((end - interview.started_at).total_seconds()),
        topics=topics,
        rows=rows,
        concepts_missed=concepts_missed,
        late_attempts=late,
        earlier=earlier,
    )
