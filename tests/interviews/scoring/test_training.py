"""Training and evaluation on a small generated graded CSV: no database, a few seconds."""

import csv

import numpy as np
import pytest

from interviews.scoring import training

QUESTIONS = [
    ("What does dropout do?", "Dropout randomly zeroes activations during training to reduce overfitting."),
    ("What is a learning rate?", "The learning rate is the step size of gradient descent updates."),
    ("Why normalise inputs?", "Normalising inputs puts features on one scale so optimisation converges faster."),
    ("What is overfitting?", "Overfitting is fitting noise in the training data so test error grows."),
    ("What is a stack?", "A stack is a last in first out collection with push and pop."),
    ("What is recursion?", "Recursion is a function calling itself on a smaller input until a base case."),
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["question_id", "question", "reference_answer", "student_answer", "score", "max_score"])
        writer.writerows(rows)


@pytest.fixture
def graded_csv(tmp_path):
    rows = []
    for i, (q, ref) in enumerate(QUESTIONS):
        words = ref.split()
        rows += [
            (f"q{i}", q, ref, ref, 5, 5),
            (f"q{i}", q, ref, " ".join(words[: len(words) * 2 // 3]), 3.5, 5),
            (f"q{i}", q, ref, " ".join(words[: len(words) // 3]), 2, 5),
            (f"q{i}", q, ref, "My holiday was a trip to the seaside with friends.", 0, 5),
            (f"q{i}", q, ref, "not answered", 0, 5),
        ]
    path = tmp_path / "graded.csv"
    write_csv(path, rows)
    return path


def test_cross_validation_scores_no_answer_rows_zero_and_learns_the_rest(graded_csv):
    rows = training.read_graded_csv(graded_csv)
    pred = training.cv_predictions(rows, folds=3)
    truth = np.array([r.score for r in rows])
    no_answer = np.array([r.answer == "not answered" for r in rows])
    assert np.all(pred[no_answer] == 0)
    assert np.all(pred[~no_answer] > 0)
    full, partial = pred[0::5], pred[2::5]
    assert np.mean(full) > np.mean(partial)
    assert np.corrcoef(pred, truth)[0, 1] > 0.5


def test_evaluate_reports_as_is_and_cv_figures_on_the_files_scale(graded_csv):
    report = training.evaluate(graded_csv, cv=True)
    assert report["as_is"]["n"] == report["cv"]["n"] == 30
    assert all(0 <= p["predicted"] <= 5 for p in report["predictions"])
    assert all(p["cv_band"] for p in report["predictions"])
    no_answer = [p for p in report["predictions"] if p["row"].answer == "not answered"]
    assert {p["predicted"] for p in no_answer} == {0.0}
