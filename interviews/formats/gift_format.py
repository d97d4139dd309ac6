"""Moodle GIFT: essay and short-answer questions, categories as topics.

Reading:
- `$CATEGORY: <name>` sets the topic of the questions that follow (the last segment of a Moodle
  path such as `$course$/top/Deep learning`; `//` inside a name is a literal `/`). Without a
  category, questions go to the "Imported questions" topic.
- `::title::` is the slug when it already is one (`vanishing-gradients`), else a slug is made from
  the title or, without a title, from the prompt.
- Essay `prompt {####reference answer}`: the general feedback (`####...`) is the reference answer,
  and is required (the scorer needs it).
- Short answer `prompt {=answer =other answer}`: the accepted answers are the references (unless a
  general feedback is given, which then is the reference) and become one key point whose
  phrasings are the answers. Weights (`=%50%...`) and per-answer feedback (`#...`) are dropped.
- Multiple choice, true/false, matching, numerical and description items are skipped with a
  warning.
- Escapes `\\~ \\= \\# \\{ \\} \\: \\\\` and `\\n` (a line break) are understood in every text.
- Comment lines `// mlprep: {json}` just above a question carry the fields Moodle has no place
  for: uuid, difficulty, time_limit_seconds, status, source, key_points, more_references.
  `// mlprep-topic: {"slug": ..., "description": ...}` below a `$CATEGORY` line does the same for
  the topic. A plain Moodle file without them imports with defaults (medium, 180 s, published).

Writing produces essay questions with all those comments, so an export reads back unchanged.
Errors name the line of the question (or of the comment) at fault.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from interviews.formats.common import (
    DEFAULT_TIME,
    DEFAULT_TOPIC_NAME,
    DEFAULT_TOPIC_SLUG,
    MAX_SLUG,
    SLUG_RE,
    key_point_dict,
    key_point_from_dict,
    question_errors,
    slugify,
    topic_errors,
    unique_slug,
)
from interviews.formats.types import Bundle, FormatError, KeyPointData, Problem, QuestionData, TopicData

SPECIAL = "~=#{}:"
FORMAT_PREFIX = re.compile(r"^\[(?:moodle|html|plain|markdown)\]", re.IGNORECASE)
META = "// mlprep:"
TOPIC_META = "// mlprep-topic:"
META_KEYS = {"uuid", "difficulty", "time_limit_seconds", "status", "source", "key_points", "more_references"}


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            if following == "n":
                out.append("\n")
            elif following in SPECIAL or following == "\\":
                out.append(following)
            else:
                out.append(char + following)
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after `start`, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def _split(text: str, token: str) -> list[str]:
    parts, start = [], 0
    while (i := _find(text, token, start)) != -1:
        parts.append(text[start:i])
        start = i + len(token)
    parts.append(text[start:])
    return parts


def _brace_depth(line: str, depth: int) -> int:
    i = 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(line[i], 0)
        i += 1
    return max(depth, 0)


@dataclass
class _Block:
    lines: list[tuple[int, str]] = field(default_factory=list)
    meta: tuple[int, str] | None = None  # (line, json text)


class _Parser:
    def __init__(self, filename: str):
        self.filename = filename
        self.bundle = Bundle()
        self.problems: list[Problem] = []
        self.topics: dict[str, TopicData] = {}
        self.topic: TopicData | None = None
        self.slugs: set[str] = set()

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.filename, line, message))

    def run(self, text: str) -> Bundle:
        block, depth = _Block(), 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if depth == 0 and line.startswith(TOPIC_META):
                self.topic_meta(number, line[len(TOPIC_META) :])
            elif depth == 0 and line.startswith(META):
                if block.lines or block.meta:
                    self.flush(block)  # the comment belongs to the question below it, not above
                    block = _Block()
                block.meta = (number, line[len(META) :])
            elif depth == 0 and line.startswith("//"):
                continue
            elif depth == 0 and line.startswith("$CATEGORY:"):
                self.flush(block)
                block = _Block()
                self.category(number, line[len("$CATEGORY:") :])
            elif depth == 0 and not line:
                self.flush(block)
                block = _Block()
            else:
                block.lines.append((number, raw))
                depth = _brace_depth(raw, depth)
        self.flush(block)
        if self.problems:
            raise FormatError(self.problems)
        self.bundle.topics = list(self.topics.values())
        return self.bundle

    def category(self, line: int, path: str) -> None:
        segments = [s.strip().replace("\0", "/") for s in path.replace("//", "\0").split("/")]
        segments = [s for s in segments if s and not (s.startswith("$") and s.endswith("$")) and s != "top"]
        name = segments[-1] if segments else ""
        if not name:
            self.topic = None
            return
        slug = slugify(name, 80)
        errors = topic_errors(slug, name)
        for error in errors:
            self.problem(line, error)
        self.topic = self.topics.setdefault(slug, TopicData(slug=slug, name=name, description=None))

    def topic_meta(self, line: int, payload: str) -> None:
        meta = self.load_json(line, payload)
        if meta is None:
            return
        if self.topic is None:
            self.problem(line, "'// mlprep-topic:' must follow a $CATEGORY line")
            return
        slug = meta.get("slug", self.topic.slug)
        description = meta.get("description", "")
        if not isinstance(slug, str) or not isinstance(description, str):
            self.problem(line, "'// mlprep-topic:' slug and description must be texts")
            return
        for error in topic_errors(slug, self.topic.name):
            self.problem(line, error)
        self.topics.pop(self.topic.slug, None)
        self.topic = TopicData(slug=slug, name=self.topic.name, description=description)
        self.topics[slug] = self.topic

    def load_json(self, line: int, payload: str) -> dict | None:
        try:
            value = json.loads(payload)
        except json.JSONDecodeError as exc:
            self.problem(line, f"invalid JSON in mlprep comment: {exc.msg} (column {exc.colno})")
            return None
        if not isinstance(value, dict):
            self.problem(line, "the mlprep comment must hold a JSON object")
            return None
        return value

    def flush(self, block: _Block) -> None:
        if not block.lines:
            if block.meta:
                self.problem(block.meta[0], "a '// mlprep:' comment without a question below it")
            return
        first = block.lines[0][0]
        text = "\n".join(raw for _, raw in block.lines).strip()

        title = ""
        if text.startswith("::"):
            end = _find(text, "::", 2)
            if end == -1:
                self.problem(first, "the title has no closing '::'")
                return
            title, text = unescape(text[2:end]).strip(), text[end + 2 :].lstrip()
        opening = _find(text, "{")
        if opening == -1:
            self.bundle.warnings.append(Problem(self.filename, first, "a description without {…}: skipped"))
            return
        closing = _find(text, "}", opening + 1)
        if closing == -1:
            self.problem(first, "'{' is never closed")
            return
        before, answer, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
        if _find(after, "{") != -1:
            self.problem(first, "a question may hold only one {…} answer block")
            return
        prompt = _clean(before)
        if after.strip():
            prompt = f"{prompt} _____ {_clean(after)}".strip()

        split = _find(answer, "####")
        feedback = _clean(answer[split + 4 :]) if split != -1 else ""
        answer = answer[:split] if split != -1 else answer
        answer = answer.strip()
        kind = _kind(answer)
        if kind not in ("essay", "short"):
            self.bundle.warnings.append(Problem(self.filename, first, f"a {kind} question: skipped"))
            return

        meta: dict = {}
        if block.meta:
            meta = self.load_json(*block.meta) or {}
            unknown = set(meta) - META_KEYS
            if unknown:
                self.problem(block.meta[0], f"unknown mlprep field(s): {', '.join(sorted(unknown))}")
        meta_line = block.meta[0] if block.meta else first

        references = [feedback] if feedback else []
        key_points: list[KeyPointData] = []
        if kind == "short":
            answers = [_short_answer(a) for a in _split(answer, "=")[1:]]
            answers = [a for a in answers if a]
            if not answers:
                self.problem(first, "a short-answer question needs at least one '=answer'")
                return
            references = references or answers
            key_points = [KeyPointData(label=answers[0], phrasings=answers)]

        more = meta.get("more_references", [])
        if not isinstance(more, list) or not all(isinstance(r, str) for r in more):
            self.problem(meta_line, "more_references must be a list of texts")
            more = []
        references += [r.strip() for r in more]
        if "key_points" in meta:
            key_points = _meta_key_points(meta["key_points"])
            if key_points is None:
                self.problem(meta_line, KEY_POINTS_META_ERROR)
                return

        if title and SLUG_RE.match(title) and len(title) <= MAX_SLUG:
            slug = title
            self.slugs.add(slug)
        else:
            slug = unique_slug(slugify(title) or slugify(prompt), self.slugs)
        topic = self.topic
        if topic is None:
            topic = self.topics.setdefault(
                DEFAULT_TOPIC_SLUG, TopicData(slug=DEFAULT_TOPIC_SLUG, name=DEFAULT_TOPIC_NAME, description=None)
            )
        for name in ("uuid", "difficulty", "status", "source"):
            if name in meta and not isinstance(meta[name], str | None):
                self.problem(meta_line, f"{name} must be a text")
                return
        question = QuestionData(
            slug=slug,
            topic=topic.slug,
            prompt=prompt,
            references=references,
            key_points=key_points,
            difficulty=meta.get("difficulty") or "medium",
            time_limit_seconds=meta.get("time_limit_seconds", DEFAULT_TIME),
            status=meta.get("status") or "published",
            source=(meta.get("source") or "").strip(),
            uuid=meta.get("uuid") or None,
            file=self.filename,
            line=first,
        )
        errors = question_errors(question)
        if not references and question.status != "draft":
            errors = ["an essay question needs its reference answer in the general feedback: {####...}"]
        for error in errors:
            self.problem(first, f"{slug}: {error}")
        if not errors:
            self.bundle.questions.append(question)


def _clean(text: str) -> str:
    return unescape(FORMAT_PREFIX.sub("", text.strip(), count=1)).strip()


def _kind(answer: str) -> str:
    if not answer:
        return "essay"
    if answer.upper() in ("T", "F", "TRUE", "FALSE"):
        return "true/false"
    if answer.startswith("#"):
        return "numerical"
    if _find(answer, "->") != -1:
        return "matching"
    if _find(answer, "~") != -1:
        return "multiple-choice"
    if answer.startswith("="):
        return "short"
    return "unrecognised"


def _short_answer(raw: str) -> str:
    raw = raw.strip()
    weight = re.match(r"^%-?\d+(?:\.\d+)?%", raw)
    if weight:
        raw = raw[weight.end() :]
    feedback = _find(raw, "#")
    if feedback != -1:
        raw = raw[:feedback]
    return unescape(raw).strip()


KEY_POINTS_META_ERROR = 'key_points must be a list of {"label": ..., "phrasings": [...], "concept": ...}'


def _meta_key_points(value: object) -> list[KeyPointData] | None:
    if not isinstance(value, list):
        return None
    points = [key_point_from_dict(item) for item in value]
    return None if None in points else points


def parse(text: str, filename: str = "<gift>") -> Bundle:
    return _Parser(filename).run(text)


def serialise(bundle: Bundle) -> str:
    lines = [
        "// MLPrep question bank in Moodle GIFT: essay questions whose general feedback is the reference answer.",
        "// '// mlprep' comments carry what Moodle has no field for, so the file reads back unchanged.",
        "",
    ]
    topics = {t.slug: t for t in bundle.topics}
    current = None
    for q in bundle.questions:
        if q.topic != current:
            current = q.topic
            topic = topics.get(q.topic) or TopicData(slug=q.topic, name=q.topic, description=None)
            lines.append(f"$CATEGORY: {topic.name.replace('/', '//')}")
            lines.append(f"{TOPIC_META} {_dumps({'slug': topic.slug, 'description': topic.description or ''})}")
            lines.append("")
        meta = {
            "uuid": q.uuid,
            "difficulty": q.difficulty,
            "time_limit_seconds": q.time_limit_seconds,
            "status": q.status,
            "source": q.source,
            "key_points": [key_point_dict(kp) for kp in q.key_points],
        }
        if len(q.references) > 1:
            meta["more_references"] = q.references[1:]
        lines.append(f"{META} {_dumps(meta)}")
        lines.append(f"::{escape(q.slug)}::{escape(q.prompt)} {{")
        lines.append(f"####{escape(q.references[0]) if q.references else ''}")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def _dumps(value: object) -> str:
    # One line, whatever the texts hold: json escapes line breaks inside strings.
    return json.dumps(value, ensure_ascii=False)
