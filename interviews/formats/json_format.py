"""The project's own lossless JSON format (see fixtures/README.md)."""

from __future__ import annotations

import json
import re
from typing import Any

from interviews.formats.common import DEFAULT_TIME, key_point_dict, key_point_from_dict, question_errors, topic_errors
from interviews.formats.types import Bundle, FormatError, Problem, QuestionData, TopicData

FORMAT_NAME = "mlprep-bank"
FORMAT_VERSION = 1


def _line_of(text: str, slug: str) -> int | None:
    """The line where a question's slug is declared (JSON parsers keep no positions)."""
    match = re.search(r'"slug"\s*:\s*' + re.escape(json.dumps(slug)), text) or re.search(
        r'"slug"\s*:\s*' + re.escape(json.dumps(slug, ensure_ascii=False)), text
    )
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
    topics = data.get("topics") or []
    if not isinstance(topics, list):
        problems.append(Problem(filename, 1, '"topics" must be a list'))
        topics = []
    for i, raw in enumerate(topics):
        if not isinstance(raw, dict) or not isinstance(raw.get("slug"), str) or not isinstance(raw.get("name"), str):
            problems.append(Problem(filename, None, f"topic #{i + 1}: needs a slug and a name"))
            continue
        line = _line_of(text, raw["slug"])
        errors = topic_errors(raw["slug"], raw["name"])
        problems += [Problem(filename, line, f"topic #{i + 1}: {e}") for e in errors]
        if not errors:
            description = raw.get("description")
            bundle.topics.append(
                TopicData(slug=raw["slug"], name=raw["name"].strip(), description=str(description or "").strip())
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
    if refs is None:
        refs = []
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        errors.append('"references" must be a list of texts')
    key_points = []
    raw_kps = raw.get("key_points") or []
    if not isinstance(raw_kps, list):
        errors.append('"key_points" must be a list')
        raw_kps = []
    for kp in raw_kps:
        if not isinstance(kp, dict) or not isinstance(kp.get("label"), str) or not kp["label"].strip():
            errors.append("every key point needs a label")
            continue
        phrasings = kp.get("phrasings") or []
        if not isinstance(phrasings, list) or not all(isinstance(p, str) for p in phrasings):
            errors.append(f"key point {kp['label']!r}: phrasings must be a list of texts")
            continue
        if not isinstance(kp.get("concept") or "", str):
            errors.append(f"key point {kp['label']!r}: concept must be a text")
            continue
        key_points.append(key_point_from_dict(kp))
    for name in ("source", "uuid", "difficulty", "status"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            errors.append(f'"{name}" must be a text')
    if errors:
        return None, errors
    question = QuestionData(
        slug=raw["slug"].strip(),
        topic=raw["topic"].strip(),
        prompt=raw["prompt"].strip(),
        references=[r.strip() for r in refs],
        key_points=key_points,
        difficulty=raw.get("difficulty") or "medium",
        time_limit_seconds=raw.get("time_limit_seconds", DEFAULT_TIME),
        status=raw.get("status") or "published",
        source=(raw.get("source") or "").strip(),
        uuid=raw.get("uuid") or None,
        file=filename,
        line=line,
    )
    errors = question_errors(question)
    return (None, errors) if errors else (question, [])


def serialise(bundle: Bundle) -> str:
    data = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "topics": [{"slug": t.slug, "name": t.name, "description": t.description or ""} for t in bundle.topics],
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
                "key_points": [key_point_dict(kp) for kp in q.key_points],
            }
            for q in bundle.questions
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
