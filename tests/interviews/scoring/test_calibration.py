import json

import numpy as np

from interviews.scoring.calibration import DEFAULT_PATH, Calibration, fit_model, fit_scale, interp
from interviews.scoring.training import DEFAULT_RULES, MODEL_FEATURES


def test_the_shipped_calibration_is_valid_json_with_a_version():
    data = json.loads(DEFAULT_PATH.read_text())
    cal = Calibration.from_dict(data)
    assert cal.version
    assert list(cal.features) == MODEL_FEATURES
    assert set(DEFAULT_RULES) <= set(cal.rules)


def test_the_shipped_scale_is_monotone_and_spans_zero_to_a_hundred():
    cal = Calibration.load()
    xs, ys = cal.scale
    assert xs == sorted(xs) and ys == sorted(ys)
    assert ys[0] <= 5 and ys[-1] >= 95


def test_the_model_rises_with_overlap():
    cal = Calibration.load()
    low = dict.fromkeys(MODEL_FEATURES, 0.05) | {"length": 0.0}
    high = dict.fromkeys(MODEL_FEATURES, 0.9) | {"length": 0.0}
    assert cal.model(high) > cal.model(low)


def test_interpolation_is_constant_beyond_the_ends():
    assert interp(-1, [0, 1], [10, 20]) == 10
    assert interp(2, [0, 1], [10, 20]) == 20
    assert interp(0.5, [0, 1], [10, 20]) == 15


def test_fitting_the_model_is_reproducible_and_learns_a_signal():
    rng = np.random.default_rng(0)
    X = rng.random((300, len(MODEL_FEATURES)))
    y = np.clip(0.3 + 0.6 * X[:, 1] + 0.05 * rng.standard_normal(300), 0, 1)
    first = fit_model(X, y, MODEL_FEATURES)
    assert first == fit_model(X, y, MODEL_FEATURES)
    recall = first["curves"]["recall"]["y"]
    assert recall[-1] - recall[0] > 0.3


def test_the_scale_fit_is_monotone():
    rng = np.random.default_rng(1)
    z = rng.random(200)
    grades = np.clip(100 * z**2 + 10 * rng.standard_normal(200), 0, 100)
    scale = fit_scale(z, grades)
    assert scale["y"] == sorted(scale["y"])
    assert scale["x"] == sorted(scale["x"])
