import csv

from django.core.management import call_command

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
