"""A first engine: TF-IDF cosine and rapidfuzz similarity against every reference answer.

The scoring issue deepens this (key points, calibration, rules); the interface stays:
`Engine.fit(questions)` once per bank version, then `engine.score(answer, question)`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, utils
from sklearn.feature_extraction.text import TfidfVectorizer

from interviews.scoring.types import Explanation, KeyPointMatch, QuestionSpec, ScoreResult

VERSION = "0.1-baseline"

BANDS = (
    (85, "strong"),
    (70, "good"),
    (45, "partial"),
    (20, "weak"),
    (0, "off-topic"),
)


def band_for(score: int) -> str:
    for floor, name in BANDS:
        if score >= floor:
            return name
    return BANDS[-1][1]


class Engine:
    version = VERSION

    def __init__(self, vectorizer: TfidfVectorizer, questions: dict[str, QuestionSpec]):
        self._vectorizer = vectorizer
        self._questions = questions

    @classmethod
    def fit(cls, questions: Iterable[QuestionSpec]) -> Engine:
        specs = {q.key: q for q in questions}
        corpus = [q.prompt for q in specs.values()]
        corpus += [ref for q in specs.values() for ref in q.references]
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        vectorizer.fit(corpus or ["empty bank"])
        return cls(vectorizer, specs)

    def score(self, answer: str, question: QuestionSpec) -> ScoreResult:
        if not answer.strip():
            return ScoreResult(
                score=0,
                band="off-topic",
                parts={"tfidf": 0.0, "fuzzy": 0.0},
                explanation=Explanation(
                    key_points=tuple(KeyPointMatch(kp.label, False) for kp in question.key_points),
                    rule="no answer",
                    message="No answer was given.",
                ),
                version=self.version,
            )
        references = list(question.references) or [question.prompt]
        matrix = self._vectorizer.transform([answer, *references])
        cosines = (matrix[1:] @ matrix[0].T).toarray().ravel()
        tfidf = float(np.max(cosines)) if cosines.size else 0.0
        fuzzy = max(
            fuzz.token_set_ratio(answer, ref, processor=utils.default_process) / 100
            for ref in references
        )
        score = round(100 * min(1.0, 0.6 * tfidf + 0.4 * fuzzy))
        return ScoreResult(
            score=score,
            band=band_for(score),
            parts={"tfidf": round(tfidf, 4), "fuzzy": round(fuzzy, 4)},
            explanation=Explanation(
                key_points=tuple(KeyPointMatch(kp.label, False) for kp in question.key_points),
            ),
            version=self.version,
        )
