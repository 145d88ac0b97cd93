"""Load the map's reference layers, items and target counties from data/atlas."""

from django.core.management.base import BaseCommand

from atlas.loaders import load_all


class Command(BaseCommand):
    help = "Load map layers, their items and the plan's target counties (idempotent)."

    def handle(self, *args, **options):
        load_all(stdout=self.stdout)
