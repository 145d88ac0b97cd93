"""Import of a large published list: the dry run and the commit against openpyxl's bare read.

Writes an .xlsx list of N partnerships (default 100,000; Chinese sides of the home
province, foreign cities from the gazetteer, dates of every written form, a title
row above the header), then measures, in a database of its own:

  * openpyxl's bare read of the same file (read-only, values only): the baseline
  * the engine's dry run (`twinning.imports.understand`): reading, resolving and judging every row
  * the commit (`twinning.imports.write`) of the same report

and prints each time, its ratio to the baseline measured in the same run, and the
peak memory (resident set size) of each step, each measured in a fresh process.

    python benchmarks/import_scale.py [--rows 100000]

No thresholds: the figures are for people to read.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(path):
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waishi.settings")
    import django

    django.setup()


def build(args):
    """Fresh database with the reference geography, and the list to import."""
    db = Path(args.db)
    if db.exists():
        db.unlink()
    setup_django(db)
    from django.core.management import call_command
    from openpyxl import Workbook

    from accounts.models import User
    from geo.loaders import load_all
    from geo.models import Division, Place
    from geo.text import normalize

    call_command("migrate", verbosity=0)
    load_all(gazetteer=True)
    User.objects.create_user("bench", password="Bench-pass-1", role="admin", jurisdiction_id="430000")
    rng = random.Random(2026)
    sides = list(Division.objects.filter(code__startswith="43").values_list("name_zh", flat=True))
    from geo.boundaries import point_in_country

    # The few gazetteer places the outlines cannot hold (documented in geo/tests/test_outlines.py) are left out:
    # the import rightly refuses their coordinates.
    places = [
        (name, country, admin1, lat, lon)
        for name, country, admin1, lat, lon, iso in Place.objects.filter(kind="city").exclude(
            country_id__in=["HK", "MO"]).values_list("name_en", "country__name_en", "admin1__name_en", "lat", "lon",
                                                     "country_id")
        if point_in_country(iso, lat, lon) is not False
    ]
    forms = ["{y}-{m:02d}-{d:02d}", "{y}.{m:02d}.{d:02d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}年{m}月", "{y}年"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["友好城市一览表（基准）"])
    sheet.append([])
    sheet.append(["序号", "中方城市", "City", "State/Province", "Country", "结好时间", "纬度", "经度"])
    seen = set()
    n = 0
    while n < args.rows:
        side = rng.choice(sides)
        name, country, admin1, lat, lon = rng.choice(places)
        # One row per name and country for each Chinese side: two rows naming "Lalganj, India" without a state
        # for the same side are one place twice, which the import rightly refuses.
        key = (side, normalize(name), country)  # "Lālganj" and "Lalganj" are one name
        if key in seen:
            continue
        seen.add(key)
        y, m, d = rng.randint(1973, 2025), rng.randint(1, 12), rng.randint(1, 28)
        # Half the rows give their coordinates, half are looked up in the gazetteer.
        coords = (lat, lon) if n % 2 else ("", "")
        n += 1
        sheet.append([n, side, name, admin1, country, rng.choice(forms).format(y=y, m=m, d=d), *coords])
    workbook.save(args.file)
    print(f"{args.rows} rows written to {args.file} ({Path(args.file).stat().st_size / 1e6:.1f} MB)", flush=True)


def measure(step, args):
    """One step in this process: its time and peak memory, as JSON on stdout."""
    setup_django(Path(args.db))
    started = time.perf_counter()
    result = {}
    if step == "openpyxl":
        from openpyxl import load_workbook

        rows = 0
        for _row in load_workbook(args.file, read_only=True).worksheets[0].iter_rows(values_only=True):
            rows += 1
        result["rows"] = rows
    else:
        from accounts.models import User
        from geo.models import Division
        from twinning import imports

        user = User.objects.get(username="bench")
        with open(args.file, "rb") as fh:
            report = imports.understand(fh, Path(args.file).name, what="partnerships", user=user,
                                        side=Division.objects.get(code="430000"))
        result.update(rows=len(report.rows), accepted=report.accepted, rejected=report.rejected,
                      first_refusals=[(r.line, [str(e) for e in r.errors]) for r in report.rows if r.errors][:3])
        if step == "commit":
            dry = time.perf_counter() - started
            started = time.perf_counter()
            if report.ok:
                imports.write(report, user=user)
            result.update(written=report.written, dry_seconds=dry)
    result["seconds"] = time.perf_counter() - started
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-import.sqlite3"))
    parser.add_argument("--file", default=str(ROOT / "var" / "bench-import.xlsx"))
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    Path(args.db).parent.mkdir(exist_ok=True)
    if args.step:
        return measure(args.step, args)
    build(args)
    results = {}
    for step in ("openpyxl", "dry_run", "commit"):
        out = subprocess.run([sys.executable, __file__, "--step", step, "--db", args.db, "--file", args.file],
                             check=True, capture_output=True, text=True).stdout
        results[step] = json.loads(out.strip().splitlines()[-1])
        print(step, results[step], flush=True)
    base = results["openpyxl"]["seconds"]
    print()
    print(f"rows: {results['dry_run']['rows']}, accepted {results['dry_run']['accepted']}, "
          f"refused {results['dry_run']['rejected']}, written {results['commit'].get('written', 0)}")
    print(f"{'step':<28}{'seconds':>10}{'× openpyxl read':>18}{'peak MB':>10}")
    print(f"{'openpyxl bare read':<28}{base:>10.2f}{1:>18.1f}{results['openpyxl']['peak_mb']:>10.0f}")
    print(f"{'dry run (read + judge)':<28}{results['dry_run']['seconds']:>10.2f}"
          f"{results['dry_run']['seconds'] / base:>18.1f}{results['dry_run']['peak_mb']:>10.0f}")
    print(f"{'commit (write, after judging)':<28}{results['commit']['seconds']:>10.2f}"
          f"{results['commit']['seconds'] / base:>18.1f}{results['commit']['peak_mb']:>10.0f}")


if __name__ == "__main__":
    main()
