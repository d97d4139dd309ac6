"""Features of an answer against a question's reference answers.

Every feature is generic (no subject vocabulary) and lies roughly in 0..1. Words of the question
are removed from both sides before comparing, so restating the question earns nothing. Each
feature is computed against every reference answer and the best-matching reference wins.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from interviews.scoring.text import STOP_WORDS, stem, words

# A reference term counts as present if an answer word is this close (typo tolerance), for terms
# long enough that a one-letter slip does not turn them into another word.
TERM_FUZZ_CUTOFF = 84
TERM_FUZZ_MIN_LEN = 5
CHARGRAM_SIZES = (3, 4, 5)


class Idf:
    """Inverse document frequency of stems over the bank (prompts and reference answers)."""

    def __init__(self, doc_freq: dict[str, int], n_docs: int):
        self.n_docs = max(n_docs, 1)
        self._idf = {t: math.log((1 + self.n_docs) / (1 + df)) + 1.0 for t, df in doc_freq.items()}
        self.unseen = math.log(1 + self.n_docs) + 1.0

    @classmethod
    def fit(cls, documents: Iterable[str]) -> Idf:
        doc_freq: Counter[str] = Counter()
        n = 0
        for doc in documents:
            n += 1
            doc_freq.update({stem(w) for w in words(doc) if w not in STOP_WORDS})
        return cls(dict(doc_freq), n)

    def terms(self) -> list[str]:
        return list(self._idf)

    def __call__(self, term: str) -> float:
        return self._idf.get(term, self.unseen)

    def __contains__(self, term: str) -> bool:
        return term in self._idf

    @property
    def max(self) -> float:
        return self.unseen


@dataclass(frozen=True)
class PreparedText:
    """A text reduced once to what the features need: stems without question words, and so on."""

    raw: str
    stems: tuple[str, ...]  # content stems, question words removed, in order
    surface: dict[str, str]  # stem -> a word of the text that produced it (for explanations)
    stripped: str  # the text's words without the question's words (for fuzzy ratios)
    weights: dict[str, float]  # stem -> tf-idf weight
    norm: float
    chargram_ids: np.ndarray  # character 3-5-grams of the stems (sorted ids) ...
    chargram_vals: np.ndarray  # ... carrying their weights
    chargram_norm: float


def prepare(text: str, question_stems: frozenset[str], idf: Idf) -> PreparedText:
    stems: list[str] = []
    surface: dict[str, str] = {}
    kept: list[str] = []  # every word but the question's (function words too), for fuzzy ratios
    for w in words(text):
        s = stem(w)
        if s in question_stems:
            continue
        kept.append(w)
        if w in STOP_WORDS:
            continue
        stems.append(s)
        surface.setdefault(s, w)
    counts = Counter(stems)
    weights = {t: (1.0 + math.log(c)) * idf(t) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    stripped = " ".join(kept)  # the same as text.without_words(text, question_stems), one pass fewer
    chargram_ids, chargram_vals = _chargram_vector(weights)
    return PreparedText(
        raw=text,
        stems=tuple(stems),
        surface=surface,
        stripped=stripped,
        weights=weights,
        norm=norm,
        chargram_ids=chargram_ids,
        chargram_vals=chargram_vals,
        chargram_norm=float(np.sqrt(chargram_vals @ chargram_vals)) or 1.0,
    )


def _chargram_vector(weights: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Each term spreads sqrt(its weight) evenly over its character n-grams; grams shared by
    several terms add up. A sparse vector as sorted unique gram ids and their values (numpy does
    the summing: this runs for every answer and every reference)."""
    if not weights:
        return _EMPTY_IDS, _EMPTY_VALS
    parts = [_term_grams(t) for t in weights]
    sizes = [len(p) for p in parts]
    ids = np.concatenate(parts)
    shares = np.repeat([math.sqrt(w) / n for w, n in zip(weights.values(), sizes, strict=True)], sizes)
    unique, inverse = np.unique(ids, return_inverse=True)
    return unique, np.bincount(inverse, weights=shares)


def warm_up(terms: Iterable[str]) -> None:
    """Compute the character n-grams of the bank's vocabulary at fit time, not on an answer's clock."""
    for term in terms:
        _term_grams(term)


_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_VALS = np.zeros(0, dtype=np.float64)
_gram_ids: dict[str, int] = {}
_next_gram_id = itertools.count()  # next() is atomic: threads never hand out one id twice


