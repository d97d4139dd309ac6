"""Training and evaluation of the calibration: pure functions behind `train_scorer` and
`evaluate_scoring`.

Reproducible: no randomness except fold assignment, which is deterministic (GroupKFold).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from interviews.scoring import rules
from interviews.scoring.calibration import (
    Calibration,
    fit_model,
    fit_scale,
    pearson,
    spearman,
)
from interviews.scoring.engine import Engine, band_for
from interviews.scoring.types import KeyPointSpec, QuestionSpec

MODEL_FEATURES = ["cosine", "recall", "precision", "length", "chargram", "stem_set", "token_set"]
KEY_POINT_WEIGHTS = (0.0, 0.2, 0.35, 0.5, 0.65)
FOLDS = 10

DEFAULT_RULES = {
    "exact_similarity": 0.97,
    "exact_floor": 97.0,
    "gibberish_known_share": 0.4,
    "gibberish_cap": 2.0,
    "off_topic_overlap": 0.06,
    "off_topic_chargram": 0.2,
    "off_topic_cap": 5.0,
    "restate_similarity": 0.8,
    "restate_question_share": 0.6,
    "restate_recall": 0.2,
    "restate_cap": 12.0,
    "keyword_function_share": 0.12,
    "keyword_cap": 50.0,
    "unsure_disagreement": 0.45,
}


@dataclass(frozen=True)
class GradedRow:
    question_id: str
    question: str
    reference: str
    answer: str
    score: float
    max_score: float


def read_graded_csv(path: Path | str) -> list[GradedRow]:
    """Rows of a graded short-answer CSV (question, reference_answer, student_answer, score,
    max_score, optionally question_id)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [
            GradedRow(
                question_id=r.get("question_id") or r["question"],
                question=r["question"],
                reference=r["reference_answer"],
                answer=r["student_answer"],
                score=float(r["score"]),
                max_score=float(r["max_score"]),
            )
            for r in csv.DictReader(fh)
        ]


def question_specs(rows: list[GradedRow]) -> dict[str, QuestionSpec]:
    specs: dict[str, QuestionSpec] = {}
    refs: dict[str, list[str]] = {}
    for r in rows:
        refs.setdefault(r.question_id, [])
        if r.reference not in refs[r.question_id]:
            refs[r.question_id].append(r.reference)
        specs[r.question_id] = QuestionSpec(r.question_id, r.question, tuple(refs[r.question_id]))
    return specs


def feature_matrix(engine: Engine, pairs: list[tuple[str, QuestionSpec]]) -> np.ndarray:
    rows = []
    for answer, spec in pairs:
        f = engine.features(answer, spec)
        rows.append([f[n] for n in MODEL_FEATURES])
    return np.array(rows, dtype=float)


def _engine_for(rows: list[GradedRow], calibration: Calibration | None = None) -> tuple:
    specs = question_specs(rows)
    engine = Engine.fit(specs.values(), calibration)
    return engine, specs


def _grouped_folds(groups: np.ndarray, folds: int):
    from sklearn.model_selection import GroupKFold

    n = min(folds, len(set(groups)))
    return GroupKFold(n_splits=n).split(np.zeros(len(groups)), groups=groups)


# --- bank fixtures and strict samples ------------------------------------------------------


