"""Load countries, country groups, Chinese divisions and the gazetteer from data/."""

from django.core.management.base import BaseCommand

from geo.loaders import load_all


class Command(BaseCommand):
    help = "Load reference geography from data/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-gazetteer", action="store_true", help="skip the gazetteer of foreign places")

    def handle(self, *args, **options):
        load_all(gazetteer=not options["no_gazetteer"], stdout=self.stdout)
