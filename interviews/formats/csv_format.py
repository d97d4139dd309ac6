"""CSV, one row per question, for editing the bank in a spreadsheet.

Columns (the header row is required; order is free; unknown columns are an error):

- `uuid` (may be empty), `slug` (empty: made from the prompt), `topic` (a topic slug; a name is
  turned into a slug), `topic_name` and `topic_description` (declare the topic; when both are
  absent the topic must already exist), `prompt`, `difficulty` (easy/medium/hard, default medium),
  `time_limit_seconds` (default 180), `status` (published/draft, default published), `source`.
- `references`: one reference answer as plain text. Several references are written as a JSON list
  of strings (`["first answer", "second answer"]`); a cell that starts with `[` is read as such a
  list. A single reference that itself starts with `[` is exported as a one-item list, so every
  export reads back unchanged.
- `key_points`: one key point per line, `label :: phrasing | phrasing | ...` (a line without `::`
  is a label without phrasings). When a label or phrasing contains `::`, `|` or a line break, or
  starts with `[`, or a point has a concept, the exporter writes the whole cell as a JSON list of
  `{"label", "phrasings", "concept"}` objects instead (`concept` optional), which the reader also
  accepts; either way the round trip is lossless.

Errors name the line where the row starts (a quoted cell may span several lines).
"""

from __future__ import annotations

import csv
import io
import json

from interviews.formats.common import (
    DEFAULT_TIME,
    SLUG_RE,
    key_point_dict,
    key_point_from_dict,
    parse_int,
    question_errors,
    slugify,
    topic_errors,
    unique_slug,
)
from interviews.formats.types import Bundle, FormatError, KeyPointData, Problem, QuestionData, TopicData

COLUMNS = [
    "uuid",
    "slug",
    "topic",
    "topic_name",
    "topic_description",
    "prompt",
    "difficulty",
    "time_limit_seconds",
    "status",
    "source",
    "references",
    "key_points",
]
REQUIRED = {"topic", "prompt", "references"}


def parse(text: str, filename: str = "<csv>") -> Bundle:
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise FormatError([Problem(filename, reader.line_num or 1, f"malformed CSV: {exc}")]) from None
    if header is None:
        raise FormatError([Problem(filename, 1, "the file is empty; expected a header row")])
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    missing = REQUIRED - set(header)
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(sorted(missing))}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise FormatError([Problem(filename, 1, f"{'; '.join(parts)}; expected {', '.join(COLUMNS)}")])

    bundle = Bundle()
    topics: dict[str, TopicData] = {}
    slugs: set[str] = set()
    end = reader.line_num
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(filename, start, f"malformed CSV: {exc}"))
            break
        end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(filename, start, f"{len(row)} cells, but the header has {len(header)}"))
            continue
        cells = {name: value for name, value in zip(header, row, strict=True)}
        question, errors = _question(cells, filename, start, topics, slugs)
        problems += [Problem(filename, start, e) for e in errors]
        if question:
            bundle.questions.append(question)
    if problems:
        raise FormatError(problems)
    bundle.topics = list(topics.values())
    return bundle