@lru_cache(maxsize=200_000)
def _term_grams(term: str) -> np.ndarray:
    """The ids of a term's character n-grams (ids are handed out on first sight, process-wide)."""
    ids = []
    for gram in _char_grams(term):
        gram_id = _gram_ids.get(gram)
        if gram_id is None:
            gram_id = _gram_ids.setdefault(gram, next(_next_gram_id))
        ids.append(gram_id)
    return np.array(ids, dtype=np.int64)


@lru_cache(maxsize=20_000)
def _char_grams(term: str) -> tuple[str, ...]:
    padded = f" {term} "
    return tuple(padded[i : i + n] for n in CHARGRAM_SIZES for i in range(len(padded) - n + 1))


def _fuzzy_present(terms: Iterable[str], pool: tuple[str, ...], exact: set[str]) -> set[str]:
    """The terms found in `pool`, exactly or (for long enough terms) with a typo."""
    found = {t for t in terms if t in exact}
    candidates = [t for t in terms if t not in exact and len(t) >= TERM_FUZZ_MIN_LEN]
    if candidates and pool:
        # One vectorised call instead of one per term: this is the hot path.
        hits = process.cdist(candidates, pool, scorer=fuzz.ratio, score_cutoff=TERM_FUZZ_CUTOFF)
        found.update(t for t, row in zip(candidates, hits.any(axis=1), strict=True) if row)
    return found


FEATURE_NAMES = (
    "cosine",
    "recall",
    "precision",
    "chargram",
    "token_set",
    "stem_set",
    "length",
    "question_share",
    "answer_size",
)


def compare(answer: PreparedText, ref: PreparedText, question_share: float) -> dict[str, float]:
    """The features of one answer against one reference answer."""
    a_terms = set(answer.weights)
    r_terms = set(ref.weights)
    pool = tuple(a_terms)
    shared = a_terms & r_terms
    recalled = _fuzzy_present(r_terms - shared, pool, set()) | shared
    r_total = sum(ref.weights.values()) or 1.0
    recall = sum(ref.weights[t] for t in recalled) / r_total
    ref_pool = tuple(r_terms)
    precise = _fuzzy_present(a_terms - shared, ref_pool, set()) | shared
    a_total = sum(answer.weights.values())
    precision = sum(answer.weights[t] for t in precise) / a_total if a_total else 0.0
    dot = sum(w * ref.weights[t] for t, w in answer.weights.items() if t in ref.weights)
    cosine = dot / (answer.norm * ref.norm) if answer.weights else 0.0
    _, ia, ir = np.intersect1d(answer.chargram_ids, ref.chargram_ids, assume_unique=True, return_indices=True)
    chargram = float(answer.chargram_vals[ia] @ ref.chargram_vals[ir]) / (answer.chargram_norm * ref.chargram_norm)
    a_str, r_str = answer.stripped, ref.stripped
    token_set = fuzz.token_set_ratio(a_str, r_str) / 100 if a_str else 0.0
    token_sort = fuzz.token_set_ratio(" ".join(answer.stems), " ".join(ref.stems)) / 100
    length = math.log((1 + len(answer.stems)) / (1 + len(ref.stems)))
    return {
        "cosine": cosine,
        "recall": recall,
        "precision": precision,
        "chargram": chargram,
        "token_set": token_set,
        "stem_set": token_sort,
        "length": max(-2.0, min(1.0, length)),
        "question_share": question_share,
        "answer_size": min(1.0, math.log1p(len(answer.stems)) / math.log(60)),
    }


def question_share(answer_text: str, question_stems: frozenset[str]) -> float:
    """How much of the answer's content is words of the question."""
    content = [stem(w) for w in words(answer_text) if w not in STOP_WORDS]
    if not content:
        return 0.0
    return sum(1 for s in content if s in question_stems) / len(content)


def best_features(answer: PreparedText, refs: Iterable[PreparedText], share: float) -> tuple[dict[str, float], int]:
    """The features against the best-matching reference, and that reference's index."""
    best: dict[str, float] | None = None
    best_i = 0
    best_key = -1.0
    for i, ref in enumerate(refs):
        feats = compare(answer, ref, share)
        key = feats["cosine"] + feats["recall"] + feats["token_set"]
        if key > best_key:
            best, best_i, best_key = feats, i, key
    assert best is not None
    return best, best_i
