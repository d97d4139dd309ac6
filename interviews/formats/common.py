"""Rules every codec shares: slugs, field limits and the checks a question must pass."""

from __future__ import annotations

import re
import unicodedata
import uuid as uuid_lib

from interviews.formats.types import DIFFICULTIES, STATUSES, KeyPointData, QuestionData, TopicData

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The database's column sizes (interviews/models.py): checked here so PostgreSQL never refuses a row.
MAX_SLUG = 120
MAX_TOPIC_SLUG = 80
MAX_TOPIC_NAME = 120
MAX_SOURCE = 300
MAX_LABEL = 300
MAX_CONCEPT = 60
MIN_TIME, MAX_TIME = 30, 3600
DEFAULT_TIME = 180


def slugify(text: str, max_length: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary (no Django here)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def unique_slug(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`... when a file derives the same slug twice; records the result."""
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def topic_name_from_slug(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def question_errors(q: QuestionData) -> list[str]:
    """What is wrong with a question, in words a curator can act on; empty when it is fine."""
    errors = []
    if not SLUG_RE.match(q.slug or ""):
        errors.append(f"slug {q.slug!r} must be lowercase words joined by hyphens")
    elif len(q.slug) > MAX_SLUG:
        errors.append(f"slug is longer than {MAX_SLUG} characters")
    if not (q.topic or "").strip():
        errors.append("a topic is required")
    elif len(q.topic) > MAX_TOPIC_SLUG:
        errors.append(f"topic slug is longer than {MAX_TOPIC_SLUG} characters")
    if not (q.prompt or "").strip():
        errors.append("the question text is empty")
    if not all(isinstance(r, str) and r.strip() for r in q.references):
        errors.append("a reference answer is empty")
    elif not q.references and q.status != "draft":
        # A draft may wait for its answer; a published question is scored against it.
        errors.append("a reference answer is required")
    for kp in q.key_points:
        if not kp.label.strip():
            errors.append("every key point needs a label")
        elif len(kp.label) > MAX_LABEL:
            errors.append(f"key point {kp.label[:40]!r}... is longer than {MAX_LABEL} characters")
        if len(kp.concept) > MAX_CONCEPT:
            errors.append(f"key point {kp.label[:40]!r}: its concept is longer than {MAX_CONCEPT} characters")
    if q.difficulty not in DIFFICULTIES:
        errors.append(f"difficulty {q.difficulty!r} must be one of {', '.join(DIFFICULTIES)}")
    if q.status not in STATUSES:
        errors.append(f"status {q.status!r} must be one of {', '.join(STATUSES)}")
    limit = q.time_limit_seconds
    if not isinstance(limit, int) or isinstance(limit, bool) or not MIN_TIME <= limit <= MAX_TIME:
        errors.append(f"time_limit_seconds must be a whole number from {MIN_TIME} to {MAX_TIME}")
    if len(q.source or "") > MAX_SOURCE:
        errors.append(f"source is longer than {MAX_SOURCE} characters")
    if q.uuid:
        try:
            uuid_lib.UUID(str(q.uuid))
        except ValueError:
            errors.append(f"invalid uuid {q.uuid!r}")
    return errors


def topic_from_name(name: str) -> tuple[TopicData, list[str]]:
    """The topic a file names (by its name, or by its slug), and what is wrong with it."""
    slug = name if SLUG_RE.match(name) else slugify(name, 80)
    if SLUG_RE.match(name):
        name = topic_name_from_slug(name)
    return TopicData(slug=slug, name=name, description=None), topic_errors(slug, name)


def topic_errors(slug: str, name: str) -> list[str]:
    errors = []
    if not SLUG_RE.match(slug or "") or len(slug) > MAX_TOPIC_SLUG:
        errors.append(f"topic slug {slug!r} must be lowercase words joined by hyphens (at most {MAX_TOPIC_SLUG})")
    if not (name or "").strip() or len(name) > MAX_TOPIC_NAME:
        errors.append(f"topic {slug!r} needs a name of 1 to {MAX_TOPIC_NAME} characters")
    return errors


def parse_int(value: str) -> int | None:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return None


# Where a question goes when a GIFT or Q/A file names no topic.
DEFAULT_TOPIC_SLUG = "imported"
DEFAULT_TOPIC_NAME = "Imported questions"


def key_point_dict(kp: KeyPointData) -> dict:
    """A key point as the JSON-based formats write it (JSON, CSV's JSON cells, GIFT's metadata);
    `concept` only when it has one, so untagged points read as before."""
    data: dict = {"label": kp.label, "phrasings": kp.phrasings}
    if kp.concept:
        data["concept"] = kp.concept
    return data


def key_point_from_dict(item: object) -> KeyPointData | None:
    """The key point written by `key_point_dict`; None when a value has the wrong type."""
    if not isinstance(item, dict) or not isinstance(item.get("label"), str):
        return None
    phrasings = item.get("phrasings") or []
    concept = item.get("concept") or ""
    if not isinstance(concept, str) or not isinstance(phrasings, list):
        return None
    if not all(isinstance(p, str) for p in phrasings):
        return None
    return KeyPointData(
        label=item["label"].strip(), phrasings=[p.strip() for p in phrasings if p.strip()], concept=concept.strip()
    )
