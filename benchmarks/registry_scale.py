"""Registry at national scale: the statistics JSON and the filtered list against raw SQL.

Builds, in a database of its own, about 3,100 partnerships (every Chinese
partnership, roughly) and a million exchanges, then times:

  * GET /api/twinning/stats?as_of=...   vs the raw SQL of its main aggregates
  * GET /twinning/?continent=europe&vitality=dormant (first page, rendered)
                                        vs the raw SQL of the same filtered, counted page
  * a minimal Django view (HttpResponse("ok")), the floor of any request

and prints each median time and its ratio to the raw SQL baseline measured in
the same run. No thresholds: the figures are for people to read.

    python benchmarks/registry_scale.py [--partnerships 3100] [--exchanges 1000000] [--repeat 7]

DATABASE_URL selects the database (default: var/bench.sqlite3, created afresh).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The benchmark user logs in with a password only: the second factor is not what is measured.
os.environ["WAISHI_REQUIRE_2FA"] = "0"


def parse():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--partnerships", type=int, default=3100)
    parser.add_argument("--exchanges", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse the data set if it is already there")
    return parser.parse_args()


def setup_django(fresh):
    if "DATABASE_URL" not in os.environ:
        path = ROOT / "var" / "bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if fresh and path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waishi.settings")
    os.environ["WAISHI_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_partnerships, n_exchanges):
    from django.db import connection, transaction

    from geo.loaders import load_all
    from geo.models import Country, Division
    from twinning.loaders import load_reference_partnerships
    from twinning.models import Exchange, ForeignPlace, Partnership

    load_all(gazetteer=False)
    load_reference_partnerships()
    rng = random.Random(2026)
    divisions = list(Division.objects.filter(code__startswith="43").exclude(level="province"))
    countries = list(Country.objects.exclude(iso2="CN"))
    have = Partnership.objects.count()
    print(f"generating {n_partnerships - have} partnerships and {n_exchanges} exchanges…", flush=True)
    with transaction.atomic():
        places = [
            ForeignPlace(country=rng.choice(countries), name_zh=f"基准城市{i}", name_en=f"Bench City {i}",
                         search_text=f"基准城市{i} benchcity{i} jizhunchengshi{i}")
            for i in range(n_partnerships - have)
        ]
        ForeignPlace.objects.bulk_create(places, batch_size=2000)
        partnerships = []
        for place in places:
            division = rng.choice(divisions)
            signed = date(1973, 1, 1) + timedelta(days=rng.randrange(0, 19000))
            partnerships.append(
                Partnership(
                    cn_division=division, owner=division, level=division.level, foreign=place,
                    country_id=place.country_id, kind=rng.choice(["sister", "sister", "exchange"]),
                    signed_on=signed, counts_from=signed, search_text=place.search_text,
                )
            )
        Partnership.objects.bulk_create(partnerships, batch_size=2000)
    ids = list(Partnership.objects.values_list("id", "owner_id"))
    table = Exchange._meta.db_table
    link = Exchange.partnerships.through._meta.db_table
    kinds = ["visit_in", "visit_out", "online", "event", "agreement"]
    start_day = date(2000, 1, 1)
    batch = 20000
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        next_id = cursor.fetchone()[0] + 1
        now = "2026-01-01 00:00:00"
        for offset in range(0, n_exchanges, batch):
            rows, links = [], []
            for i in range(offset, min(offset + batch, n_exchanges)):
                pid, owner = ids[rng.randrange(len(ids))]
                eid = next_id + i
                day = start_day + timedelta(days=int(rng.triangular(0, 9800, 9800)))
                rows.append((eid, owner, now, now, rng.choice(kinds), f"交流 {eid}", day.isoformat(), ""))
                links.append((eid, pid))
                if rng.random() < 0.05:
                    other = ids[rng.randrange(len(ids))][0]
                    if other != pid:
                        links.append((eid, other))
            with transaction.atomic():
                cursor.executemany(
                    f"INSERT INTO {table} (id, owner_id, created_at, updated_at, kind, title, occurred_on, description)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
                cursor.executemany(f"INSERT INTO {link} (exchange_id, partnership_id) VALUES (%s, %s)", links)
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")


def median_time(fn, repeat):
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


RAW_STATS = [
    # the main aggregates of the stats JSON, as one would write them by hand
    """SELECT p.level, COUNT(*) FROM twinning_partnership p JOIN geo_division d ON d.code = p.cn_division_id
       WHERE d.code LIKE '43%%' AND p.counts_from <= %(d)s AND p.kind = 'sister'
       AND COALESCE((SELECT s.status FROM twinning_statuschange s WHERE s.partnership_id = p.id AND s.changed_on <= %(d)s
                     ORDER BY s.changed_on DESC, s.id DESC LIMIT 1), 'active') <> 'ended'
       GROUP BY p.level""",
    """SELECT c.continent, p.country_id, COUNT(*) FROM twinning_partnership p JOIN geo_country c ON c.iso2 = p.country_id
       WHERE p.cn_division_id LIKE '43%%' AND p.counts_from <= %(d)s AND p.kind = 'sister'
       GROUP BY c.continent, p.country_id""",
    """SELECT COUNT(*) FROM twinning_partnership p WHERE p.cn_division_id LIKE '43%%' AND p.counts_from <= %(d)s
       AND p.kind = 'sister' AND p.country_id IN (SELECT m.country_id FROM geo_groupmembership m
       WHERE m.group_id = 'bri_route' AND m.member_from <= %(d)s AND (m.member_to IS NULL OR m.member_to > %(d)s))""",
    """SELECT p.cn_division_id, COUNT(*) FROM twinning_partnership p WHERE p.cn_division_id LIKE '43%%'
       AND p.counts_from <= %(d)s AND p.kind = 'sister' AND p.level = 'prefecture' GROUP BY p.cn_division_id""",
]

RAW_LIST = """
SELECT p.id, p.signed_on, d.name_zh, f.name_zh, c.name_zh, COUNT(DISTINCT x.id) AS recent
FROM twinning_partnership p
JOIN geo_division d ON d.code = p.cn_division_id
JOIN twinning_foreignplace f ON f.id = p.foreign_id
JOIN geo_country c ON c.iso2 = p.country_id
LEFT JOIN twinning_exchange_partnerships l ON l.partnership_id = p.id
LEFT JOIN twinning_exchange x ON x.id = l.exchange_id AND x.occurred_on >= %(cutoff)s AND x.occurred_on <= %(today)s
WHERE c.continent = 'europe'
GROUP BY p.id, p.signed_on, d.name_zh, f.name_zh, c.name_zh, d.code
HAVING COUNT(DISTINCT x.id) + CASE WHEN p.signed_on >= %(cutoff)s AND p.signed_on <= %(today)s THEN 1 ELSE 0 END < 1
ORDER BY d.code, p.signed_on, p.id
"""


def main():
    args = parse()
    setup_django(fresh=not args.keep)
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client, RequestFactory

    from accounts.models import User
    from twinning.models import Exchange, Partnership
    from twinning.vitality import current_rule

    if not (args.keep and Exchange.objects.exists()):
        started = time.perf_counter()
        generate(args.partnerships, args.exchanges)
        print(f"data set built in {time.perf_counter() - started:.1f}s")
    links = Exchange.partnerships.through.objects.count()
    print(f"database: {connection.vendor}; partnerships: {Partnership.objects.count()}; "
          f"exchanges: {Exchange.objects.count()}; exchange links: {links}")

    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "staff", "jurisdiction_id": "430000"})
    client = Client()
    client.force_login(user)
    as_of = "2024-12-31"
    today = date.today()
    cutoff = current_rule().cutoff(today)

    def raw(sql, params):
        def run():
            with connection.cursor() as cursor:
                for statement in sql if isinstance(sql, list) else [sql]:
                    cursor.execute(statement, params)
                    cursor.fetchall()
        return run

    def raw_list_page():
        with connection.cursor() as cursor:
            cursor.execute(RAW_LIST, {"cutoff": cutoff, "today": today})
            rows = cursor.fetchall()
            return len(rows), rows[:50]

    def minimal():
        view = lambda request: HttpResponse("ok")  # noqa: E731
        view(RequestFactory().get("/"))

    def get(url, params):
        def run():
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
        return run

    results = [
        ("raw SQL: stats aggregates", median_time(raw(RAW_STATS, {"d": as_of}), args.repeat)),
        ("GET /api/twinning/stats", median_time(get("/api/twinning/stats", {"as_of": as_of}), args.repeat)),
        ("raw SQL: filtered list (europe, dormant)", median_time(raw_list_page, args.repeat)),
        ("GET /twinning/?continent=europe&vitality=dormant",
         median_time(get("/twinning/", {"continent": "europe", "vitality": "dormant"}), args.repeat)),
        ("minimal view (floor)", median_time(minimal, args.repeat)),
    ]
    width = max(len(r[0]) for r in results)
    print()
    for name, seconds in results:
        print(f"{name:<{width}}  {seconds * 1000:9.1f} ms")
    print()
    print(f"ratio stats JSON / raw SQL:     {results[1][1] / results[0][1]:.2f}")
    print(f"ratio filtered list / raw SQL:  {results[3][1] / results[2][1]:.2f}")


if __name__ == "__main__":
    main()
