"""Loading reference partnerships from data/twinning.

The home decides what a fresh install holds: only the pairs whose Chinese side lies within the home
jurisdiction are loaded (all 82 of Hunan's for Hunan, Changsha's for Changsha, none for Hangzhou, whose
registry starts empty). `demo=True` loads every pair on purpose, to try the system with Hunan's data.
"""

import csv
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from geo.divisions import home_division
from geo.models import Country, Division

from .models import ForeignPlace, Partnership

DATA = Path(settings.BASE_DIR) / "data" / "twinning"
SOURCES = {
    "hunan_2018_appendix2.csv": (
        "湖南省人民政府外事侨务办公室《关于全省对外交往和国际友城工作情况的报告》"
        "（2018年7月17日，省十三届人大常委会第五次会议）附件2《湖南省国际友城基本情况（82对）》，第{seq}行"
    ),
}


@transaction.atomic
def load_reference_partnerships(filename="hunan_2018_appendix2.csv", demo=False):
    """Create or update the reference partnerships of the home (all of them with `demo`);
    returns how many were loaded."""
    count = 0
    prefix = home_division().prefix
    template = SOURCES.get(filename, filename + " #{seq}")
    with open(DATA / filename, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not demo and not row["cn_code"].startswith(prefix):
                continue
            country = Country.objects.get(iso2=row["country_iso2"])
            division = Division.objects.get(code=row["cn_code"])
            place, _ = ForeignPlace.objects.get_or_create(
                country=country, name_zh=row["foreign_name_zh"],
                defaults={"place_type": row["place_type"] or "city"},
            )
            place.name_en = row["foreign_name_en"]
            place.name_local = row["foreign_name_local"]
            place.place_type = row["place_type"] or "city"
            place.lat = float(row["lat"]) if row["lat"] else None
            place.lon = float(row["lon"]) if row["lon"] else None
            place.save()
            partnership = Partnership.objects.filter(cn_division=division, foreign=place).first() or Partnership(
                cn_division=division, foreign=place
            )
            partnership.owner = division
            partnership.kind = row["kind"] or "sister"
            partnership.signed_on = date.fromisoformat(row["signed_on"])
            partnership.provenance = template.format(seq=row["seq"])
            partnership.save()
            count += 1
    return count
