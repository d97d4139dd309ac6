"""The learned part of the scorer, shipped as a small JSON file (`calibration.json`).

Two stages, both monotone and readable:

1. **The model**: an additive model (scikit-learn `SplineTransformer` + `Ridge`) from the features to
   a human grade (0-1), trained on a human-graded short-answer set. Each feature's learned curve is
   tabulated in the JSON, so scoring is a few interpolations and needs no pickle.
2. **The scale**: the training graders were generous, so the model's output, blended with key-point
   coverage, goes through a monotone (isotonic) mapping fitted on answers of every quality graded by
   a strict interviewer for our own bank. That mapping is what makes 0-100 mean something here.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_PATH = Path(__file__).with_name("calibration.json")
SEED = 0


def interp(x: float, xs: list[float], ys: list[float]) -> float:
    """Piecewise-linear interpolation, constant beyond the ends (pure Python: it's per answer)."""
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect_right(xs, x)
    x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 > x0 else y1


@dataclass(frozen=True)
class Calibration:
    version: str
    features: tuple[str, ...]
    intercept: float
    curves: dict[str, tuple[list[float], list[float]]]  # feature -> (xs, contribution)
    key_point_weight: float  # share of key-point coverage in the blend, when a question has them
    scale: tuple[list[float], list[float]]  # blend -> 0-100
    rules: dict[str, float]
    meta: dict[str, Any]

    @classmethod
    def load(cls, path: Path | str = DEFAULT_PATH) -> Calibration:
        return cls.from_dict(json.loads(Path(path).read_text()))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        model = data["model"]
        return cls(
            version=data["version"],
            features=tuple(model["features"]),
            intercept=float(model["intercept"]),
            curves={k: (list(v["x"]), list(v["y"])) for k, v in model["curves"].items()},
            key_point_weight=float(data["scale"]["key_point_weight"]),
            scale=(list(data["scale"]["x"]), list(data["scale"]["y"])),
            rules=dict(data["rules"]),
            meta=dict(data.get("meta", {})),
        )

    def model(self, feats: dict[str, float]) -> float:
        """The predicted human grade, 0-1, on the training data's (generous) scale."""
        total = self.intercept
        for name in self.features:
            xs, ys = self.curves[name]
            total += interp(feats[name], xs, ys)
        return min(1.0, max(0.0, total))

    def blend(self, model: float, coverage: float | None) -> float:
        if coverage is None:
            return model
        w = self.key_point_weight
        return (1 - w) * model + w * coverage

    def to_scale(self, blend: float) -> float:
        """The blend on the strict interviewer's 0-100 scale."""
        return interp(blend, *self.scale)


# --- training (used by `train_scorer` and `evaluate_scoring --cv`) ---------------------------


def fit_model(
    X: np.ndarray, y: np.ndarray, features: list[str], *, n_knots: int = 3, alpha: float = 10.0
) -> dict[str, Any]:
    """Fit the additive model and tabulate each feature's curve (41 points over its range)."""
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import SplineTransformer

    spline = SplineTransformer(n_knots=n_knots, degree=2, extrapolation="constant")
    basis = spline.fit_transform(X)
    ridge = Ridge(alpha=alpha, random_state=SEED).fit(basis, y)
    per_feature = basis.shape[1] // X.shape[1]
    curves = {}
    intercept = float(ridge.intercept_)
    lows, highs = X.min(axis=0), X.max(axis=0)
    for j, name in enumerate(features):
        grid = np.linspace(lows[j], highs[j], 41)
        probe = np.tile(X.mean(axis=0), (len(grid), 1))
        probe[:, j] = grid
        b = spline.transform(probe)[:, j * per_feature : (j + 1) * per_feature]
        contrib = b @ ridge.coef_[j * per_feature : (j + 1) * per_feature]
        # centre each curve at its value for the feature's mean; the intercept absorbs the rest
        centre = float(np.interp(X[:, j].mean(), grid, contrib))
        intercept += centre
        curves[name] = {
            "x": [round(float(v), 5) for v in grid],
            "y": [round(float(v) - centre, 5) for v in contrib],
        }
    return {"features": list(features), "intercept": round(intercept, 5), "curves": curves}


def fit_scale(blends: np.ndarray, grades: np.ndarray) -> dict[str, list[float]]:
    """A monotone map from the blend to 0-100, fitted on strictly graded answers."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0, y_max=100, increasing=True, out_of_bounds="clip")
    iso.fit(blends, grades)
    xs = [float(v) for v in iso.X_thresholds_]
    ys = [float(v) for v in iso.y_thresholds_]
    # Keep the knots where the step changes; make it strictly increasing in x for interp.
    knots: list[tuple[float, float]] = []
    for x, yv in zip(xs, ys, strict=True):
        if knots and x <= knots[-1][0]:
            continue
        knots.append((round(x, 5), round(yv, 2)))
    return {"x": [k[0] for k in knots], "y": [k[1] for k in knots]}


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) < 2 or np.std(a) == 0 or np.std(b) == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import rankdata

    return pearson(rankdata(a), rankdata(b))
