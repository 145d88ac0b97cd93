"""Load the reference partnerships that belong to the home (Hunan's 82 pairs of 2018 when the home is Hunan).

    manage.py load_twinning_reference           the pairs whose Chinese side lies within the home
    manage.py load_twinning_reference --demo    every pair of the file, whatever the home, to try the system
"""

from django.core.management.base import BaseCommand

from geo.divisions import home_division
from twinning.loaders import load_reference_partnerships


class Command(BaseCommand):
    help = (
        "Load the reference partnerships of data/twinning whose Chinese side lies within the home jurisdiction "
        "(idempotent). Another home starts with an empty registry; --demo loads Hunan's pairs on purpose."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default="hunan_2018_appendix2.csv")
        parser.add_argument(
            "--demo", action="store_true",
            help="Load every pair of the file even where the Chinese side is outside the home (demonstration data). "
            "Statistics and the map count only the home's partnerships.",
        )

    def handle(self, *args, **options):
        count = load_reference_partnerships(options["file"], demo=options["demo"])
        home = home_division()
        if options["demo"]:
            self.stdout.write(
                f"reference partnerships (demonstration, any home): {count}; those whose Chinese side is outside "
                f"{home.name_zh} are in the registry but not in its statistics or map."
            )
        elif count:
            self.stdout.write(f"reference partnerships of {home.name_zh}: {count}")
        else:
            self.stdout.write(
                f"reference partnerships of {home.name_zh}: none in {options['file']}; the registry starts empty "
                "(--demo loads them anyway)."
            )
