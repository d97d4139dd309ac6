"""How much of the Mohler CV figure is selection: nested grouped CV and a question bootstrap.

Run: .venv/bin/python bench/scoring_nested_cv.py [CSV]

`evaluate_scoring --cv` re-fits the model under grouped 10-fold CV with the shipped
hyperparameters (3 spline knots, ridge alpha 10), which were themselves picked on that CV. Here the
outer folds are the same, but each fold picks knots and alpha by an inner grouped 9-fold CV on
its training questions only, so the figure carries no selection on the test questions. As in
`evaluate_scoring`, the "no answer" rule scores 0 and its rows are not used to fit the model. The
bootstrap resamples whole questions to show how far the plain CV figure moves by chance.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interviews.scoring import rules  # noqa: E402
from interviews.scoring.calibration import Calibration, fit_model, pearson  # noqa: E402
from interviews.scoring.training import (  # noqa: E402
    DEFAULT_RULES,
    MODEL_FEATURES,
    _engine_for,
    _figures,
    _grouped_folds,
    feature_matrix,
    read_graded_csv,
)

GRID = list(itertools.product((3, 4, 5), (3.0, 10.0, 30.0)))  # (spline knots, ridge alpha)


def predict(model: dict, X: np.ndarray) -> np.ndarray:
    scale = {"key_point_weight": 0, "x": [0, 1], "y": [0, 100]}
    cal = Calibration.from_dict({"version": "cv", "model": model, "scale": scale, "rules": DEFAULT_RULES})
    return np.array([cal.model(dict(zip(MODEL_FEATURES, row, strict=True))) for row in X])


def main() -> None:
    csv_path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared/asag/mohler/mohler_2011.csv")
    rows = read_graded_csv(csv_path)
    engine, specs = _engine_for(rows)
    X = feature_matrix(engine, [(r.answer, specs[r.question_id]) for r in rows])
    y = np.array([r.score / r.max_score for r in rows])
    scale = np.array([r.max_score for r in rows])
    groups = np.array([r.question_id for r in rows])
    answered = np.array([not rules.is_no_answer(r.answer) for r in rows])

    plain = np.zeros(len(rows))
    nested = np.zeros(len(rows))
    chosen = []
    for tr, te in _grouped_folds(groups, 10):
        tr = tr[answered[tr]]  # the model never scores what the rule decides
        plain[te] = predict(fit_model(X[tr], y[tr], MODEL_FEATURES), X[te])
        best = None
        for knots, alpha in GRID:
            inner = np.zeros(len(tr))
            for itr, ite in _grouped_folds(groups[tr], 9):
                model = fit_model(X[tr][itr], y[tr][itr], MODEL_FEATURES, n_knots=knots, alpha=alpha)
                inner[ite] = predict(model, X[tr][ite])
            r = pearson(inner * scale[tr], y[tr] * scale[tr])
            if best is None or r > best[0]:
                best = (r, knots, alpha)
        chosen.append(best[1:])
        nested[te] = predict(fit_model(X[tr], y[tr], MODEL_FEATURES, n_knots=best[1], alpha=best[2]), X[te])

    plain[~answered] = nested[~answered] = 0.0
    truth = np.array([r.score for r in rows])
    print(f"plain grouped 10-fold CV (shipped knots/alpha): {_figures(plain * scale, truth)}")
    print(f"nested (knots/alpha chosen per fold by inner grouped CV): {_figures(nested * scale, truth)}")
    print(f"chosen (knots, alpha) per outer fold: {chosen}")

    rng = np.random.default_rng(0)
    questions = np.unique(groups)
    members = {q: np.where(groups == q)[0] for q in questions}
    boot = []
    for _ in range(1000):
        idx = np.concatenate([members[q] for q in rng.choice(questions, len(questions))])
        boot.append(pearson(plain[idx], truth[idx]))
    lo, hi = np.percentile(boot, [2.5, 97.5])
    print(
        f"question bootstrap of the plain CV Pearson ({len(questions)} questions): "
        f"sd {np.std(boot):.3f}, 95% {lo:.3f}-{hi:.3f}"
    )


if __name__ == "__main__":
    main()
