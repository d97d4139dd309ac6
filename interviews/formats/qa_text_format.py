"""Plain Q/A text, the shape of the seed documents.

    Topic: Training and optimisation

    Q12: What does batch normalisation do?
    Answer: It normalises each mini-batch's activations ...
    the answer may go on over several lines and paragraphs,
    until the next "Q<n>:" or "Topic:" line.

- `Q<n>:` (or `Q:`, `Question <n>:`) at the start of a line opens a question; `Answer:` (or `A:`)
  opens its answer. Without an `Answer:` line, the text after the question line is the answer; with
  one, lines between the two continue the question.
- `Topic: <name>` sets the topic of the questions that follow (matched to an existing topic by name
  or slug; created when there is none). Without it, questions go to "Imported questions".
- Text before the first question (a title, a table of contents of `- Q1: ...` lines) is ignored.
- The slug is made from the question text; difficulty medium, 180 seconds, published. Key points
  are not part of this format: questions are imported without them (the scorer copes).

Writing keeps prompts, topics and reference answers (several references become paragraphs of one
answer); difficulty, time limits and key points are lost, so use JSON, CSV or GIFT to round-trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from interviews.formats.common import (
    DEFAULT_TOPIC_NAME,
    DEFAULT_TOPIC_SLUG,
    MAX_SOURCE,
    question_errors,
    slugify,
    topic_from_name,
    unique_slug,
)
from interviews.formats.types import Bundle, FormatError, Problem, QuestionData, TopicData

QUESTION_RE = re.compile(r"^(?:Q|Question\s*)(\d*)\s*[:.)]\s*(.*)$")
ANSWER_RE = re.compile(r"^(?:A|Answer)\s*\d*\s*:\s*(.*)$")
TOPIC_RE = re.compile(r"^Topic\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class _Pending:
    line: int
    number: str
    prompt: list[str]
    text: list[str] = field(default_factory=list)  # lines after the question line
    answer: list[str] | None = None  # set once an "Answer:" line is seen


def parse(text: str, filename: str = "<text>") -> Bundle:
    bundle, problems = Bundle(), []
    topics: dict[str, TopicData] = {}
    topic: TopicData | None = None
    slugs: set[str] = set()
    pending: _Pending | None = None
    base = PurePath(filename).name

    def finish() -> None:
        nonlocal pending
        if pending is None:
            return
        question, errors = _question(pending, topic, filename, base, slugs)
        problems.extend(Problem(filename, pending.line, e) for e in errors)
        if question:
            bundle.questions.append(question)
        pending = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if match := TOPIC_RE.match(line):
            finish()
            named, errors = topic_from_name(match.group(1).strip())
            problems.extend(Problem(filename, number, e) for e in errors)
            topic = topics.setdefault(named.slug, named)
        elif match := QUESTION_RE.match(line):
            finish()
            pending = _Pending(line=number, number=match.group(1), prompt=[match.group(2)])
        elif pending is None:
            if ANSWER_RE.match(line):
                problems.append(Problem(filename, number, "an answer without a question line (Q<n>: ...) above it"))
            continue  # preamble: a title, a table of contents
        elif pending.answer is None and (match := ANSWER_RE.match(line)):
            pending.answer = [match.group(1)]
        elif pending.answer is not None:
            pending.answer.append(line)
        else:
            pending.text.append(line)
    finish()
    if problems:
        raise FormatError(problems)
    if any(q.topic == DEFAULT_TOPIC_SLUG for q in bundle.questions):
        topics.setdefault(
            DEFAULT_TOPIC_SLUG, TopicData(slug=DEFAULT_TOPIC_SLUG, name=DEFAULT_TOPIC_NAME, description=None)
        )
    bundle.topics = list(topics.values())
    return bundle


def _question(
    pending: _Pending, topic: TopicData | None, filename: str, base: str, slugs: set[str]
) -> tuple[QuestionData | None, list[str]]:
    if pending.answer is None:
        prompt_lines, answer_lines = pending.prompt, pending.text
    else:
        prompt_lines, answer_lines = pending.prompt + pending.text, pending.answer
    prompt = " ".join(p.strip() for p in prompt_lines if p.strip())
    answer = re.sub(r"\n{3,}", "\n\n", "\n".join(answer_lines)).strip()
    label = f"Q{pending.number}" if pending.number else "the question"
    if not prompt:
        return None, [f"{label} has no question text"]
    if not answer:
        return None, [f"{label} has no answer (write it after the question, or on an 'Answer:' line)"]
    source = f"{base}, Q{pending.number}" if pending.number else base
    question = QuestionData(
        slug=unique_slug(slugify(prompt), slugs),
        topic=topic.slug if topic else DEFAULT_TOPIC_SLUG,
        prompt=prompt,
        references=[answer],
        source=source[:MAX_SOURCE],
        file=filename,
        line=pending.line,
    )
    errors = question_errors(question)
    return (None, [f"{label}: {e}" for e in errors]) if errors else (question, [])


def _safe(line: str) -> str:
    # A line of an answer that would read back as a new question, answer or topic is indented.
    return f" {line}" if QUESTION_RE.match(line) or ANSWER_RE.match(line) or TOPIC_RE.match(line) else line


def serialise(bundle: Bundle) -> str:
    names = {t.slug: t.name for t in bundle.topics}
    lines: list[str] = []
    current = None
    for n, q in enumerate(bundle.questions, start=1):
        if q.topic != current:
            current = q.topic
            lines += [f"Topic: {names.get(q.topic, q.topic)}", ""]
        prompt = " ".join(q.prompt.split())
        answer = "\n\n".join(r.strip() for r in q.references).splitlines() or [""]
        lines.append(f"Q{n}: {prompt}")
        lines.append(f"Answer: {answer[0]}".rstrip())
        lines += [_safe(line) for line in answer[1:]]
        lines.append("")
    return "\n".join(lines)
