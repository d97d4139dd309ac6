"""The project's own lossless JSON format (see fixtures/README.md)."""

from __future__ import annotations

import json
import re
from typing import Any

from interviews.formats.types import (
    DIFFICULTIES,
    STATUSES,
    Bundle,
    FormatError,
    KeyPointData,
    Problem,
    QuestionData,
    TopicData,
)

FORMAT_NAME = "mlprep-bank"
FORMAT_VERSION = 1
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _line_of(text: str, slug: str) -> int | None:
    """The line where a question's slug is declared (JSON parsers keep no positions)."""
    match = re.search(r'"slug"\s*:\s*' + re.escape(json.dumps(slug)), text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse(text: str, filename: str = "<json>") -> Bundle:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError([Problem(filename, exc.lineno, f"invalid JSON: {exc.msg}")]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FormatError([Problem(filename, 1, f'not a question bank: expected "format": "{FORMAT_NAME}"')])
    if data.get("version") != FORMAT_VERSION:
        problems.append(Problem(filename, 1, f"unsupported version {data.get('version')!r}"))

    bundle = Bundle()
    for i, raw in enumerate(data.get("topics") or []):
        if not isinstance(raw, dict) or not raw.get("slug") or not raw.get("name"):
            problems.append(Problem(filename, None, f"topic #{i + 1}: needs a slug and a name"))
            continue
        bundle.topics.append(
            TopicData(
                slug=str(raw["slug"]), name=str(raw["name"]), description=str(raw.get("description", ""))
            )
        )

    questions = data.get("questions")
    if not isinstance(questions, list):
        problems.append(Problem(filename, 1, 'missing "questions" list'))
        questions = []
    for i, raw in enumerate(questions):
        where = f"question #{i + 1}"
        if not isinstance(raw, dict):
            problems.append(Problem(filename, None, f"{where}: not an object"))
            continue
        line = _line_of(text, raw["slug"]) if isinstance(raw.get("slug"), str) else None
        question, errors = _question(raw, filename, line)
        problems += [Problem(filename, line, f"{where} ({raw.get('slug', '?')}): {e}") for e in errors]
        if question:
            bundle.questions.append(question)
    if problems:
        raise FormatError(problems)
    return bundle


def _question(raw: dict[str, Any], filename: str, line: int | None) -> tuple[QuestionData | None, list[str]]:
    errors = []
    for name in ("slug", "topic", "prompt"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            errors.append(f'"{name}" is required')
    refs = raw.get("references")
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) and r.strip() for r in refs):
        errors.append('"references" must be a non-empty list of texts')
    key_points = []
    for kp in raw.get("key_points") or []:
        if not isinstance(kp, dict) or not str(kp.get("label", "")).strip():
            errors.append("every key point needs a label")
            continue
        phrasings = kp.get("phrasings") or []
        if not isinstance(phrasings, list) or not all(isinstance(p, str) for p in phrasings):
            errors.append(f"key point {kp['label']!r}: phrasings must be a list of texts")
            continue
        key_points.append(
            KeyPointData(label=kp["label"].strip(), phrasings=[p.strip() for p in phrasings if p.strip()])
        )
    difficulty = raw.get("difficulty", "medium")
    if difficulty not in DIFFICULTIES:
        errors.append(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
    status = raw.get("status", "published")
    if status not in STATUSES:
        errors.append(f"status must be one of {', '.join(STATUSES)}")
    limit = raw.get("time_limit_seconds", 180)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 30 <= limit <= 3600:
        errors.append("time_limit_seconds must be a whole number from 30 to 3600")
    slug = raw.get("slug")
    if isinstance(slug, str) and not SLUG_RE.match(slug):
        errors.append("slug must be lowercase words joined by hyphens")
    if errors:
        return None, errors
    return (
        QuestionData(
            slug=slug,
            topic=raw["topic"].strip(),
            prompt=raw["prompt"].strip(),
            references=[r.strip() for r in refs],
            key_points=key_points,
            difficulty=difficulty,
            time_limit_seconds=limit,
            status=status,
            source=str(raw.get("source", "")),
            uuid=raw.get("uuid"),
            file=filename,
            line=line,
        ),
        [],
    )


def serialise(bundle: Bundle) -> str:
    data = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "topics": [{"slug": t.slug, "name": t.name, "description": t.description} for t in bundle.topics],
        "questions": [
            {
                "uuid": q.uuid,
                "slug": q.slug,
                "topic": q.topic,
                "prompt": q.prompt,
                "difficulty": q.difficulty,
                "time_limit_seconds": q.time_limit_seconds,
                "status": q.status,
                "source": q.source,
                "references": q.references,
                "key_points": [{"label": kp.label, "phrasings": kp.phrasings} for kp in q.key_points],
            }
            for q in bundle.questions
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
