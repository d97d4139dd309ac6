"""The engine: `Engine.fit(questions)` once per bank version, then `engine.score(answer, question)`.

Fitting only gathers IDF statistics over the bank's prompts and reference answers; everything a
question needs for scoring is prepared on first use (or beforehand, by `warm`) and kept in a bounded
cache keyed by the question's text, so a question edited since the fit (a curator trying unsaved
changes) is simply prepared afresh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from rapidfuzz import fuzz

from interviews.scoring import rules
from interviews.scoring.calibration import Calibration
from interviews.scoring.features import (
    Idf,
    PreparedText,
    best_features,
    prepare,
    question_share,
    warm_up,
)
from interviews.scoring.keypoints import (
    AnswerGrams,
    PreparedKeyPoint,
    match_key_points,
    prepare_key_point,
    prepare_phrase,
)
from interviews.scoring.text import content_stems, process
from interviews.scoring.types import Explanation, KeyPointMatch, QuestionSpec, ScoreResult

BANDS = (
    (85, "strong"),
    (70, "good"),
    (45, "partial"),
    (20, "weak"),
    (0, "off-topic"),
)
UNSURE_MARGIN = 3  # points either side of a band boundary
CACHE_SIZE = 1024
MISSING_TERMS = 5


def band_for(score: int) -> str:
    for floor, name in BANDS:
        if score >= floor:
            return name
    return BANDS[-1][1]


def near_boundary(score: float) -> bool:
    return any(abs(score - floor) <= UNSURE_MARGIN for floor, _ in BANDS[:-1])


@dataclass(frozen=True)
class PreparedQuestion:
    fingerprint: int
    prompt: str
    prompt_processed: str
    question_stems: frozenset[str]
    references: tuple[PreparedText, ...]
    references_processed: tuple[str, ...]
    key_points: tuple[PreparedKeyPoint, ...]


def _fingerprint(q: QuestionSpec) -> int:
    return hash((q.prompt, q.references, q.key_points))


class Engine:
    def __init__(self, idf: Idf, calibration: Calibration | None = None):
        self._idf = idf
        self.calibration = calibration or Calibration.load()
        self.version = self.calibration.version
        self._cache: OrderedDict[str, PreparedQuestion] = OrderedDict()

    @classmethod
    def fit(cls, questions: Iterable[QuestionSpec], calibration: Calibration | None = None) -> Engine:
        phrasings: list[str] = []

        def documents():
            for q in questions:
                yield q.prompt
                yield from q.references
                phrasings.extend(p for kp in q.key_points for p in kp.phrasings)

        idf = Idf.fit(documents())
        # Tokenise the vocabulary and the key points' phrasings now, not on an answer's clock.
        warm_up(idf.terms())
        for phrasing in phrasings:
            prepare_phrase(phrasing)
        return cls(idf, calibration)

    # --- preparation --------------------------------------------------------------------------

    def warm(self, questions: Iterable[QuestionSpec]) -> int:
        """Prepare the questions now (as many as the cache holds), so that no answer waits for its
        question's preparation. Returns how many were prepared."""
        prepared = [self.prepare(question) for question in islice(questions, CACHE_SIZE)]
        return len(prepared)

    def prepare(self, question: QuestionSpec) -> PreparedQuestion:
        fp = _fingerprint(question)
        cached = self._cache.get(question.key)
        if cached is not None and cached.fingerprint == fp:
            self._cache.move_to_end(question.key)
            return cached
        q_stems = frozenset(content_stems(question.prompt))
        refs = question.references or (question.prompt,)
        prepared = PreparedQuestion(
            fingerprint=fp,
            prompt=question.prompt,
            prompt_processed=process(question.prompt),
            question_stems=q_stems,
            references=tuple(prepare(r, q_stems, self._idf) for r in refs),
            references_processed=tuple(process(r) for r in refs),
            key_points=tuple(prepare_key_point(kp) for kp in question.key_points),
        )
        self._cache[question.key] = prepared
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return prepared

    def features(self, answer: str, question: QuestionSpec) -> dict[str, float]:
        """The model's features of an answer (for training and evaluation)."""
        pq = self.prepare(question)
        prepared = prepare(answer, pq.question_stems, self._idf)
        feats, _ = best_features(prepared, pq.references, question_share(answer, pq.question_stems))
        return feats

    # --- scoring ------------------------------------------------------------------------------

    def score(self, answer: str, question: QuestionSpec) -> ScoreResult:
        if rules.is_no_answer(answer):
            return self._result(
                0,
                {},
                tuple(KeyPointMatch(kp.label, False) for kp in question.key_points),
                (),
                rule=rules.NO_ANSWER,
                unsure=False,
                message=rules.DECLINED_MESSAGE if answer.strip() else None,
            )
        pq = self.prepare(question)
        cal = self.calibration
        prepared = prepare(answer, pq.question_stems, self._idf)
        share = question_share(answer, pq.question_stems)
        feats, best_ref = best_features(prepared, pq.references, share)
        model = cal.model(feats)
        key_points = match_key_points(AnswerGrams(answer), pq.key_points)
        coverage = sum(kp.covered for kp in key_points) / len(key_points) if key_points else None
        blend = cal.blend(model, coverage)
        value = cal.to_scale(blend)

        processed = process(answer)
        signals = rules.Signals(
            raw=answer,
            processed=processed,
            n_words=len(processed.split()),
            feats=feats,
            coverage=coverage,
            known_share=rules.known_share(answer, self._idf),
            prompt_similarity=fuzz.token_set_ratio(processed, pq.prompt_processed) / 100,
            reference_similarity=max(fuzz.ratio(processed, r) / 100 for r in pq.references_processed),
        )
        value, rule = rules.apply(value, signals, cal.rules)
        score = max(0, min(100, round(value)))

        parts = {k: round(v, 4) for k, v in feats.items()}
        parts["model"] = round(model, 4)
        parts["coverage"] = round(coverage, 4) if coverage is not None else -1.0
        parts["blend"] = round(blend, 4)
        disagree = coverage is not None and abs(coverage - model) > cal.rules["unsure_disagreement"]
        unsure = rule is None and (near_boundary(score) or disagree)
        missing = self._missing_terms(prepared, pq.references[best_ref])
        return self._result(score, parts, key_points, missing, rule=rule, unsure=unsure)

    def _missing_terms(self, answer: PreparedText, ref: PreparedText) -> tuple[str, ...]:
        present = set(answer.weights)
        absent = [(w, t) for t, w in ref.weights.items() if t not in present and len(ref.surface[t]) > 2]
        absent.sort(key=lambda item: -item[0])
        return tuple(ref.surface[t] for _, t in absent[:MISSING_TERMS])

    def _result(self, score, parts, key_points, missing, *, rule, unsure, message=None) -> ScoreResult:
        band = band_for(score)
        return ScoreResult(
            score=score,
            band=band,
            parts=parts,
            explanation=Explanation(
                key_points=tuple(key_points),
                missing_terms=tuple(missing),
                rule=rule,
                message=message or rules.message(score, band, rule, key_points),
                unsure=unsure,
            ),
            version=self.version,
        )
