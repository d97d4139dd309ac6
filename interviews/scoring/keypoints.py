"""Key-point coverage: typo-tolerant matching of each point's short phrasings against the answer.

A phrasing of n words is compared with every run of n words of the answer, on stems (so plurals
and -ing forms match) and with `rapidfuzz` ratios (so typos match). Short phrasings such as
abbreviations ("BN", "GAN") must match exactly: one letter off is another word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from interviews.scoring.text import STOP_WORDS, stem, words
from interviews.scoring.text import process as default_process
from interviews.scoring.types import KeyPointMatch, KeyPointSpec

MAX_PHRASE_WORDS = 4
EXACT_ONLY_BELOW = 5  # characters; shorter phrasings match exactly only
FUZZY_CUTOFF = 84  # rapidfuzz ratio on stems, 0-100
LABEL_SHARE = 0.6  # without phrasings, this share of the label's content words must be present


@dataclass(frozen=True)
class PreparedKeyPoint:
    label: str
    phrasings: tuple[tuple[str, int, str], ...]  # (stems, word count, words)
    label_stems: tuple[str, ...]


@lru_cache(maxsize=250_000)
def _phrase(text: str) -> tuple[str, int, str]:
    ws = words(default_process(text))
    return " ".join(stem(w) for w in ws), len(ws), " ".join(ws)


prepare_phrase = _phrase


def prepare_key_point(spec: KeyPointSpec) -> PreparedKeyPoint:
    phrasings = tuple(p for p in (_phrase(text) for text in spec.phrasings) if 0 < p[1] <= MAX_PHRASE_WORDS)
    label_stems = tuple(dict.fromkeys(stem(w) for w in words(spec.label) if w not in STOP_WORDS))
    return PreparedKeyPoint(spec.label, phrasings, label_stems)


class AnswerGrams:
    """The answer's runs of 1-4 words, as stem strings, each with the words it came from."""

    def __init__(self, text: str):
        self._words = words(text)
        self._stems = [stem(w) for w in self._words]
        self._by_size: dict[int, dict[str, tuple[str, ...]]] = {}
        self._keys: dict[int, list[str]] = {}
        self._surface: dict[int, list[tuple[str, ...]]] = {}

    def grams(self, n: int) -> dict[str, tuple[str, ...]]:
        """Stem runs of n words -> the answer words they came from (built once per size)."""
        grams = self._by_size.get(n)
        if grams is None:
            grams = {}
            ws, stems = self._words, self._stems
            for i in range(len(ws) - n + 1):
                key = " ".join(stems[i : i + n]) if n > 1 else stems[i]
                if key not in grams:
                    grams[key] = tuple(ws[i : i + n])
            self._by_size[n] = grams
        return grams

    def _fuzzy_candidates(self, n: int) -> tuple[list[str], list[tuple[str, ...]]]:
        """Surface runs for fuzzy matching (stems of a misspelt word can diverge), built on demand.

        Runs that begin or end with a function word are left out ("of the loss" must not fuzzily
        match "the loss"); exact matches take any run, so a phrasing such as "more data" or "no
        learned parameters" still matches word for word.
        """
        if n not in self._keys:
            seen: dict[str, tuple[str, ...]] = {}
            ws = self._words
            for i in range(len(ws) - n + 1):
                if n == 1 or (ws[i] not in STOP_WORDS and ws[i + n - 1] not in STOP_WORDS):
                    gram = tuple(ws[i : i + n])
                    seen.setdefault(" ".join(gram), gram)
            self._keys[n] = list(seen)
            self._surface[n] = list(seen.values())
        return self._keys[n], self._surface[n]

    def find(self, phrase: str, size: int, surface: str = "") -> tuple[str, ...] | None:
        """The answer words matching a phrasing (its stems, or its surface words), or None."""
        grams = self.grams(size)
        hit = grams.get(phrase)
        if hit is not None:
            return hit
        surface = surface or phrase
        if len(surface) < EXACT_ONLY_BELOW or not grams:
            return None
        keys, surfaces = self._fuzzy_candidates(size)
        best = process.extractOne(surface, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return surfaces[best[2]] if best else None


def match_key_points(answer: AnswerGrams, key_points: tuple[PreparedKeyPoint, ...]) -> tuple[KeyPointMatch, ...]:
    matches = []
    for kp in key_points:
        matched: list[str] = []
        for phrase, size, surface in kp.phrasings:
            hit = answer.find(phrase, size, surface)
            if hit:
                shown = [w for w in hit if w not in STOP_WORDS] or list(hit)
                matched.extend(w for w in shown if w not in matched)
        if not kp.phrasings and kp.label_stems:
            present = [s for s in kp.label_stems if answer.find(s, 1)]
            if len(present) >= LABEL_SHARE * len(kp.label_stems):
                matched = [w for s in present for w in (answer.find(s, 1) or ())]
        matches.append(KeyPointMatch(kp.label, bool(matched), tuple(matched)))
    return tuple(matches)
