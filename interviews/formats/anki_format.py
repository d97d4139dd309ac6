"""Anki's "Notes in Plain Text" (Anki 2.1.55+, File > Export and File > Import): one note a line.

    #separator:tab
    #html:true
    #notetype:Basic
    #guid column:1
    #deck column:4
    #tags column:5
    <guid>  <Front>  <Back>  MLPrep::<topic name>  <topic-slug> <difficulty>   (tab-separated)

Writing produces exactly that (Anki reads the columns from the headers). The guid is the
question's slug, the bank's stable name for it: importing the file into Anki again updates the same
notes instead of adding copies, and importing it into the bank updates the same questions. Front
and Back are HTML: `&`, `<`, `>` escaped, line breaks as `<br>`, several reference answers separated
by `<hr>`, then the key-point labels as `<div class="key-points"><b>Key points</b><ul><li>...`. In
the deck a `::` inside the topic's name becomes `:`, so the topic stays one deck level. Tabs inside
a text become spaces; a field holding a `"` is quoted as Anki quotes it (`"..."`, with `""` for a
quote).

Reading:
- The header is the `#` lines at the top of the file; `#key:value` lines set `separator` (tab,
  comma, semicolon, space, pipe, colon, or one of those characters; default tab), `html` (true or
  false; absent means plain text: Anki writes the header in every export, and a hand-made file
  without it is safer read literally than with `a < b` taken for a tag), `notetype` (a cloze
  notetype is refused), `deck` and `tags` (for every note), and `guid column`, `deck column`,
  `tags column`, `notetype column` (1-based). Other keys (`columns` among them) are ignored. Later
  lines starting with `#` and blank lines are skipped, as Anki skips them (Anki quotes a field
  that starts with `#`).
- Notes are split like CSV (quotechar `"`), so a quoted field may hold the separator or line breaks;
  errors name the line where the note starts. The columns that are not guid, deck, tags or
  notetype are the note's fields: the first is the question, the second the answer, any more are
  ignored.
- With html on, `<br>`, `</div>`, `</p>` and `</li>` are line breaks, `<hr>` in the answer separates
  reference answers, other tags are dropped and entities decoded (`&nbsp;` is a space). The key-point
  block written above becomes key points (labels only); with html off the fields are plain text.
- The question's text is one line; the topic is the last `::` part of the deck (the deck column,
  else `#deck`; matched to an existing topic by name or slug, created when there is none; without a
  deck, "Imported questions"); the difficulty is the first tag that is easy, medium or hard (column
  tags, then `#tags`; default medium). A guid shaped like a slug is the question's slug, one that is
  a UUID its uuid; Anki's own guids are short random strings, so a note made in Anki gets a slug
  made from its question.

What is lost: phrasings, concepts, time limits, status, sources and line breaks in a question's
text are not carried back (an imported question gets 180 seconds and is published). Importing an
Anki file over existing questions (matched by slug) therefore drops their phrasings and concepts,
resets their time limits and publishes drafts; use JSON, CSV or GIFT to round-trip. A draft without
a reference answer is written with an empty Back, which reads back as an error.
"""

from __future__ import annotations

import csv
import html
import io
import re
import uuid as uuid_lib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from interviews.formats.common import (
    DEFAULT_TOPIC_NAME,
    DEFAULT_TOPIC_SLUG,
    MAX_SOURCE,
    SLUG_RE,
    question_errors,
    slugify,
    topic_from_name,
    unique_slug,
)
from interviews.formats.types import DIFFICULTIES, Bundle, FormatError, KeyPointData, Problem, QuestionData, TopicData

HEADERS = [
    "#separator:tab",
    "#html:true",
    "#notetype:Basic",
    "#guid column:1",
    "#deck column:4",
    "#tags column:5",
]
DECK_ROOT = "MLPrep"
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
COLUMN_KEYS = ("guid column", "deck column", "tags column", "notetype column")
# The headers the registry takes as proof that a `.txt` file is Anki's rather than Q/A text.
SNIFF_RE = re.compile(
    r"#\s*(?:separator|html|notetype|deck|tags|columns|guid column|deck column|tags column|notetype column)\s*:",
    re.IGNORECASE,
)

KEY_POINTS_RE = re.compile(
    r"<div\b[^>]*\bclass\s*=\s*[\"']?key-points\b[^>]*>(.*?)</div\s*>", re.IGNORECASE | re.DOTALL
)
# `</li>` may be left out in HTML: an item ends where the next one or the list does.
ITEM_RE = re.compile(r"<li\b[^>]*>(.*?)(?=<li\b|</[uo]l\s*>|$)", re.IGNORECASE | re.DOTALL)
RULE_RE = re.compile(r"<hr\b[^>]*>", re.IGNORECASE)
BREAK_RE = re.compile(r"<br\b[^>]*>|</(?:div|p|li)\s*>", re.IGNORECASE)
HIDDEN_RE = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# A `<` followed by a letter: "a < b" in a hand-made field is text, not a tag.
TAG_RE = re.compile(r"<!--.*?-->|</?[a-zA-Z][^>]*>", re.DOTALL)


