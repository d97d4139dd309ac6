"""Curators' reads: agreement statistics per question, contested attempts, the flag queue, concepts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, F, FloatField, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf

from interviews import bank
from interviews.models import Attempt, Flag, FlagStatus, KeyPoint, Question
from interviews.scoring import KeyPointSpec, QuestionSpec, ScoreResult
from interviews.selectors.questions import concept_key

# A question whose answers users contest this often ("I think I was right") needs a curator's look.
LOW_AGREEMENT_SHARE = 0.2
LOW_AGREEMENT_MIN_CONTESTED = 1


def _per_question(queryset: QuerySet, aggregate) -> Subquery:
    return Subquery(
        queryset.filter(question=OuterRef("pk")).order_by().values("question").annotate(v=aggregate).values("v")
    )


def with_curation_stats(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Questions annotated with n_attempts, avg_score, n_contested, contested_share and n_open_flags.

    Subqueries rather than joins: joining attempts and flags together would multiply the rows and
    skew the averages.
    """
    attempts = Attempt.objects.all()
    return questions.annotate(
        n_attempts=Coalesce(_per_question(attempts, Count("pk")), Value(0), output_field=IntegerField()),
        avg_score=_per_question(attempts, Avg("score")),
        n_contested=Coalesce(
            _per_question(attempts.filter(contested_at__isnull=False), Count("pk")),
            Value(0),
            output_field=IntegerField(),
        ),
        n_open_flags=Coalesce(
            _per_question(Flag.objects.filter(status=FlagStatus.OPEN), Count("pk")),
            Value(0),
            output_field=IntegerField(),
        ),
    ).annotate(
        contested_share=Cast(F("n_contested"), FloatField()) / NullIf(Cast(F("n_attempts"), FloatField()), 0.0),
    )


def low_agreement(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Of annotated questions, those where users often think the scorer was wrong."""
    return questions.filter(n_contested__gte=LOW_AGREEMENT_MIN_CONTESTED, contested_share__gte=LOW_AGREEMENT_SHARE)


def flagged(questions: QuerySet[Question], *, flagged: bool = True) -> QuerySet[Question]:
    ids = Flag.objects.filter(status=FlagStatus.OPEN).values("question")
    return questions.filter(pk__in=ids) if flagged else questions.exclude(pk__in=ids)


def open_flags() -> QuerySet[Flag]:
    return Flag.objects.filter(status=FlagStatus.OPEN).select_related("question", "question__topic", "user")


@dataclass(frozen=True)
class ContestReview:
    """What a curator did about a contested attempt, read from the change log."""

    message: str
    user: str
    when: object


@dataclass(frozen=True)
class ContestedAttempt:
    attempt: Attempt
    review: ContestReview | None


def contested_attempts(*, question: Question) -> list[ContestedAttempt]:
    """The attempts users contested on a question, newest first, with any curator's decision."""
    attempts = list(
        Attempt.objects.filter(question=question, contested_at__isnull=False)
        .select_related("user")
        .order_by("-contested_at", "-id")
    )
    reviews: dict[str, ContestReview] = {}
    if attempts:
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Attempt),
            object_id__in=[str(a.pk) for a in attempts],
        ).select_related("user")
        for entry in entries.order_by("action_time"):  # the latest decision wins
            reviews[entry.object_id] = ContestReview(
                message=entry.get_change_message(), user=str(entry.user), when=entry.action_time
            )
    return [ContestedAttempt(attempt=a, review=reviews.get(str(a.pk))) for a in attempts]


def score_draft(
    *, key: str, prompt: str, references: list[str], key_points: list[tuple[str, list[str]]], answer: str
) -> ScoreResult:
    """Score an answer against references and key points that may not be saved yet.

    The engine fitted on the current bank scores questions it wasn't fitted on; the draft gets
    its own key so it never displaces the saved question in the engine's cache. Nothing is written.
    """
    spec = QuestionSpec(
        key=f"draft:{key}",
        prompt=prompt,
        references=tuple(references),
        key_points=tuple(KeyPointSpec(label=label, phrasings=tuple(p)) for label, p in key_points),
    )
    return bank.get_engine().score(answer, spec)


@dataclass
class ConceptUse:
    """One concept of the bank: how many questions and key points name it, and how it is spelled."""

    name: str  # its most common spelling
    questions: int = 0
    points: int = 0
    spellings: dict[str, int] = field(default_factory=dict)  # spelling -> key points

    @property
    def respelled(self) -> bool:
        """Spelled more than one way (case or punctuation): one concept all the same."""
        return len(self.spellings) > 1


def concept_uses() -> list[ConceptUse]:
    """Every concept the key points name, fewest questions first: a concept in one question only
    drills nothing beyond that question, and may be another concept in other words."""
    uses: dict[str, ConceptUse] = {}
    questions: dict[str, set[int]] = defaultdict(set)
    for question_id, concept in KeyPoint.objects.exclude(concept="").values_list("question_id", "concept"):
        key = concept_key(concept)
        use = uses.setdefault(key, ConceptUse(name=concept))
        use.points += 1
        use.spellings[concept] = use.spellings.get(concept, 0) + 1
        questions[key].add(question_id)
    for key, use in uses.items():
        use.questions = len(questions[key])
        use.name = max(use.spellings, key=lambda spelling: (use.spellings[spelling], spelling))
    return sorted(uses.values(), key=lambda use: (use.questions, use.name.casefold()))
