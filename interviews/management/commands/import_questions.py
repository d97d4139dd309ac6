from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interviews.formats import FormatError
from interviews.formats.registry import CODECS, EXTENSIONS, MAX_BYTES, read_paths
from interviews.services.bank_import import bank_import


class Command(BaseCommand):
    help = (
        "Import questions from bank files (all or nothing); a changed question is updated in place. "
        f"Formats by extension: {', '.join(f'{ext} = {fmt}' for ext, fmt in EXTENSIONS.items())} "
        "(or anki, when the file starts with an Anki header such as #separator:tab); "
        f"at most {MAX_BYTES // 2**20} MB per file, UTF-8."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files, or directories of files.")
        parser.add_argument("--format", choices=sorted(CODECS), help="Override detection by extension.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument(
            "--only-new",
            action="store_true",
            help="Add questions not in the bank yet; leave existing ones alone.",
        )

    def handle(self, *args, paths, format, dry_run, only_new, **options):
        try:
            bundle = read_paths(paths, format)
            report = bank_import(bundle=bundle, dry_run=dry_run, only_new=only_new)
        except FormatError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        for warning in bundle.warnings:
            self.stderr.write(f"{warning} (warning)")
        if dry_run or options["verbosity"] > 1:
            for label, slugs in (
                ("create", report.created),
                ("update", report.updated),
                ("unchanged", report.unchanged),
            ):
                for slug in slugs:
                    self.stdout.write(f"{label:9} {slug}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
