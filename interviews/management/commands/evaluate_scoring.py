"""Measure the scorer against a human-graded short-answer CSV."""

import csv

from django.core.management.base import BaseCommand

from interviews.scoring.training import evaluate


class Command(BaseCommand):
    help = (
        "Print n, Pearson, Spearman and RMSE of the shipped scorer on a graded CSV "
        "(question, reference_answer, student_answer, score, max_score[, question_id]); "
        "--cv adds the model re-fitted under grouped 10-fold cross-validation."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="graded CSV")
        parser.add_argument("--cv", action="store_true", help="grouped 10-fold CV by question")
        parser.add_argument("--predictions", metavar="OUT.csv", help="write each row's prediction")

    def handle(self, *args, **options):
        report = evaluate(options["file"], cv=options["cv"])
        self.stdout.write(f"scorer {report['version']}")
        self._figures("as-is", report["as_is"])
        if options["predictions"]:
            self._write(options["predictions"], report["predictions"])
        final = report["as_is"]
        if "cv" in report:
            self._figures("cv", report["cv"])
            final = report["cv"]
        self.stdout.write(f"pearson={final['pearson']:.4f}")

    def _figures(self, label, f):
        self.stdout.write(
            f"{label}: n={f['n']} pearson={f['pearson']:.4f} spearman={f['spearman']:.4f} rmse={f['rmse']:.4f}"
        )

    def _write(self, path, predictions):
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            extra = ["cv_predicted", "cv_band"] if "cv_predicted" in predictions[0] else []
            writer.writerow(["question_id", "student_answer", "score", "max_score", "predicted", "band", *extra])
            for p in predictions:
                r = p["row"]
                writer.writerow(
                    [r.question_id, r.answer, r.score, r.max_score, p["predicted"], p["band"]] + [p[k] for k in extra]
                )
        self.stdout.write(f"wrote {path}")
