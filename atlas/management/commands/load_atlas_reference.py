"""Load the map's reference layers, items and target counties from data/atlas: those of the home
(Hunan's when the home is Hunan; another home starts with an empty map)."""

from django.core.management.base import BaseCommand

from atlas.loaders import load_all


class Command(BaseCommand):
    help = "Load the home's map layers, their items and the plan's target counties (idempotent)."

    def handle(self, *args, **options):
        load_all(stdout=self.stdout)
