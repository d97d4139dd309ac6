"""Rules that decide or cap a score before the model's number is trusted.

The thresholds live in `calibration.json` under "rules", next to the model they correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from interviews.scoring.features import Idf
from interviews.scoring.text import STOP_WORDS, stem, words
from interviews.scoring.types import KeyPointMatch

NO_ANSWER = "no answer"
GIBBERISH = "gibberish"
OFF_TOPIC = "off-topic"
RESTATES = "restates the question"
KEYWORDS = "keyword list"
EXACT = "matches a reference answer"
DECLINED_MESSAGE = (
    "Saying you don't know scores 0. In an interview, say what you do know: a partial answer earns "
    "partial credit."
)


# An answer that only says there is no answer: "I don't know", "no idea", "not answered", "skip"...
# Matched on the whole answer's words (lower-cased, punctuation dropped), with polite filler around
# it, so a real answer that merely contains "not sure" is never caught.
_FILLER = r"(?:sorry|um+|uh+|hmm+|well|honestly|really|actually|i|am|m|im|afraid|totally|completely|pretty|just)"
_NON_ANSWER = (
    r"(?:i\s+)?(?:do\s+not|don\s*t|dont|didn\s*t|dnt)\s+(?:really\s+)?(?:know|remember|recall)"
    r"|(?:i\s+)?(?:have\s+)?no\s+(?:idea|clue)|idk|dunno|not\s+sure|unsure|no\s+answer|not\s+answered|unanswered"
    r"|(?:i\s+)?(?:pass|skip|skipped|give\s+up)|n\s*a|tbd|todo|(?:can\s*t|cannot)\s+answer"
)
_TAIL = r"(?:the\s+answer|this(?:\s+one)?|that|it|yet|here|sorry|at\s+all|anymore|to\s+be\s+honest)"
NON_ANSWER_RE = re.compile(rf"(?:{_FILLER}\s+)*(?:{_NON_ANSWER})(?:\s+{_TAIL})*")


def is_no_answer(answer: str) -> bool:
    """Empty, only punctuation, or nothing but a statement of not knowing / not answering."""
    words_only = " ".join(re.findall(r"[a-z0-9]+", answer.lower()))
    return not words_only or NON_ANSWER_RE.fullmatch(words_only) is not None


@dataclass(frozen=True)
class Signals:
    raw: str
    processed: str  # the answer, lower-cased without punctuation
    n_words: int
    feats: dict[str, float]
    coverage: float | None  # share of key points covered, None without key points
    known_share: float  # share of words that are function words or in the bank's vocabulary
    prompt_similarity: float  # token-set ratio with the question, 0-1
    reference_similarity: float  # best plain ratio with a reference answer, 0-1


def known_share(answer: str, idf: Idf) -> float:
    ws = words(answer)
    if not ws:
        return 0.0
    return sum(1 for w in ws if w in STOP_WORDS or stem(w) in idf) / len(ws)


def function_word_share(processed: str) -> float:
    ws = processed.split()
    return sum(1 for w in ws if w in STOP_WORDS) / len(ws) if ws else 0.0


def is_list(answer: str) -> bool:
    """Three or more short items separated by commas, semicolons or lines: terms, not sentences."""
    items = [i for i in re.split(r"[,;\n]|\s-\s|\u2022", answer) if i.strip()]
    if len(items) < 3:
        return False
    sizes = [len(words(i)) for i in items]
    return max(sizes) <= 4 and sum(sizes) / len(sizes) <= 3


def apply(value: float, s: Signals, p: dict[str, float]) -> tuple[float, str | None]:
    """The score after the rules, and the rule that decided it (None if the model's stands)."""
    if s.reference_similarity >= p["exact_similarity"]:
        return max(value, p["exact_floor"]), EXACT
    f = s.feats
    covered_nothing = not s.coverage
    if s.known_share < p["gibberish_known_share"] and f["recall"] < p["off_topic_overlap"]:
        return min(value, p["gibberish_cap"]), GIBBERISH
    # Restating: almost all of the answer is the question's own words, little else is said.
    if (
        s.prompt_similarity >= p["restate_similarity"]
        and f["question_share"] >= p["restate_question_share"]
        and f["recall"] < p["restate_recall"]
    ):
        return min(value, p["restate_cap"]), RESTATES
    unrelated = (
        f["recall"] < p["off_topic_overlap"]
        and f["cosine"] < p["off_topic_overlap"]
        and f["chargram"] < p["off_topic_chargram"]
    )
    if unrelated and covered_nothing:
        return min(value, p["off_topic_cap"]), OFF_TOPIC
    listed = function_word_share(s.processed) < p["keyword_function_share"] or is_list(s.raw)
    if s.n_words >= 3 and listed and value > p["keyword_cap"]:
        return p["keyword_cap"], KEYWORDS
    return value, None


def message(score: int, band: str, rule: str | None, key_points: tuple[KeyPointMatch, ...]) -> str:
    if rule == NO_ANSWER:
        return "No answer was given."
    if rule == GIBBERISH:
        return "This doesn't read as an answer."
    if rule == OFF_TOPIC:
        return "This answer doesn't address the question."
    if rule == RESTATES:
        return "This mostly restates the question; say what the answer is."
    if rule == KEYWORDS:
        return "A list of terms isn't an explanation: write it out in sentences."
    missed = [kp.label for kp in key_points if not kp.covered]
    if rule == EXACT:
        return "This matches a reference answer."
    if missed and band != "strong":
        return f"Scored {score}: {len(missed)} of {len(key_points)} key points are missing."
    return f"Scored {score} ({band})."