def looks_like_anki(text: str) -> bool:
    """Whether the first line is one of Anki's headers (a Q/A text file never starts with one)."""
    return bool(SNIFF_RE.match(text.partition("\n")[0]))


# --- reading ----------------------------------------------------------------------------------------


@dataclass
class _Header:
    separator: str = "\t"
    html: bool = False
    deck: str = ""
    tags: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # "deck column" -> its 1-based number


def _read_header(lines: list[str], filename: str, problems: list[Problem]) -> tuple[_Header, int]:
    """The settings of the `#` lines at the top, and how many lines they take."""
    header = _Header()
    used = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.startswith("#"):
            break
        used = number
        key, colon, value = raw[1:].rstrip("\r\n").partition(":")
        if not colon:
            continue  # a comment
        key, stripped = key.strip().lower(), value.strip()
        if key == "separator":
            # The value is not stripped first: "#separator: " names a space.
            separator = SEPARATORS.get(stripped.lower())
            if separator is None and stripped in SEPARATORS.values():
                separator = stripped
            if separator is None and value in ("\t", " "):
                separator = value
            if separator is None:
                # Reading on with tab still reports the notes' own problems in this run.
                names = ", ".join(SEPARATORS)
                problems.append(Problem(filename, number, f"unknown separator {value!r}; use one of {names}"))
            else:
                header.separator = separator
        elif key == "html":
            if stripped.lower() not in ("true", "false"):
                problems.append(Problem(filename, number, f"html must be true or false, not {value!r}"))
            header.html = stripped.lower() == "true"
        elif key == "notetype":
            if "cloze" in stripped.lower():
                problems.append(Problem(filename, number, _cloze(stripped)))
        elif key == "deck":
            header.deck = stripped
        elif key == "tags":
            header.tags = stripped.split()
        elif key in COLUMN_KEYS:
            column = int(stripped) if stripped.isdecimal() else 0
            if column < 1:
                problems.append(Problem(filename, number, f"{key} must be a column number (1, 2, ...), not {value!r}"))
            elif any(c == column for k, c in header.columns.items() if k != key):
                problems.append(Problem(filename, number, f"{key} {column} is already another header's column"))
            else:
                header.columns[key] = column
    return header, used


def _cloze(notetype: str) -> str:
    return f"notetype {notetype!r}: cloze notes are not question-and-answer notes"


class _Lines:
    """Feeds the csv reader one line at a time, skipping the blank and `#` lines between notes
    (Anki's reader takes a note that starts with `#` for a comment), and remembers where each note starts.
    A line inside a quoted field is never skipped: the reader asks for it in the middle of a note."""

    def __init__(self, lines: list[str], first: int):
        self.lines, self.index = lines, first
        self.between_notes = True
        self.start = first

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while self.index < len(self.lines):
            line = self.lines[self.index]
            self.index += 1
            if self.between_notes:
                if not line.strip() or line.startswith("#"):
                    continue
                self.between_notes = False
                self.start = self.index  # 1-based: the line just read
            return line
        raise StopIteration

    @property
    def exhausted(self) -> bool:
        return self.index >= len(self.lines)


def parse(text: str, filename: str = "<anki>") -> Bundle:
    problems: list[Problem] = []
    # Each line keeps its "\n", which the csv reader needs to keep a line break inside a quoted field;
    # not str.splitlines, which also breaks at form feeds and U+2028 and would shift the line numbers.
    lines = re.findall(r"[^\n]*\n|[^\n]+", text)
    header, used = _read_header(lines, filename, problems)
    columns = header.columns
    meta = set(columns.values())

    bundle = Bundle()
    topics: dict[str, TopicData] = {}
    decks: dict[str, TopicData] = {}
    slugs: set[str] = set()
    base = PurePath(filename).name
    source = _Lines(lines, used)
    reader = csv.reader(source, delimiter=header.separator, quotechar='"')
    while True:
        source.between_notes = True
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(filename, source.start, f"malformed note: {exc}"))
            continue
        line = source.start
        if source.exhausted and _unclosed_quote(lines[line - 1 : source.index], header.separator):
            problems.append(Problem(filename, line, 'a quoted field opened on this line is never closed (a lone ")'))
            break

        fields = [value for i, value in enumerate(row, start=1) if i not in meta]
        if len(fields) < 2:
            problems.append(Problem(filename, line, _too_few(len(fields), header.separator)))
            continue
        if "cloze" in _cell(row, columns, "notetype column").lower():
            problems.append(Problem(filename, line, _cloze(_cell(row, columns, "notetype column"))))
            continue

        prompt, references, key_points = _note(fields[0], fields[1], header.html)
        if not prompt:
            problems.append(Problem(filename, line, "the note has no question (its first field is empty)"))
        if not references:
            problems.append(Problem(filename, line, "the note has no answer (its second field is empty)"))
        if not prompt or not references:
            continue

        deck = _cell(row, columns, "deck column") or header.deck
        if deck not in decks:
            topic, errors = _topic(deck)
            problems.extend(Problem(filename, line, e) for e in errors)
            decks[deck] = topics.setdefault(topic.slug, topic)
        tags = [t.lower() for t in _cell(row, columns, "tags column").split() + header.tags]
        guid = _cell(row, columns, "guid column")
        if SLUG_RE.match(guid) and guid in slugs:
            problems.append(Problem(filename, line, f"the guid {guid!r} is another note's too"))
            continue
        if SLUG_RE.match(guid):
            slugs.add(guid)
        question = QuestionData(
            slug=guid if SLUG_RE.match(guid) else unique_slug(slugify(prompt), slugs),
            topic=decks[deck].slug,
            prompt=prompt,
            references=references,
            key_points=key_points,
            difficulty=next((t for t in tags if t in DIFFICULTIES), "medium"),
            source=f"{base}, line {line}"[:MAX_SOURCE],
            uuid=_uuid(guid),
            file=filename,
            line=line,
        )
        errors = question_errors(question)
        problems.extend(Problem(filename, line, e) for e in errors)
        if not errors:
            bundle.questions.append(question)
    if problems:
        raise FormatError(problems)
    bundle.topics = list(topics.values())
    return bundle


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return row[index - 1].strip() if index and index <= len(row) else ""