def load_bank(directory: Path | str) -> dict[str, QuestionSpec]:
    """QuestionSpecs from the bank's JSON files (`fixtures/bank/*.json`), keyed by slug."""
    specs = {}
    for path in sorted(Path(directory).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for q in data.get("questions", []):
            specs[q["slug"]] = QuestionSpec(
                key=q["slug"],
                prompt=q["prompt"],
                references=tuple(q.get("references", ())),
                key_points=tuple(
                    KeyPointSpec(kp["label"], tuple(kp.get("phrasings", ()))) for kp in q.get("key_points", ())
                ),
            )
    return specs


def load_samples(directory: Path | str, bank: dict[str, QuestionSpec]) -> list[dict[str, Any]]:
    """Strictly graded sample answers whose question is in the bank."""
    samples = []
    for path in sorted(Path(directory).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        samples += [s for s in data.get("samples", []) if s.get("question") in bank]
    return samples


# --- training --------------------------------------------------------------------------------


def train(csv_path: Path | str, bank_dir: Path | str, samples_dir: Path | str, version: str) -> dict[str, Any]:
    """Fit the model on the graded CSV and the 0-100 scale on the strict samples; the JSON data."""
    rows = read_graded_csv(csv_path)
    engine, specs = _engine_for(rows)
    answered = [r for r in rows if not rules.is_no_answer(r.answer)]  # the rule scores the rest
    X = feature_matrix(engine, [(r.answer, specs[r.question_id]) for r in answered])
    y = np.array([r.score / r.max_score for r in answered])
    model = fit_model(X, y, MODEL_FEATURES)
    cv = cross_validate_model(rows)

    bank = load_bank(bank_dir)
    samples = load_samples(samples_dir, bank)
    data = {
        "version": version,
        "model": model,
        "scale": {"key_point_weight": 0.0, "x": [0.0, 1.0], "y": [0.0, 100.0]},
        "rules": dict(DEFAULT_RULES),
    }
    scale, agreement = fit_strict_scale(data, bank, samples)
    data["scale"] = scale
    data["meta"] = {
        "model_trained_on": str(Path(csv_path).name),
        "model_rows": len(rows),
        "model_cv": cv,
        "scale_fitted_on": f"{len(samples)} strictly graded answers to bank questions",
        "scale_agreement": agreement,
    }
    return data


def cross_validate_model(rows: list[GradedRow], folds: int = FOLDS) -> dict[str, float]:
    """Grouped k-fold CV of the model stage on the CSV's own scale."""
    pred = cv_predictions(rows, folds)
    y = np.array([r.score for r in rows])
    return _figures(pred, y)


def cv_predictions(rows: list[GradedRow], folds: int = FOLDS) -> np.ndarray:
    """Out-of-fold predictions on each row's scale; the model never sees a test question.

    The scorer's "no answer" rule (0 for an empty answer or one that only says "I don't know") is
    applied as the engine applies it: 0 means 0 on any scale. The other rules cap on the strict
    0-100 scale, which this data set's generous grades don't share, so they are left to `as_is`.
    """
    engine, specs = _engine_for(rows)
    X = feature_matrix(engine, [(r.answer, specs[r.question_id]) for r in rows])
    y = np.array([r.score / r.max_score for r in rows])
    groups = np.array([r.question_id for r in rows])
    pred = np.zeros(len(rows))
    answered = np.array([not rules.is_no_answer(r.answer) for r in rows])
    for tr, te in _grouped_folds(groups, folds):
        tr = tr[answered[tr]]  # the model never scores what the rule decides
        cal = Calibration.from_dict(
            {
                "version": "cv",
                "model": fit_model(X[tr], y[tr], MODEL_FEATURES),
                "scale": {"key_point_weight": 0, "x": [0, 1], "y": [0, 100]},
                "rules": DEFAULT_RULES,
            }
        )
        for i in te:
            no_answer = rules.is_no_answer(rows[i].answer)
            pred[i] = 0.0 if no_answer else cal.model(dict(zip(MODEL_FEATURES, X[i], strict=True)))
    return pred * np.array([r.max_score for r in rows])


def _figures(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    return {
        "n": len(truth),
        "pearson": round(pearson(pred, truth), 4),
        "spearman": round(spearman(pred, truth), 4),
        "rmse": round(float(np.sqrt(np.mean((pred - truth) ** 2))), 4),
        "mae": round(float(np.mean(np.abs(pred - truth))), 4),
    }


def fit_strict_scale(
    data: dict[str, Any], bank: dict[str, QuestionSpec], samples: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Choose the key-point weight and fit the monotone 0-100 map on the strict samples.

    Anchors keep the ends honest: every bank reference answer is a 100 and nothing is a 0.
    The weight is chosen by grouped CV over the samples' questions; the agreement reported is
    out-of-fold.
    """
    if not samples:
        return data["scale"], {}
    cal = Calibration.from_dict(data)
    engine = Engine.fit(bank.values(), cal)
    model = []
    coverage = []
    for s in samples:
        r = engine.score(s["answer"], bank[s["question"]])
        model.append(r.parts.get("model", 0.0))
        cov = r.parts.get("coverage", -1.0)
        coverage.append(None if cov < 0 else cov)
    grades = np.array([float(s["grade"]) for s in samples])
    groups = np.array([s["question"] for s in samples])
    anchors_x, anchors_y = [0.0], [0.0]
    for q in bank.values():
        for ref in q.references:
            r = engine.score(ref, q)
            anchors_x.append(r.parts["blend"])
            anchors_y.append(100.0)

    def blends(w: float) -> np.ndarray:
        return np.array([m if c is None else (1 - w) * m + w * c for m, c in zip(model, coverage, strict=True)])

    best = None
    for w in KEY_POINT_WEIGHTS:
        z = blends(w)
        oof = np.zeros(len(samples))
        for tr, te in _grouped_folds(groups, 8):
            scale = fit_scale(np.r_[z[tr], anchors_x], np.r_[grades[tr], anchors_y])
            oof[te] = [np.interp(v, scale["x"], scale["y"]) for v in z[te]]
        mae = float(np.mean(np.abs(oof - grades)))
        if best is None or mae < best[0]:
            best = (mae, w, oof)
    _, w, oof = best
    z = blends(w)
    scale = fit_scale(np.r_[z, anchors_x], np.r_[grades, anchors_y])
    agreement = {"out_of_fold": _figures(oof, grades), "key_point_weight": w}
    return {"key_point_weight": w, **scale}, agreement


def sample_agreement(engine: Engine, bank_dir, samples_dir) -> dict[str, float]:
    """The shipped scorer (rules included) against the strict grades."""
    bank = load_bank(bank_dir)
    samples = load_samples(samples_dir, bank)
    if not samples:
        return {}
    pred = np.array([engine.score(s["answer"], bank[s["question"]]).score for s in samples])
    return _figures(pred, np.array([float(s["grade"]) for s in samples]))


# --- evaluation ------------------------------------------------------------------------------


def evaluate(csv_path: Path | str, *, cv: bool = False) -> dict[str, Any]:
    """Figures of the shipped scorer on a graded CSV, and with `cv` of the re-fitted model."""
    rows = read_graded_csv(csv_path)
    engine, specs = _engine_for(rows)
    truth = np.array([r.score for r in rows])
    scores = [engine.score(r.answer, specs[r.question_id]) for r in rows]
    as_is = np.array([s.score / 100 * r.max_score for s, r in zip(scores, rows, strict=True)])
    report: dict[str, Any] = {
        "version": engine.version,
        "as_is": _figures(as_is, truth),
        "predictions": [
            {"row": r, "predicted": round(float(p), 3), "band": s.band}
            for r, p, s in zip(rows, as_is, scores, strict=True)
        ],
    }
    if cv:
        pred = cv_predictions(rows)
        report["cv"] = _figures(pred, truth)
        for item, p in zip(report["predictions"], pred, strict=True):
            item["cv_predicted"] = round(float(p), 3)
            item["cv_band"] = band_for(round(100 * p / item["row"].max_score))
    return report
