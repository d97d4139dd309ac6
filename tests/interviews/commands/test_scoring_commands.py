import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from interviews.scoring.calibration import DEFAULT_PATH
from tests.interviews.scoring.test_training import QUESTIONS, write_csv


def test_evaluate_scoring_prints_figures_and_ends_with_the_pearson_line(tmp_path, capsys):
    rows = []
    for i, (q, ref) in enumerate(QUESTIONS):
        rows += [(f"q{i}", q, ref, ref, 5, 5), (f"q{i}", q, ref, "I went hiking at the weekend.", 0, 5)]
        rows += [(f"q{i}", q, ref, " ".join(ref.split()[:4]), 2, 5)]
    path, out = tmp_path / "graded.csv", tmp_path / "predictions.csv"
    write_csv(path, rows)
    call_command("evaluate_scoring", str(path), "--cv", "--predictions", str(out))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("scorer ")
    assert any(line.startswith("as-is: n=18 pearson=") for line in lines)
    assert any(line.startswith("cv: n=18 pearson=") for line in lines)
    assert lines[-1].startswith("pearson=")
    assert float(lines[-1].split("=")[1]) > 0.5
    with open(out, newline="", encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    assert len(written) == 18
    assert {"predicted", "band", "cv_predicted", "cv_band"} <= set(written[0])


def test_train_scorer_reproduces_the_shipped_calibration_exactly(tmp_path, settings):
    """The reviewed JSON is what the training code makes of the data: retraining changes nothing,
    so a change to the features without a retrain (or a non-deterministic fit) fails here."""
    mohler = Path(settings.BASE_DIR).parent / "shared/asag/mohler/mohler_2011.csv"
    if not mohler.exists():
        pytest.skip("../shared/asag is not beside the repository")
    shipped = json.loads(Path(DEFAULT_PATH).read_text())
    out = tmp_path / "calibration.json"
    call_command("train_scorer", "--scorer-version", shipped["version"], "--out", str(out))
    assert json.loads(out.read_text()) == shipped
