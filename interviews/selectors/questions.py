"""Reads that span relations. Every per-user read takes the user explicitly."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.models import User
from interviews.formats import Bundle, KeyPointData, QuestionData, TopicData
from interviews.models import KeyPoint, Question, QuestionStatus, ReviewState, SavedQuestion, Topic
from interviews.scheduling import WEAK_BELOW

# The question list's "My questions" filter.
STANDINGS = [
    ("new", "Not tried yet"),
    ("tried", "Tried"),
    ("weak", f"Last score under {WEAK_BELOW}"),
    ("saved", "Saved for later"),
]


def concept_key(label: str) -> str:
    """One concept across questions: names that differ only in case and punctuation
    ("Vanishing gradients." and "vanishing gradients") are the same one."""
    return re.sub(r"[^\w]+", " ", label.casefold()).strip()


def questions_testing(concept: str) -> list[int]:
    """The ids of the published questions with a key point on `concept`: tagged with it
    (`KeyPoint.concept`), or, for a point without a concept, labelled so (see `concept_key`)."""
    key = concept_key(concept)
    if not key:
        return []
    # Compared in Python: SQL's case-insensitive match folds neither "ß" to "ss" nor, on SQLite,
    # any letter beyond ASCII, so it cannot narrow the rows without losing some. One short label
    # and concept per published key point (727 in the bank), read when someone follows a link.
    points = KeyPoint.objects.filter(question__status=QuestionStatus.PUBLISHED)
    return sorted(
        {
            question_id
            for question_id, label, tagged in points.values_list("question_id", "label", "concept")
            if concept_key(tagged or label) == key
        }
    )


def concepts_by_label(question_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """(question id, `concept_key` of a key point's label) -> that point's concept, for the tagged
    points of those questions. Attempts record their key points by label: this maps them back."""
    rows = KeyPoint.objects.filter(question_id__in=list(question_ids)).exclude(concept="")
    values = rows.values_list("question_id", "label", "concept")
    return {(question_id, concept_key(label)): concept for question_id, label, concept in values}


def concept_names() -> list[str]:
    """Every concept the bank's key points name, sorted."""
    return list(KeyPoint.objects.exclude(concept="").values_list("concept", flat=True).distinct().order_by("concept"))


def question_list(
    *,
    topic: str = "",
    difficulty: str = "",
    search: str = "",
    concept: str = "",
    user: User | None = None,
    standing: str = "",
) -> QuerySet[Question]:
    """Published questions by the filters. With `user`, each carries `my_last_score` and
    `my_attempts` (None: not tried yet), read from the user's review schedule, which every attempt
    moves, and `my_saved`; `standing` (see STANDINGS) then filters on them."""
    questions = Question.objects.published().select_related("topic")
    if user is not None:
        mine = ReviewState.objects.filter(user=user, question=OuterRef("pk"))
        questions = questions.annotate(
            my_last_score=Subquery(mine.values("last_score")[:1]),
            my_attempts=Subquery(mine.values("reviews")[:1]),
            my_saved=Exists(SavedQuestion.objects.filter(user=user, question=OuterRef("pk"))),
        )
        if standing == "saved":
            questions = questions.filter(my_saved=True)
        elif standing == "new":
            questions = questions.filter(my_attempts__isnull=True)
        elif standing == "tried":
            questions = questions.filter(my_attempts__isnull=False)
        elif standing == "weak":
            questions = questions.filter(my_last_score__lt=WEAK_BELOW)
    if topic:
        questions = questions.filter(topic__slug=topic)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    if search:
        for word in search.split()[:8]:
            questions = questions.filter(prompt__icontains=word)
    if concept:
        questions = questions.filter(pk__in=questions_testing(concept))
    return questions.order_by("topic__name", "difficulty", "slug")


def is_saved(*, user: User, question: Question) -> bool:
    return SavedQuestion.objects.filter(user=user, question=question).exists()


def topics_with_counts() -> QuerySet[Topic]:
    return Topic.objects.annotate(
        published=Count("questions", filter=Q(questions__status="published"))
    ).filter(published__gt=0)


def published_question(*, slug: str) -> Question:
    return get_object_or_404(
        Question.objects.published().select_related("topic").prefetch_related("references", "key_points"),
        slug=slug,
    )


def export_bundle(
    *, topics: list[str] | None = None, status: str | None = None, questions=None, order_by=("topic__slug", "slug")
) -> Bundle:
    """The bank (or a selection of it) as a format-neutral bundle, ready for any codec."""
    if questions is None:
        questions = Question.objects.all()
        if topics:
            questions = questions.filter(topic__slug__in=topics)
        if status:
            questions = questions.filter(status=status)
    questions = questions.select_related("topic").prefetch_related("references", "key_points").order_by(*order_by)
    bundle = Bundle()
    seen_topics: set[int] = set()
    for q in questions:
        if q.topic_id not in seen_topics:
            seen_topics.add(q.topic_id)
            bundle.topics.append(
                TopicData(slug=q.topic.slug, name=q.topic.name, description=q.topic.description)
            )
        bundle.questions.append(
            QuestionData(
                uuid=str(q.uuid),
                slug=q.slug,
                topic=q.topic.slug,
                prompt=q.prompt,
                difficulty=q.difficulty,
                time_limit_seconds=q.time_limit_seconds,
                status=q.status,
                source=q.source,
                references=[r.text for r in q.references.all()],
                key_points=[
                    KeyPointData(label=kp.label, phrasings=list(kp.phrasings), concept=kp.concept)
                    for kp in q.key_points.all()
                ],
            )
        )
    return bundle


def tried_questions_bundle(*, user: User) -> Bundle:
    """The published questions `user` has tried (those with a review card), weakest last score
    first (Anki shows new cards in the order of the file), for a deck to rehearse them elsewhere."""
    last_score = ReviewState.objects.filter(user=user, question=OuterRef("pk")).values("last_score")[:1]
    tried = Question.objects.filter(status=QuestionStatus.PUBLISHED).annotate(last_score=Subquery(last_score))
    return export_bundle(questions=tried.filter(last_score__isnull=False), order_by=("last_score", "slug"))
