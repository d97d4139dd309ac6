"""Writing a bundle of topics and questions (from any import format) to the bank."""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from interviews.formats import Bundle, FormatError, Problem, QuestionData
from interviews.models import KeyPoint, Question, ReferenceAnswer, Topic


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    topics_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (
            f"{len(self.created)} questions {verb} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} left alone; {len(self.topics_created)} new topics."
        )


class _DryRun(Exception):
    pass


def bank_import(*, bundle: Bundle, dry_run: bool = False, only_new: bool = False) -> ImportReport:
    """Create or update the bundle's topics and questions, all or nothing.

    A question is matched by its uuid when the bundle has one, else by its slug, and updated in
    place; importing the same bundle twice changes nothing. With `only_new`, questions already in
    the bank are left as they are (a curator's edits survive a restart of `make run`).
    A topic that a format only names (no description: GIFT, Q/A text) reuses an existing topic with
    that slug or name and leaves it as it is.
    Raises FormatError (nothing written) when the bundle refers to unknown topics, repeats a slug,
    or gives a new topic a name another topic already has.
    """
    _check_bundle(bundle)
    report = ImportReport(dry_run=dry_run)
    data: QuestionData | None = None
    try:
        with transaction.atomic():
            topics = _import_topics(bundle, report, only_new=only_new)
            for data in bundle.questions:
                _import_question(data, topics[data.topic], report, only_new=only_new)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except IntegrityError as exc:
        # e.g. a question matched by uuid renamed to a slug another question holds.
        where = (data.file, data.line, f"{data.slug}: ") if data else ("", None, "")
        raise FormatError([Problem(where[0], where[1], f"{where[2]}the database refused the import: {exc}")]) from None
    return report


def _check_bundle(bundle: Bundle) -> None:
    problems = []
    seen: dict[str, QuestionData] = {}
    declared = {t.slug for t in bundle.topics}
    existing = set(Topic.objects.filter(slug__in={q.topic for q in bundle.questions}).values_list("slug", flat=True))
    first_use: dict[str, QuestionData] = {}
    for q in bundle.questions:
        first_use.setdefault(q.topic, q)
        if q.slug in seen:
            first = seen[q.slug]
            problems.append(
                Problem(q.file, q.line, f"slug {q.slug!r} repeats the question at {first.file}:{first.line}")
            )
        seen[q.slug] = q
        if q.topic not in declared and q.topic not in existing:
            problems.append(Problem(q.file, q.line, f"{q.slug}: unknown topic {q.topic!r}"))
        if q.uuid:
            try:
                uuid_lib.UUID(str(q.uuid))
            except ValueError:
                problems.append(Problem(q.file, q.line, f"{q.slug}: invalid uuid {q.uuid!r}"))
    by_name = {t.name: t.slug for t in Topic.objects.all()}
    named: dict[str, str] = {}
    for t in bundle.topics:
        if t.description is None:
            continue  # matched by slug or name at import: never a clash
        q = first_use.get(t.slug)
        where = (q.file, q.line) if q else ("", None)
        holder = by_name.get(t.name)
        if holder and holder != t.slug:
            problems.append(Problem(*where, f"topic {t.slug!r}: the name {t.name!r} belongs to topic {holder!r}"))
        if named.get(t.name, t.slug) != t.slug:
            problems.append(Problem(*where, f"topics {named[t.name]!r} and {t.slug!r} have the same name"))
        named[t.name] = t.slug
    if problems:
        raise FormatError(problems)


def _import_topics(bundle: Bundle, report: ImportReport, *, only_new: bool) -> dict[str, Topic]:
    """The bank's topics by the slugs the bundle's questions use, creating the missing ones."""
    topics = {t.slug: t for t in Topic.objects.all()}
    by_name = {t.name.casefold(): t for t in topics.values()}
    for data in bundle.topics:
        topic = topics.get(data.slug)
        if topic is None and data.description is None:
            topic = by_name.get(data.name.casefold())
            if topic is not None:
                topics[data.slug] = topic
                continue
        if topic is None:
            topic = Topic.objects.create(slug=data.slug, name=data.name, description=data.description or "")
            topics[data.slug] = by_name[topic.name.casefold()] = topic
            report.topics_created.append(data.slug)
        elif (
            not only_new
            and data.description is not None
            and (topic.name, topic.description) != (data.name, data.description)
        ):
            topic.name, topic.description = data.name, data.description
            topic.save(update_fields=["name", "description", "updated"])
    return topics


def _import_question(data: QuestionData, topic: Topic, report: ImportReport, *, only_new: bool) -> None:
    question = None
    if data.uuid:
        question = Question.objects.filter(uuid=data.uuid).first()
    if question is None:
        question = Question.objects.filter(slug=data.slug).first()
    fields = {
        "slug": data.slug,
        "topic": topic,
        "prompt": data.prompt,
        "difficulty": data.difficulty,
        "time_limit_seconds": data.time_limit_seconds,
        "status": data.status,
        "source": data.source,
    }
    references = list(data.references)
    key_points = [(kp.label, list(kp.phrasings), kp.concept) for kp in data.key_points]
    if question is None:
        question = Question(**fields)
        if data.uuid:
            question.uuid = data.uuid
        question.save()
        _replace_children(question, references, key_points)
        report.created.append(data.slug)
        return
    if only_new:
        report.unchanged.append(data.slug)
        return
    current_fields = {name: getattr(question, name) for name in fields}
    current_refs = list(question.references.values_list("text", flat=True))
    current_kps = [(kp.label, list(kp.phrasings), kp.concept) for kp in question.key_points.all()]
    if current_fields == fields and current_refs == references and current_kps == key_points:
        report.unchanged.append(data.slug)
        return
    if current_fields != fields:
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
    if current_refs != references or current_kps != key_points:
        _replace_children(question, references, key_points)
    report.updated.append(data.slug)


def _replace_children(
    question: Question, references: list[str], key_points: list[tuple[str, list[str], str]]
) -> None:
    question.references.all().delete()
    question.key_points.all().delete()
    ReferenceAnswer.objects.bulk_create(
        ReferenceAnswer(question=question, text=text, position=i) for i, text in enumerate(references)
    )
    KeyPoint.objects.bulk_create(
        KeyPoint(question=question, label=label, phrasings=phrasings, concept=concept, position=i)
        for i, (label, phrasings, concept) in enumerate(key_points)
    )
