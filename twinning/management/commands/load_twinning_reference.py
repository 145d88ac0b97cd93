"""Load the home province's reference partnerships (Hunan: the 82 pairs of 2018)."""

from django.core.management.base import BaseCommand

from twinning.loaders import load_reference_partnerships


class Command(BaseCommand):
    help = "Load reference partnerships from data/twinning (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default="hunan_2018_appendix2.csv")

    def handle(self, *args, **options):
        count = load_reference_partnerships(options["file"])
        self.stdout.write(f"reference partnerships: {count}")
