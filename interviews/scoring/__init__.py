"""The scoring engine: plain Python (scikit-learn, rapidfuzz, numpy), no Django.

Strings in, a small dataclass out. `bank.py` is the only module that builds an engine from the
database; everything here is tested without one. See README.md beside this file.
"""

from interviews.scoring.engine import Engine, band_for
from interviews.scoring.types import (
    Explanation,
    KeyPointMatch,
    KeyPointSpec,
    QuestionSpec,
    ScoreResult,
)

__all__ = [
    "Engine",
    "Explanation",
    "KeyPointMatch",
    "KeyPointSpec",
    "QuestionSpec",
    "ScoreResult",
    "band_for",
]
