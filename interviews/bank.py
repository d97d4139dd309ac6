"""The one seam between Django and the scoring engine.

Builds the engine from the database and caches it per bank version, in every worker process:
a request reuses the fitted engine; a change to any question, reference answer, key point or topic
gives a new version and the next request refits once. The questions themselves (with their
topics) are kept beside it, for the interview pages that show one (`question`).

The version is read at most once every `settings.BANK_RECHECK_SECONDS` per process, not on every
answer: an edit made in this process is seen at once (the save and delete signals ask for a new
read), one made by another process or machine within that many seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from interviews.models import KeyPoint, Question, ReferenceAnswer, Topic
from interviews.scoring import Engine, KeyPointSpec, QuestionSpec


@dataclass
class _Cached:
    version: tuple
    engine: Engine
    specs: dict[str, QuestionSpec]  # by question uuid: the texts the engine was fitted on
    questions: dict[int, Question]  # by id, with their topics: for pages that show a question


# What the bank's version covers: what the engine is fitted on, and the topics `question` shows.
BANK_MODELS = (Question, ReferenceAnswer, KeyPoint, Topic)

_cache: _Cached | None = None
_lock = threading.Lock()
_NEVER = float("-inf")
_checked_at = _NEVER  # time.monotonic() of the last version read that confirmed the cache
_edits = 0  # edits seen in this process: one made during a version read voids that read


def bank_version() -> tuple:
    """A fingerprint that changes whenever the bank's text changes (edits, additions, deletions).

    One query (it runs before every scoring): the count, the latest change and the highest id of
    each of the tables the engine and `question` read.
    """
    tables = [connection.ops.quote_name(model._meta.db_table) for model in BANK_MODELS]
    # Table names come from our own models; nothing here comes from a request.
    parts = ", ".join(
        f"(SELECT COUNT(*) FROM {t}), (SELECT MAX(updated) FROM {t}), (SELECT MAX(id) FROM {t})"  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())


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


def _all_questions() -> list[Question]:
    return list(Question.objects.select_related("topic").prefetch_related("references", "key_points").order_by("id"))


def all_question_specs() -> list[QuestionSpec]:
    return [question_spec(q) for q in _all_questions()]


def _current() -> _Cached:
    global _cache, _checked_at
    cached = _cache
    if cached is not None and time.monotonic() - _checked_at < settings.BANK_RECHECK_SECONDS:
        return cached
    checked_at, edits = time.monotonic(), _edits
    version = bank_version()
    if cached is None or cached.version != version:
        with _lock:
            if _cache is None or _cache.version != version:
                questions = _all_questions()
                specs = [question_spec(q) for q in questions]
                engine = Engine.fit(specs)
                engine.warm(specs)  # every question prepared here, not on the clock of its first answer
                _cache = _Cached(
                    version=version,
                    engine=engine,
                    specs={s.key: s for s in specs},
                    questions={q.pk: q for q in questions},
                )
            cached = _cache
    if edits == _edits:
        _checked_at = checked_at
    return cached


def get_engine() -> Engine:
    """The fitted engine for the current bank version, fitting it only when the bank changed."""
    return _current().engine


def engine_and_spec(question: Question) -> tuple[Engine, QuestionSpec]:
    """The current engine and the question's texts as of the same bank version (no extra query)."""
    cached = _current()
    return cached.engine, cached.specs.get(str(question.uuid)) or question_spec(question)


def question(question_id: int) -> Question:
    """The question with its topic, as of the current bank version (no query), for pages that show it.

    Shared by the requests of this process: read it, never change it. One added since the version
    was read comes from the database.
    """
    found = _current().questions.get(question_id)
    return found if found is not None else Question.objects.select_related("topic").get(pk=question_id)


def recheck(**_signal_kwargs) -> None:
    """Read the bank version again on next use (connected to the bank models' save and delete)."""
    global _checked_at, _edits
    _edits += 1
    _checked_at = _NEVER


def clear_cache() -> None:
    global _cache, _checked_at
    with _lock:
        _cache = None
        _checked_at = _NEVER
