"""The one seam between Django and the scoring engine.

Builds the engine from the database and caches it per bank version, in every worker process:
a request reuses the fitted engine; a change to any question, reference answer or key point
gives a new version and the next request refits once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from interviews.models import KeyPoint, Question, ReferenceAnswer
from interviews.scoring import Engine, KeyPointSpec, QuestionSpec


@dataclass
class _Cached:
    version: tuple
    engine: Engine


_cache: _Cached | None = None
_lock = threading.Lock()


def bank_version() -> tuple:
    """A fingerprint that changes whenever the bank's text changes (edits, additions, deletions)."""
    parts = []
    for model in (Question, ReferenceAnswer, KeyPoint):
        agg = model.objects.aggregate(n=Count("id"), last=Max("updated"), top=Max("id"))
        parts.append((agg["n"], agg["last"], agg["top"]))
    return tuple(parts)


def question_spec(question: Question) -> QuestionSpec:
    """The engine's view of one question (uses prefetched references and key points if present)."""
    return QuestionSpec(
        key=str(question.uuid),
        prompt=question.prompt,
        references=tuple(ref.text for ref in question.references.all()),
        key_points=tuple(
            KeyPointSpec(label=kp.label, phrasings=tuple(kp.phrasings or ()))
            for kp in question.key_points.all()
        ),
    )


def all_question_specs() -> list[QuestionSpec]:
    questions = Question.objects.prefetch_related("references", "key_points").order_by("id")
    return [question_spec(q) for q in questions]


def get_engine() -> Engine:
    """The fitted engine for the current bank version, fitting it only when the bank changed."""
    global _cache
    version = bank_version()
    cached = _cache
    if cached is not None and cached.version == version:
        return cached.engine
    with _lock:
        if _cache is None or _cache.version != version:
            _cache = _Cached(version=version, engine=Engine.fit(all_question_specs()))
        return _cache.engine


def clear_cache() -> None:
    global _cache
    with _lock:
        _cache = None
