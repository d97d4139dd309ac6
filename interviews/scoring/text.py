"""Text normalisation shared by the features, the key points and the rules.

Deliberately small and language-generic: lower-casing, a word regex, a short list of English
function words and a light suffix stemmer. Nothing here knows any subject's vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import utils

WORD_RE = re.compile(r"[a-z0-9]+")

# English function words only (no content words: "system", "first", "value" stay meaningful).
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "etc",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "lets",
        "like",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "rather",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "via",
        "was",
        "way",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "whereas",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yes",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "basically",
        "simply",
        "usually",
        "called",
        "make",
        "makes",
        "made",
        "many",
        "need",
        "needs",
        "something",
        "whatever",
        "therefore",
    ]
)

_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("isation", "ize"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("nesses", ""),
    ("ness", ""),
    ("ments", ""),
    ("ment", ""),
    ("ities", ""),
    ("ity", ""),
    ("ings", ""),
    ("ing", ""),
    ("ised", "ize"),
    ("ized", "ize"),
    ("ises", "ize"),
    ("izes", "ize"),
    ("ise", "ize"),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", ""),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper: enough to join plurals, -ing/-ed forms and -ise/-ize spellings."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            # "loss", "basis", "bias" and "corpus" are not plurals; "gpus" and "tpus" are.
            if suffix == "s" and (word.endswith(("ss", "is", "as")) or (word.endswith("us") and len(word) > 4)):
                return word
            base = word[: -len(suffix)] + replacement
            # "running" -> "runn" -> "run"; "stopped" -> "stop"
            if suffix in ("ing", "ed", "ings") and len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]
            if suffix in ("ing", "ed", "ings", "es") and base.endswith("e") and len(base) > 4:
                base = base[:-1]
            return base
    return word


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits)."""
    return WORD_RE.findall(text.lower())


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def process(text: str) -> str:
    """The processor for every rapidfuzz ratio: lower-case, punctuation stripped, trimmed."""
    return utils.default_process(text)


def without_words(text: str, drop: frozenset[str]) -> str:
    """The text's words, with those whose stem is in `drop` removed (restating earns nothing)."""
    return " ".join(w for w in words(text) if stem(w) not in drop)