def _question(
    cells: dict[str, str], filename: str, line: int, topics: dict[str, TopicData], slugs: set[str]
) -> tuple[QuestionData | None, list[str]]:
    errors: list[str] = []
    topic = cells.get("topic", "").strip()
    if topic and not SLUG_RE.match(topic):
        topic = slugify(topic, 80)  # a topic written by its name
    name = cells.get("topic_name", "").strip()
    description = cells.get("topic_description")
    if topic and (name or description is not None and description.strip()):
        declared = TopicData(slug=topic, name=name or topic, description=(description or "").strip())
        if "topic_description" not in cells:
            declared.description = None  # the file says nothing about it: keep the bank's
        previous = topics.get(topic)
        if previous and (previous.name, previous.description) != (declared.name, declared.description):
            errors.append(f"topic {topic!r} is declared differently on an earlier row")
        errors += topic_errors(declared.slug, declared.name)
        topics.setdefault(topic, declared)

    prompt = cells.get("prompt", "").strip()
    slug = cells.get("slug", "").strip()
    if not slug:
        slug = unique_slug(slugify(prompt), slugs)
    elif slug in slugs:
        errors.append(f"slug {slug!r} appears on an earlier row")
    slugs.add(slug)

    references, ref_error = _references(cells.get("references", ""))
    if ref_error:
        errors.append(ref_error)
    key_points, kp_error = _key_points(cells.get("key_points", ""))
    if kp_error:
        errors.append(kp_error)

    limit_text = cells.get("time_limit_seconds", "").strip()
    limit = parse_int(limit_text) if limit_text else DEFAULT_TIME
    if limit is None:
        errors.append(f"time_limit_seconds {limit_text!r} is not a whole number")
        limit = DEFAULT_TIME
    question = QuestionData(
        slug=slug,
        topic=topic,
        prompt=prompt,
        references=references,
        key_points=key_points,
        difficulty=cells.get("difficulty", "").strip().lower() or "medium",
        time_limit_seconds=limit,
        status=cells.get("status", "").strip().lower() or "published",
        source=cells.get("source", "").strip(),
        uuid=cells.get("uuid", "").strip() or None,
        file=filename,
        line=line,
    )
    errors += question_errors(question)
    return (None, errors) if errors else (question, [])


def _references(cell: str) -> tuple[list[str], str | None]:
    cell = cell.strip()
    if not cell.startswith("["):
        return ([cell] if cell else []), None
    try:
        value = json.loads(cell)
    except json.JSONDecodeError as exc:
        return [], f"references: a cell starting with '[' must be a JSON list of texts ({exc.msg})"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [], "references: a cell starting with '[' must be a JSON list of texts"
    return [v.strip() for v in value], None


KEY_POINTS_JSON_ERROR = 'key_points: the JSON list must hold {"label": ..., "phrasings": [...], "concept": ...} objects'


def _key_points(cell: str) -> tuple[list[KeyPointData], str | None]:
    cell = cell.strip()
    if cell.startswith("["):
        try:
            value = json.loads(cell)
        except json.JSONDecodeError as exc:
            return [], f"key_points: a cell starting with '[' must be a JSON list ({exc.msg})"
        points = []
        for item in value if isinstance(value, list) else [None]:
            point = key_point_from_dict(item)
            if point is None:
                return [], KEY_POINTS_JSON_ERROR
            points.append(point)
        return points, None
    points = []
    for raw in cell.splitlines():
        if not raw.strip():
            continue
        label, _, rest = raw.partition("::")
        phrasings = [p.strip() for p in rest.split("|") if p.strip()]
        points.append(KeyPointData(label=label.strip(), phrasings=phrasings))
    return points, None


def _readable(key_points: list[KeyPointData]) -> bool:
    """Whether the `label :: phrasing | ...` lines can carry these points (no concepts, no separators)."""
    for kp in key_points:
        if kp.concept:
            return False
        for value in [kp.label, *kp.phrasings]:
            if not value or value != value.strip() or "::" in value or "|" in value or "\n" in value or "\r" in value:
                return False
        if kp.label.startswith("["):
            return False
    return True


def serialise(bundle: Bundle) -> str:
    topics = {t.slug: t for t in bundle.topics}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for q in bundle.questions:
        topic = topics.get(q.topic)
        if len(q.references) == 1 and not q.references[0].startswith("["):
            references = q.references[0]
        else:
            references = json.dumps(q.references, ensure_ascii=False)
        if _readable(q.key_points):
            key_points = "\n".join(
                f"{kp.label} :: {' | '.join(kp.phrasings)}" if kp.phrasings else kp.label for kp in q.key_points
            )
        else:
            key_points = json.dumps([key_point_dict(kp) for kp in q.key_points], ensure_ascii=False)
        writer.writerow(
            [
                q.uuid or "",
                q.slug,
                q.topic,
                topic.name if topic else "",
                (topic.description or "") if topic else "",
                q.prompt,
                q.difficulty,
                q.time_limit_seconds,
                q.status,
                q.source,
                references,
                key_points,
            ]
        )
    return out.getvalue()
