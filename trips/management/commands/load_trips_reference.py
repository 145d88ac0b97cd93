"""Load the rules of official trips from data/trips/rules.csv."""

from django.core.management.base import BaseCommand

from trips.loaders import load_rules


class Command(BaseCommand):
    help = "Load the rules of official trips from data/trips (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default="rules.csv")

    def handle(self, *args, **options):
        count = load_rules(options["file"])
        self.stdout.write(f"trip rules: {count}")
