"""Retrain the scorer's calibration and write it as reviewed JSON data."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from interviews.scoring.calibration import DEFAULT_PATH
from interviews.scoring.training import train

BASE = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = (
        "Retrain the scorer (model on a graded CSV, 0-100 scale on the strict bank samples) "
        "reproducibly and write interviews/scoring/calibration.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", default=str(BASE.parent / "shared/asag/mohler/mohler_2011.csv"))
        parser.add_argument("--bank", default=str(BASE / "fixtures/bank"))
        parser.add_argument("--samples", default=str(BASE / "fixtures/scoring_samples"))
        parser.add_argument("--scorer-version", required=True, help="the new scorer version")
        parser.add_argument("--out", default=str(DEFAULT_PATH))

    def handle(self, *args, **options):
        data = train(options["csv"], options["bank"], options["samples"], options["scorer_version"])
        Path(options["out"]).write_text(json.dumps(data, indent=1) + "\n")
        meta = data["meta"]
        self.stdout.write(f"model CV on {meta['model_trained_on']}: {meta['model_cv']}")
        self.stdout.write(f"scale agreement with strict grades: {meta['scale_agreement']}")
        self.stdout.write(f"wrote {options['out']} (version {data['version']})")
