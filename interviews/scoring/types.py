"""The values that cross the boundary between the engine and the rest of the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class KeyPointSpec:
    label: str
    phrasings: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSpec:
    """What the engine knows of a question. `key` identifies it across fits (the question's uuid)."""

    key: str
    prompt: str
    references: tuple[str, ...]
    key_points: tuple[KeyPointSpec, ...] = ()


@dataclass(frozen=True)
class KeyPointMatch:
    label: str
    covered: bool
    matched: tuple[str, ...] = ()  # the words of the answer that showed the point


@dataclass(frozen=True)
class Explanation:
    key_points: tuple[KeyPointMatch, ...] = ()
    missing_terms: tuple[str, ...] = ()  # important reference terms the answer lacks
    rule: str | None = None  # the rule that decided or capped the score, if any
    message: str = ""
    unsure: bool = False

    @property
    def covered(self) -> tuple[KeyPointMatch, ...]:
        return tuple(kp for kp in self.key_points if kp.covered)

    @property
    def missed(self) -> tuple[KeyPointMatch, ...]:
        return tuple(kp for kp in self.key_points if not kp.covered)


@dataclass(frozen=True)
class ScoreResult:
    score: int  # 0-100
    band: str
    parts: dict[str, float] = field(default_factory=dict)
    explanation: Explanation = field(default_factory=Explanation)
    version: str = ""

    def explanation_dict(self) -> dict[str, Any]:
        """The explanation as JSON-ready data, as stored on an attempt: `dataclasses.asdict`'s result,
        built by hand (asdict deep-copies every value on the way, on every answer's clock)."""
        e = self.explanation
        return {
            "key_points": tuple(
                {"label": kp.label, "covered": kp.covered, "matched": kp.matched} for kp in e.key_points
            ),
            "missing_terms": e.missing_terms,
            "rule": e.rule,
            "message": e.message,
            "unsure": e.unsure,
        }