def _too_few(count: int, separator: str) -> str:
    name = next((n for n, s in SEPARATORS.items() if s == separator), separator)
    fields = "1 field" if count == 1 else f"{count} fields"
    return f"a note needs a question and an answer, but this line has {fields}; is the separator ({name}) right?"


def _unclosed_quote(lines: list[str], separator: str) -> bool:
    # The lenient reader (which, like Anki's, takes `"a" b` as `a b`) silently swallows the rest of
    # the file into a field whose quote is never closed; a strict one says so.
    try:
        list(csv.reader(lines, delimiter=separator, quotechar='"', strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _note(question: str, answer: str, is_html: bool) -> tuple[str, list[str], list[KeyPointData]]:
    if not is_html:
        text = _tidy(answer.replace("\r\n", "\n"))
        return " ".join(question.split()), [text] if text else [], []
    key_points: list[KeyPointData] = []

    def take(match: re.Match) -> str:
        for item in ITEM_RE.findall(match.group(1)):
            if label := " ".join(_from_html(item).split()):
                key_points.append(KeyPointData(label=label))
        return ""

    answer = KEY_POINTS_RE.sub(take, answer)
    references = [text for part in RULE_RE.split(answer) if (text := _from_html(part))]
    return " ".join(_from_html(question).split()), references, key_points


def _from_html(text: str) -> str:
    text = HIDDEN_RE.sub("", text)
    text = re.sub(r"\s+", " ", text)  # in HTML a line break in the source is a space
    text = TAG_RE.sub("", BREAK_RE.sub("\n", text))
    text = html.unescape(text).replace("\xa0", " ")
    return _tidy("\n".join(" ".join(line.split()) for line in text.split("\n")))


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n"))).strip()


def _topic(deck: str) -> tuple[TopicData, list[str]]:
    parts = [p.strip() for p in deck.split("::") if p.strip()]
    if not parts:
        return TopicData(slug=DEFAULT_TOPIC_SLUG, name=DEFAULT_TOPIC_NAME, description=None), []
    return topic_from_name(parts[-1])


def _uuid(guid: str) -> str | None:
    try:
        return str(uuid_lib.UUID(guid))
    except ValueError:
        return None


# --- writing ----------------------------------------------------------------------------------------


def _html(text: str) -> str:
    """A text as one line of HTML."""
    return re.sub(r"\r\n|\r|\n", "<br>", html.escape(text, quote=False).replace("\t", " "))


def _plain(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", text)


def serialise(bundle: Bundle) -> str:
    names = {t.slug: t.name for t in bundle.topics}
    out = io.StringIO(newline="")
    out.write("".join(f"{h}\n" for h in HEADERS))
    # Minimal quoting, as Anki writes: only a field holding a `"` is quoted (tabs and line breaks are gone).
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\n")
    for q in bundle.questions:
        back = "<hr>".join(_html(r) for r in q.references)
        if q.key_points:
            items = "".join(f"<li>{_html(kp.label)}</li>" for kp in q.key_points)
            back += f'<div class="key-points"><b>Key points</b><ul>{items}</ul></div>'
        name = re.sub(r":{2,}", ":", names.get(q.topic) or q.topic)
        writer.writerow(
            [
                _plain(q.slug),
                _html(q.prompt),
                back,
                _plain(f"{DECK_ROOT}::{name}"),
                _plain(f"{q.topic} {q.difficulty}"),
            ]
        )
    return out.getvalue()
