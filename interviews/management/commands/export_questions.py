from django.core.management.base import BaseCommand

from interviews.formats.registry import CODECS, codec
from interviews.selectors.questions import export_bundle


class Command(BaseCommand):
    help = (
        "Export questions with their references and key points as json, csv or gift (all three read "
        "back without loss), qa (plain Q/A text: prompts and answers only) or anki (Anki's notes in plain "
        "text: prompts, answers, key-point labels, topics as decks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(CODECS), default="json")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument("--topic", action="append", default=[], help="Only these topic slugs.")
        parser.add_argument("--status", choices=["published", "draft"], help="Only questions with this status.")

    def handle(self, *args, format, output, topic, status, **options):
        bundle = export_bundle(topics=topic, status=status)
        text = codec(format).serialise(bundle)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            self.stderr.write(f"Wrote {len(bundle.questions)} questions to {output}.")
        else:
            self.stdout.ending = ""
            self.stdout.write(text)
