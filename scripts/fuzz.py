"""Robustness check: fuzz the API from its OpenAPI schema and the forms and importers with
generated input, and show that nothing answers with a server error or leaves half-written data.

    .venv/bin/python scripts/fuzz.py [--examples N] [--api-examples N] [--seed N] [--keep]
                                     [--postgres postgres://user@host:port] [--skip-api] [--no-schema-check]

What it does (docs/security.md#robustness-fuzzing):

1. Builds a fresh SQLite database in a temporary folder (migrate and the four reference loaders;
   with --postgres, a fresh database on that server, dropped afterwards) and adds a province staff
   user, a unit with a clerk and a person, and a map layer to import into.
2. Serves the app with `manage.py runserver` and runs schemathesis (examples, coverage, fuzzing
   and stateful phases) against /api/schema/ for every operation, once anonymously and once with
   the staff user's session (cookie, X-CSRFToken and Referer headers). Checks: not_a_server_error
   and, unless --no-schema-check, response_schema_conformance. The 5xx count is read from the
   server's own request log.
3. Feeds hypothesis-generated input (deterministic: fixed seeds) in-process, against the same
   database, to the registry import (partnerships and exchanges: CSV or Excel files with the
   accepted headers, through ImportJob, validate and commit as the import pages run them), the map
   layer item import (read_table, map_headers, validate_rows, import_rows), the partnership form
   (POST /twinning/new/) and POST /api/trips/check. An exception is a server error; a count of
   Partnership, ForeignPlace, Exchange, LayerItem or Application that moves when the input was
   refused (or by more than the rows accepted) is half-written data. Accepted values that
   PostgreSQL would refuse (a NUL character, text longer than its column, an integer out of
   range) are counted too, since they are a server error there. A trip check slower than 5 s is
   noted.
4. Prints a table of inputs tried and problems seen per target (and what became of the inputs:
   imported, refused, answered 200/400) and exits 1 if there is any problem.
"""

import argparse
import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Fuzz-pass-2024x"
STATUS_LINE = re.compile(r'"[A-Z]+ [^"]*" (\d{3}) ')
COUNTED = ["twinning.Partnership", "twinning.ForeignPlace", "twinning.Exchange", "atlas.LayerItem",
           "eservices.Application"]


def log(message):
    print(message, flush=True)


# --- results ----------------------------------------------------------------------------------------


class Target:
    """Inputs tried and problems seen for one fuzzed target. Each kind of problem counts once per input."""

    def __init__(self, name):
        self.name = name
        self.tried = 0
        self.server_errors = 0
        self.half_written = 0
        self.postgres = 0
        self.schema = 0
        self.notes = []
        self.samples = {}
        self.seen = Counter()
        self.outcomes = Counter()
        self.counted = set()
        self.seconds = 0.0

    def begin(self):
        self.tried += 1
        self.counted = set()

    def problem(self, kind, detail, value=None):
        if kind not in self.counted:
            setattr(self, kind, getattr(self, kind) + 1)
            self.counted.add(kind)
        lines = detail.strip().splitlines() or [""]
        errors = [line for line in lines if re.match(r"[\w.]+(Error|Exception|Exit)\b", line)]
        headline = (errors or lines)[-1] if kind == "server_errors" else lines[0]
        headline = re.sub(r"\d+", "N", headline)[:160]
        self.seen[f"[{kind}] {headline}"] += 1
        if headline not in self.samples and len(self.samples) < 5:
            shown = repr(value)
            self.samples[headline] = (f"[{kind}] {detail}\n    input: {shown[:600]}"
                                      f"{'…' if len(shown) > 600 else ''}")

    @property
    def failed(self):
        return bool(self.server_errors or self.half_written or self.postgres or self.schema)


def print_summary(targets):
    columns = [("inputs tried", "tried"), ("5xx/crash", "server_errors"), ("half-written", "half_written"),
               ("PostgreSQL", "postgres"), ("schema", "schema")]
    width = 38 + sum(len(title) + 2 for title, _ in columns) + 7
    log("")
    log("=" * width)
    log(f"{'target':<38}" + "".join(f"{title:>{len(title) + 2}}" for title, _ in columns) + f"{'time':>7}")
    log("-" * width)
    for t in targets:
        log(f"{t.name:<38}" + "".join(f"{getattr(t, attr):>{len(title) + 2}}" for title, attr in columns)
            + f"{t.seconds:>6.0f}s")
    log("-" * width)
    log(f"{'total':<38}" + "".join(f"{sum(getattr(t, attr) for t in targets):>{len(title) + 2}}"
                                   for title, attr in columns) + f"{sum(t.seconds for t in targets):>6.0f}s")
    log("=" * width)
    log("5xx/crash: server errors (API: 5xx lines in the server's log) and exceptions; half-written: counts moved\n"
        "by a refused input; PostgreSQL: accepted values PostgreSQL refuses (a 5xx there); schema: responses\n"
        "that do not match the OpenAPI schema.")
    for t in targets:
        if t.outcomes:
            shown = ", ".join(f"{outcome} {n}" for outcome, n in t.outcomes.most_common())
            log(f"{t.name}: outcomes: {shown}")
        for note in t.notes:
            log(f"{t.name}: {note}")
        for headline, n in t.seen.most_common():
            log(f"{t.name}: {headline} ×{n}")
    for t in targets:
        for sample in t.samples.values():
            log(f"\n{t.name}: {sample}")


# --- the database and the server ----------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, logfile, *args):
    with open(logfile, "a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                       stdout=out, stderr=subprocess.STDOUT)


def build_database(env, logfile):
    for command in (["migrate", "--noinput"], ["load_reference"], ["load_twinning_reference"],
                    ["load_atlas_reference"], ["load_trips_reference"]):
        manage(env, logfile, *command)


def postgres_database(server_url, action, name):
    """Create or drop database `name` on the PostgreSQL server at `server_url`; returns its URL."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup_django(env):
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "waishi.settings"
    import logging

    import django

    django.setup()
    # Refused input is logged as a warning per request; server errors are collected and shown below.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


def make_actors():
    from django.conf import settings

    from accounts.models import Person, Unit, User
    from atlas.models import Layer

    home = settings.WAISHI_HOME_CODE
    staff = User.objects.create_user("fuzz-staff", password=PASSWORD, role="staff", jurisdiction_id=home)
    unit = Unit.objects.create(name_zh="模糊测试大学", kind="university", jurisdiction_id=home)
    clerk = User.objects.create_user("fuzz-clerk", password=PASSWORD, role="clerk", jurisdiction_id=home, unit=unit)
    person = Person.objects.create(unit=unit, name_zh="测试员", gender="F", post="科员", rank="division")
    layer = Layer.objects.create(code="fuzz-layer", name_zh="模糊测试图层", name_en="Fuzz layer", owner_id=home,
                                 visibility="internal", department="省外办")
    return {"staff": staff, "clerk": clerk, "unit": unit, "person": person, "layer": layer}


class Server:
    def __init__(self, env, logfile):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logfile = logfile
        self.out = open(logfile, "w")  # closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            env=env, cwd=ROOT, stdout=self.out, stderr=subprocess.STDOUT,
        )

    def wait(self, timeout=90):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped; see {self.logfile}")
            try:
                if requests.get(self.base + "/api/schema/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise SystemExit(f"the server did not answer in {timeout} s; see {self.logfile}")

    def log_size(self):
        self.out.flush()
        return os.path.getsize(self.logfile)

    def statuses(self, since):
        with open(self.logfile, encoding="utf-8", errors="replace") as fh:
            fh.seek(since)
            return Counter(int(m[1]) for m in STATUS_LINE.finditer(fh.read()))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.out.close()


def login(base, username):
    """A logged-in session through the login page: (cookie header, csrf token)."""
    import requests

    session = requests.Session()
    url = base + "/accounts/login/"
    session.get(url, timeout=30)
    token = session.cookies["csrftoken"]
    response = session.post(url, data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                            headers={"Referer": url}, allow_redirects=False, timeout=30)
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"logging in as {username} failed ({response.status_code})")
    # The login rotates the CSRF token.
    token = session.cookies["csrftoken"]
    cookie = f"sessionid={session.cookies['sessionid']}; csrftoken={token}"
    return cookie, token


# --- schemathesis -------------------------------------------------------------------------------------


def run_schemathesis(target, server, tmp, headers, args):
    report = tmp / f"schemathesis-{target.name.split()[-1].strip('()')}.json"
    checks = "not_a_server_error" + ("" if args.no_schema_check else ",response_schema_conformance")
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", server.base + "/api/schema/",
        "--checks", checks, "--max-examples", str(args.api_examples), "--seed", str(args.seed),
        "--workers", "2", "--request-timeout", "60", "--generation-database", "none", "--no-color",
        "--generation-with-security-parameters", "false",
        "--report", "json", "--report-json-path", str(report),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    since = server.log_size()
    started = time.monotonic()
    with open(tmp / "schemathesis.log", "a") as out:
        out.write(f"\n===== {target.name}\n")
        out.flush()
        code = subprocess.run(command, cwd=tmp, stdout=out, stderr=subprocess.STDOUT).returncode
    target.seconds = time.monotonic() - started
    time.sleep(0.5)  # the last request lines
    statuses = server.statuses(since)
    target.server_errors = sum(n for status, n in statuses.items() if status >= 500)
    if not report.exists():
        target.problem("server_errors", f"schemathesis did not finish (exit {code}); see {tmp / 'schemathesis.log'}")
        return
    data = json.loads(report.read_text())
    target.tried = data["test_cases"]["generated"]
    shown = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
    target.notes.append(f"{sum(statuses.values())} requests by status ({shown}); schemathesis exit {code}")
    for failure in data["failures"]:
        where = ", ".join(failure["operations"])
        target.notes.append(f"schemathesis failure {failure['code']} “{failure['title']}” ×{failure['count']} in {where}")
        if failure["type"] == "ServerError":
            target.server_errors = max(target.server_errors, failure["count"])
        else:
            target.problem("schema", f"{failure['code']} {failure['title']} in {where} (see schemathesis.log)")
    for error in data["errors"]:
        target.notes.append(f"schemathesis error “{error['title']}” ×{error['count']}")


# --- in-process helpers --------------------------------------------------------------------------------


def counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def max_ids():
    from django.apps import apps

    return {label: apps.get_model(label).objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for label in COUNTED}


def new_objects(before_ids):
    from django.apps import apps

    found = []
    for label, last in before_ids.items():
        found += list(apps.get_model(label).objects.filter(pk__gt=last))
    return found


def postgres_problems(obj):
    """Values that PostgreSQL would refuse: NUL in text or JSON, text longer than its column,
    integers out of the column's range. SQLite accepts all of them."""
    from django.db.backends.base.operations import BaseDatabaseOperations
    from django.db.models import JSONField

    ranges = BaseDatabaseOperations.integer_field_ranges
    problems = []
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, JSONField):
            if "\\u0000" in json.dumps(value, default=str):
                problems.append(f"{obj._meta.label}.{field.name} holds a NUL character")
        elif isinstance(value, str):
            if "\x00" in value:
                problems.append(f"{obj._meta.label}.{field.name} holds a NUL character")
            if field.max_length and len(value) > field.max_length:
                problems.append(f"{obj._meta.label}.{field.name} is {len(value)} long, the column {field.max_length}")
        elif isinstance(value, int) and not isinstance(value, bool):
            low, high = ranges.get(field.get_internal_type(), (None, None))
            if low is not None and not low <= value <= high:
                problems.append(f"{obj._meta.label}.{field.name} = {value} is out of range")
    return problems


def hypothesis_run(target, strategy, check, examples, seed):
    """Feed `examples` generated values to `check`; every exception is recorded, never raised, so the
    count of inputs is exact and one failure does not stop the run. Deterministic: the examples come in
    batches of at most 50, each from its own fixed seed (hypothesis mutates the examples it has seen,
    so one long run stays near its first inputs)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    def batch(size, number):
        @fixed_seed(seed * 1000 + number)
        @settings(max_examples=size, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(value):
            target.begin()
            try:
                check(value)
            except Exception as exc:
                target.problem("server_errors", "".join(traceback.format_exception(exc)[-6:]), value)

        run()

    started = time.monotonic()
    for number, start in enumerate(range(0, examples, 50)):
        batch(min(50, examples - start), number)
    target.seconds = time.monotonic() - started


def request_errors():
    """Exceptions raised by views under the test client, as formatted tracebacks."""
    from django.core.signals import got_request_exception

    seen = []

    def record(sender, request=None, **kwargs):
        seen.append(traceback.format_exc())

    got_request_exception.connect(record, weak=False)
    return seen


# --- strategies -----------------------------------------------------------------------------------------


def strategies(actors):
    from hypothesis import strategies as st

    from geo.divisions import home_division
    from geo.models import Country, Division
    from twinning import imports
    from twinning.models import Partnership

    home = home_division()
    divisions = list(Division.objects.filter(code__startswith=home.prefix).order_by("code"))
    division_texts = sorted({t for d in divisions for t in (d.code, d.name_zh, d.short_name) if t})
    countries = list(Country.objects.order_by("iso2"))
    country_texts = sorted({t for c in countries for t in (c.iso2, c.name_zh, c.name_en) if t})
    pairs = list(Partnership.objects.filter(cn_division__code__startswith=home.prefix)
                 .values_list("cn_division__name_zh", "foreign__name_zh")[:200])
    names = ["大津市", "昌原市", "巴黎", "东京", "某市", "Springfield", "新城", "鹿儿岛市"]

    junk = st.one_of(
        st.text(max_size=30),
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=300),
        st.sampled_from(["", " ", "=1+1", "=HYPERLINK(\"x\")", "NaN", "inf", "-inf", "1e309", "0", "-0", "²",
                         "٣", "\x00", "\ufeff", "None", "null", "🙂", "9" * 25, "2019/02/30", "0000-01-01",
                         "2019年13月1日", "长沙;;", "；、"]),
    )

    def pick(values):
        return st.one_of(st.sampled_from(values), junk) if values else junk

    formats = st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%-m-%-d", "%d/%m/%Y"])
    any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    date_text = st.one_of(
        st.builds(lambda d, f: d.strftime(f) if d.year >= 1000 else d.isoformat(), any_date, formats),
        st.from_regex(r"\A\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\Z"),
        st.from_regex(r"\A\d{4}年\d{1,2}月\d{1,2}日\Z"),
        junk,
    )
    number_text = st.one_of(
        st.floats(min_value=-200, max_value=200).map(lambda x: f"{x:.5f}"),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers().map(str),
        junk,
    )
    # Excel cells carry types: numbers, dates and datetimes reach the parsers as such.
    typed = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                      st.datetimes(min_value=datetime(1900, 1, 2)), st.booleans())

    from atlas.items import COLUMNS as ITEM_COLUMNS
    from atlas.items import PRECISION_WORDS

    layer = actors["layer"]
    # Values that pass, to reach the writing half of each importer; names now and then longer than their
    # column, which only PostgreSQL enforces.
    today = date.today()
    past = st.dates(min_value=date(1950, 1, 1), max_value=today)
    past_cell = st.one_of(
        st.builds(lambda d, f: d.strftime(f), past, st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d",
                                                                     "%Y年%m月%d日", "%Y/%-m/%-d"])),
        past.map(lambda d: datetime(d.year, d.month, d.day)),
    )
    def now_and_then(rare, usual):
        """`rare` one time in ten, else `usual`."""
        return st.integers(0, 9).flatmap(lambda n: rare if n == 5 else usual)  # not 0: hypothesis favours it

    hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
    ascii_text = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
    place_name = now_and_then(st.text(hanzi, min_size=90, max_size=260),
                              st.builds(lambda t, end: t + end, st.text(hanzi, min_size=1, max_size=8),
                                        st.sampled_from(["市", "州", "县"])))
    long_latin = now_and_then(st.text(ascii_text, min_size=140, max_size=300), st.text(ascii_text, max_size=40))
    free_text = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=80)
    foreign_countries = sorted({t for c in countries if c.iso2 not in ("CN", "HK", "MO", "TW")
                                for t in (c.name_zh, c.name_en) if t})
    division_codes = [d.code for d in divisions]
    partnership_row = st.fixed_dictionaries({
        "cn_division": st.sampled_from(division_codes),
        "foreign_name_zh": place_name, "foreign_name_en": long_latin, "foreign_name_local": long_latin,
        "country": st.sampled_from(foreign_countries), "signed_on": past_cell,
        "kind": st.sampled_from(list(imports.KIND_WORDS)), "place_type": st.sampled_from(list(imports.PLACE_WORDS)),
        "provenance": free_text, "notes": free_text,
    })
    exchange_row = st.sampled_from(pairs or [("长沙市", "大津市")]).flatmap(lambda pair: st.fixed_dictionaries({
        "occurred_on": past_cell, "kind": st.sampled_from(list(imports.EXCHANGE_WORDS)),
        "title": now_and_then(st.text(hanzi, min_size=190, max_size=260), st.text(hanzi, min_size=1, max_size=30)),
        "cn_division": st.just(pair[0]), "foreign": st.just(pair[1]),
        "delegation_size": now_and_then(st.integers(2**31 - 10, 2**40).map(str),
                                        st.one_of(st.just(""), st.integers(1, 60).map(str))),
        "description": free_text,
    }))
    item_row = st.fixed_dictionaries({
        "name_zh": now_and_then(st.text(hanzi, min_size=190, max_size=260), st.text(hanzi, min_size=1, max_size=12)),
        "name_en": long_latin,
        "category": now_and_then(st.from_regex(r"\A[a-z0-9_-]{45,60}\Z"), st.from_regex(r"\A[a-z0-9_-]{1,30}\Z")),
        "division": st.sampled_from(division_codes),
        "on": st.one_of(past_cell, past.map(lambda d: str(d.year)), past.map(lambda d: d.strftime("%Y-%m")),
                        past.map(lambda d: f"{d.year}年{d.month}月")),
        "date_precision": st.sampled_from(["", *PRECISION_WORDS]),
        "description_zh": free_text, "description_en": free_text, "source": free_text,
        "layer": st.sampled_from(["", layer.code, layer.name_zh]),
    })

    partnership_cells = {
        "cn_division": pick(division_texts), "foreign_name_zh": pick(names), "foreign_name_en": junk,
        "foreign_name_local": junk, "country": pick(country_texts), "signed_on": date_text,
        "kind": pick(list(imports.KIND_WORDS)), "place_type": pick(list(imports.PLACE_WORDS)),
        "lat": number_text, "lon": number_text, "provenance": junk, "notes": junk,
    }
    exchange_cells = {
        "occurred_on": date_text, "ended_on": date_text, "kind": pick(list(imports.EXCHANGE_WORDS)),
        "title": junk | st.just("友好访问"), "cn_division": pick(sorted({cn for cn, _ in pairs}) or division_texts),
        "foreign": pick(sorted({f for _, f in pairs})), "delegation_size": number_text,
        "description": junk,
    }
    item_cells = {
        "name_zh": pick(["领事馆", "园区", "班列", "学校"]), "name_en": junk,
        "category": st.one_of(st.from_regex(r"\A[-a-zA-Z0-9_]{1,60}\Z"), junk),
        "country": pick(country_texts), "division": pick(division_texts), "lat": number_text, "lon": number_text,
        "to_lat": number_text, "to_lon": number_text,
        "on": st.one_of(date_text, st.from_regex(r"\A\d{4}(年|-\d{1,2}|年\d{1,2}月)?\Z")),
        "date_precision": pick(list(PRECISION_WORDS)), "description_zh": junk, "description_en": junk,
        "source": junk, "layer": pick([layer.code, layer.name_zh, layer.name_en]),
    }

    def table(columns, clean_row, cells, required, needed=()):
        """(file name, bytes, number of data rows) of a CSV or Excel file with some of the accepted headers.
        A file is clean (every row drawn to pass, so that the import writes), mixed (clean and damaged
        rows: the import must refuse it whole) or damaged throughout, now and then not a table at all."""

        @st.composite
        def build(draw):
            mode = draw(st.sampled_from(["clean", "clean", "clean", "mixed", "mixed", "damaged", "bytes"]))
            if mode == "bytes":
                return draw(st.sampled_from(["data.csv", "data.xlsx"])), draw(st.binary(max_size=400)), 0
            fields = [f for f in columns if f in required or (mode != "damaged" and f in needed) or draw(st.booleans())]
            if mode != "clean" and draw(st.integers(0, 9)) == 0 and fields:  # a required column missing
                fields.remove(draw(st.sampled_from(fields)))
            fields = draw(st.permutations(fields))
            headers = [draw(st.sampled_from(columns[f])) for f in fields]
            headers = [h.upper() if draw(st.integers(0, 5)) == 0 else h for h in headers]
            if mode != "clean" and draw(st.integers(0, 5)) == 0:
                headers.append(draw(junk))
            count = draw(st.integers(1 if mode == "clean" else 0, 6))
            excel = draw(st.integers(0, 3)) == 0
            rows = []
            for _ in range(count):
                good = draw(clean_row)
                damaged = mode == "damaged" or (mode == "mixed" and draw(st.booleans()))
                row = []
                for index, _header in enumerate(headers):
                    if index >= len(fields):
                        row.append(draw(junk))
                    elif damaged and draw(st.booleans()):
                        row.append(draw(st.one_of(cells[fields[index]], typed) if excel else cells[fields[index]]))
                    else:
                        value = good.get(fields[index], "")
                        if isinstance(value, datetime) and not excel:
                            value = value.strftime("%Y-%m-%d")
                        row.append(value)
                if damaged and draw(st.integers(0, 7)) == 0:  # ragged rows
                    row = row[: draw(st.integers(0, len(row)))] if row else row
                rows.append(row)
            if excel:
                data = xlsx_bytes(headers, rows)
                if data is not None:
                    return "data.xlsx", data, count
            text = io.StringIO()
            csv.writer(text).writerows([headers, *rows])
            encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
            return "data.csv", text.getvalue().encode(encoding, errors="replace"), count

        return build()

    person_ids = [actors["person"].pk, 0, -1, 2**31, 2**63, 10**30]
    unit_ids = [actors["unit"].pk, 0, -5, 2**63, 10**30]
    from accounts.models import Person
    from trips.api import ISSUER_KINDS
    from trips.models import Member, Purpose, TripKind

    def maybe(strategy):
        return st.one_of(st.none(), strategy)

    json_junk = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
        max_leaves=12,
    )
    date_json = st.one_of(any_date.map(date.isoformat), junk, st.integers(), st.none())
    member = st.fixed_dictionaries(
        {"name": st.one_of(st.text(max_size=70), json_junk)},
        optional={
            "rank": pick(Person.Rank.values), "group_role": pick(Member.GroupRole.values),
            "is_leader": st.one_of(st.booleans(), json_junk), "teaching_research": st.booleans(),
            "person": st.one_of(maybe(st.sampled_from(person_ids)), st.integers(), json_junk),
            "unit": st.one_of(maybe(st.sampled_from(unit_ids)), st.integers()),
        },
    )
    stop = st.fixed_dictionaries(
        {"country": st.one_of(st.sampled_from([c.iso2 for c in countries] + ["HK", "MO", "hk", " fr "]), junk)},
        optional={"city": junk, "transit": st.one_of(st.booleans(), json_junk), "arrives_on": date_json,
                  "leaves_on": date_json},
    )
    # Bodies that pass the request's validation, so that the rules themselves run: plausible dates,
    # and now and then the extremes of the date range.
    near = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
    far = st.one_of(near, near, near, any_date)

    @st.composite
    def valid_trip(draw):
        departs = draw(far)
        span = draw(st.integers(0, 400))
        returns = date.fromordinal(min(departs.toordinal() + span, date.max.toordinal()))
        filed = draw(st.one_of(st.none(), far))
        return {
            "kind": draw(st.sampled_from(TripKind.values)), "purpose": draw(st.sampled_from(Purpose.values)),
            "departs_on": departs.isoformat(), "returns_on": returns.isoformat(),
            "filed_on": filed.isoformat() if filed else None,
            "jurisdiction": draw(st.sampled_from([d.code for d in divisions])),
            "invitation_issuer": draw(st.text(max_size=20)),
            "invitation_issuer_kind": draw(st.sampled_from([k for k, _ in ISSUER_KINDS])),
            "planned": draw(st.one_of(st.none(), st.booleans())),
            "members": draw(st.lists(st.fixed_dictionaries({
                "name": st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and "\x00" not in t),
                "rank": st.sampled_from(Person.Rank.values), "group_role": st.sampled_from(Member.GroupRole.values),
                "is_leader": st.booleans(), "teaching_research": st.booleans(),
                "person": st.one_of(st.none(), st.sampled_from(person_ids[:1]), st.integers(1, 2**63 - 1)),
                "unit": st.one_of(st.none(), st.sampled_from(unit_ids[:1]), st.integers(-2**63, 2**63 - 1)),
            }), min_size=1, max_size=8)),
            "stops": draw(st.lists(st.fixed_dictionaries({
                "country": st.sampled_from([c.iso2 for c in countries] + ["HK", "MO"]),
                "transit": st.booleans(),
                "arrives_on": st.one_of(st.none(), far.map(date.isoformat)),
                "leaves_on": st.one_of(st.none(), far.map(date.isoformat)),
            }), max_size=6)),
        }

    trip = st.fixed_dictionaries(
        {"kind": pick(TripKind.values), "purpose": pick(Purpose.values), "departs_on": date_json,
         "returns_on": date_json, "members": st.one_of(st.lists(member, max_size=8), json_junk)},
        optional={"stops": st.one_of(st.lists(stop, max_size=6), json_junk),
                  "jurisdiction": pick([d.code for d in divisions[:50]]), "filed_on": date_json,
                  "invitation_issuer": junk, "invitation_issuer_kind": pick([k for k, _ in ISSUER_KINDS]),
                  "planned": st.one_of(st.none(), st.booleans(), json_junk)},
    )
    trip_body = st.one_of(
        valid_trip().map(json.dumps),
        valid_trip().map(json.dumps),
        trip.map(lambda b: json.dumps(b, default=str)),
        trip.map(lambda b: json.dumps(b, default=str, ensure_ascii=False)),
        json_junk.map(json.dumps),
        st.text(max_size=200),
    )
    trip_user = st.sampled_from(["anonymous", "clerk", "staff"])

    from geo.models import Place

    place_ids = list(Place.objects.order_by("pk").values_list("pk", flat=True)[:20])
    clean_form = st.fixed_dictionaries({
        "cn_division": st.sampled_from(division_codes), "kind": st.sampled_from(["sister", "exchange", "intent"]),
        "signed_on": past.map(date.isoformat), "country": st.sampled_from(foreign_countries),
        "foreign_name_zh": place_name, "foreign_name_en": long_latin, "foreign_name_local": long_latin,
        "place_type": st.sampled_from(["city", "admin1", "admin2"]), "provenance": free_text, "notes": free_text,
        "published": st.sampled_from(["on", ""]),
    })
    fuzzed_form = st.fixed_dictionaries(
        {
            "cn_division": pick([d.code for d in divisions]), "kind": pick(["sister", "exchange", "intent"]),
            "signed_on": st.one_of(any_date.map(date.isoformat), date_text), "country": pick(country_texts),
            "foreign_name_zh": st.one_of(pick(names), st.text(min_size=90, max_size=120)),
        },
        optional={
            "foreign_name_en": junk, "foreign_name_local": junk, "place_type": pick(["city", "admin1", "admin2"]),
            "lat": number_text, "lon": number_text,
            "gazetteer": st.one_of(st.sampled_from(place_ids or [1]).map(str), st.integers().map(str), junk),
            "provenance": junk, "notes": junk, "published": st.sampled_from(["on", "", "false"]),
        },
    )
    return {
        "partnerships": table(imports.PARTNERSHIP_COLUMNS, partnership_row, partnership_cells,
                              imports.REQUIRED["partnerships"], needed=["signed_on"]),
        "exchanges": table(imports.EXCHANGE_COLUMNS, exchange_row, exchange_cells, imports.REQUIRED["exchanges"]),
        "items": table(ITEM_COLUMNS, item_row, item_cells, ["name_zh"], needed=["division", "on"]),
        "form": st.one_of(clean_form, fuzzed_form),
        "trip": st.tuples(trip_body, trip_user),
    }


def xlsx_bytes(headers, rows):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    try:
        wb.active.append(headers)
        for row in rows:
            wb.active.append(row)
    except (IllegalCharacterError, ValueError, TypeError):
        return None
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- the in-process targets -------------------------------------------------------------------------------


def registry_import(target, actors, what):
    from django.core.files.base import ContentFile

    from twinning import imports
    from twinning.models import ImportJob

    staff = actors["staff"]
    grows = "twinning.Partnership" if what == "partnerships" else "twinning.Exchange"

    def check(generated):
        name, data, _rows = generated
        before, before_ids = counts(), max_ids()
        job = ImportJob.objects.create(what=what, file=ContentFile(data, name=name), original_name=name,
                                       created_by=staff)
        try:
            # As twinning.views.import_start and import_commit do (threads are off: it runs here).
            job.total = imports.count_rows(job)
            job.save(update_fields=["total"])
            imports.run(job, staff, imports.validate, "zh-hans")
            job.refresh_from_db()
            target.outcomes[f"dry run {job.state}"] += 1
            for problem in postgres_problems(job):
                target.problem("postgres", problem, generated)
            if counts() != before:
                target.problem("half_written", f"the dry run wrote: {before} → {counts()}", generated)
                return
            if job.state != ImportJob.State.READY:
                return
            try:
                imports.run(job, staff, imports.commit, "zh-hans")
            except Exception:
                if counts() != before:
                    target.problem("half_written", f"a failed import wrote: {before} → {counts()}", generated)
                raise
            job.refresh_from_db()
            target.outcomes[f"import {job.state}"] += 1
            after = counts()
            if job.state != ImportJob.State.DONE:
                if after != before:
                    target.problem("half_written", f"import {job.state} but wrote: {before} → {after}", generated)
                return
            if after[grows] - before[grows] != job.created:
                target.problem("half_written", f"{job.created} rows imported, {grows} count {before} → {after}",
                               generated)
            for obj in new_objects(before_ids):
                for problem in postgres_problems(obj):
                    target.problem("postgres", problem, generated)
        finally:
            job.file.delete(save=False)

    return check


def item_import(target, actors):
    from atlas import items
    from twinning.imports import ImportFileError, read_table

    layer, staff = actors["layer"], actors["staff"]

    def check(generated):
        name, data, _rows = generated
        before, before_ids = counts(), max_ids()
        try:
            headers, table = read_table(io.BytesIO(data), name)
            mapping = items.map_headers(headers)
        except ImportFileError:
            target.outcomes["file refused"] += 1
            return
        parsed, errors = items.validate_rows(table, mapping, layer)
        if counts() != before:
            target.problem("half_written", f"the check wrote: {before} → {counts()}", generated)
            return
        if errors or not parsed:
            target.outcomes["rows refused" if errors else "no rows"] += 1
            return
        for _line, row in parsed:
            if "layer" in row and row["layer"] is not layer:
                raise AssertionError("a row for another layer")
        added, _updated = items.import_rows(parsed, staff)
        target.outcomes["imported"] += 1
        after = counts()
        if after["atlas.LayerItem"] - before["atlas.LayerItem"] != added:
            target.problem("half_written", f"{added} items added, LayerItem count {before} → {after}", generated)
        names = [row["name_zh"] for _line, row in parsed]
        for obj in list(layer.items.filter(name_zh__in=names)) + new_objects(before_ids):
            for problem in postgres_problems(obj):
                target.problem("postgres", problem, generated)

    return check


def partnership_form(target, actors, client_errors):
    from django.test import Client

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(actors["staff"], backend="django.contrib.auth.backends.ModelBackend")

    def check(data):
        before, before_ids = counts(), max_ids()
        del client_errors[:]
        response = client.post("/twinning/new/", data)
        target.outcomes[f"answered {response.status_code}"] += 1
        after = counts()
        if response.status_code >= 500:
            target.problem("server_errors", f"{response.status_code}\n{''.join(client_errors)[-1500:]}", data)
            if after != before:
                target.problem("half_written", f"a failed save wrote: {before} → {after}", data)
            return
        if response.status_code == 302 and "/twinning/" in response["Location"]:
            if after["twinning.Partnership"] != before["twinning.Partnership"] + 1:
                target.problem("half_written", f"saved, but counts {before} → {after}", data)
            for obj in new_objects(before_ids):
                for problem in postgres_problems(obj):
                    target.problem("postgres", problem, data)
        elif after != before:
            target.problem("half_written", f"refused ({response.status_code}) but wrote: {before} → {after}", data)

    return check


def trip_check(target, actors, client_errors):
    from django.test import Client

    clients = {}
    for who in ("anonymous", "clerk", "staff"):
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        if who != "anonymous":
            client.force_login(actors[who], backend="django.contrib.auth.backends.ModelBackend")
        clients[who] = client

    def check(generated):
        body, who = generated
        before = counts()
        del client_errors[:]
        started = time.monotonic()
        response = clients[who].post("/api/trips/check", body, content_type="application/json")
        took = time.monotonic() - started
        target.outcomes[f"answered {response.status_code}"] += 1
        if took > 5:
            target.notes.append(f"a check took {took:.1f} s: {body[:300]}")
        if response.status_code >= 500:
            target.problem("server_errors", f"{response.status_code}\n{''.join(client_errors)[-1500:]}", generated)
        if counts() != before:
            target.problem("half_written", f"the check wrote: {before} → {counts()}", generated)

    return check


# --- main ---------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300,
                        help="hypothesis examples per form and importer target (default 300)")
    parser.add_argument("--api-examples", type=int, default=40,
                        help="schemathesis test cases per API operation in the fuzzing phase (default 40)")
    parser.add_argument("--seed", type=int, default=1, help="seed of schemathesis and hypothesis (default 1)")
    parser.add_argument("--no-schema-check", action="store_true",
                        help="check only for server errors, not the responses against the schema")
    parser.add_argument("--skip-api", action="store_true", help="leave out schemathesis")
    parser.add_argument("--postgres", metavar="URL",
                        help="use a fresh database on this PostgreSQL server (postgres://user@host:port) instead of "
                             "SQLite; it is dropped afterwards")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs, reports)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="waishi-fuzz-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'fuzz.sqlite3'}",
        "WAISHI_VAR_DIR": str(tmp),
        "WAISHI_MEDIA_ROOT": str(tmp / "media"),
        "WAISHI_DEBUG": "1",
        "WAISHI_REQUIRE_2FA": "0",
        "WAISHI_IMPORT_THREADS": "0",
        "WAISHI_ENV": "development",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(tmp / "hypothesis")  # not .hypothesis/ in the work tree
    pg_name = f"waishi_fuzz_{os.getpid()}"
    if args.postgres:
        env["DATABASE_URL"] = postgres_database(args.postgres, "create", pg_name)
    targets = []
    server = None
    started = time.monotonic()
    try:
        log(f"Building a fresh database ({env['DATABASE_URL'].split('://')[0]}) in {tmp} …")
        build_database(env, tmp / "setup.log")
        setup_django(env)
        actors = make_actors()
        log(f"  done in {time.monotonic() - started:.0f} s")

        if not args.skip_api:
            server = Server(env, tmp / "server.log")
            server.wait()
            log(f"Serving on {server.base}; schemathesis against {server.base}/api/schema/")
            cookie, token = login(server.base, actors["staff"].username)
            runs = [
                ("API (anonymous)", {}),
                ("API (staff)", {"Cookie": cookie, "X-CSRFToken": token, "Referer": urljoin(server.base, "/")}),
            ]
            for name, headers in runs:
                target = Target(name)
                targets.append(target)
                before = counts()
                run_schemathesis(target, server, tmp, headers, args)
                if counts() != before:
                    target.problem("half_written", f"the read-only API wrote: {before} → {counts()}")
                log(f"  {name}: {target.tried} test cases, {target.server_errors} server errors "
                    f"({target.seconds:.0f} s)")
            server.stop()
            server = None

        from hypothesis import strategies as st  # noqa: F401  imported here: after django.setup()

        plans = strategies(actors)
        client_errors = request_errors()
        in_process = [
            ("registry import: partnerships", plans["partnerships"],
             lambda t: registry_import(t, actors, "partnerships")),
            ("registry import: exchanges", plans["exchanges"], lambda t: registry_import(t, actors, "exchanges")),
            ("map layer item import", plans["items"], lambda t: item_import(t, actors)),
            ("partnership form POST /twinning/new/", plans["form"],
             lambda t: partnership_form(t, actors, client_errors)),
            ("POST /api/trips/check", plans["trip"], lambda t: trip_check(t, actors, client_errors)),
        ]
        for name, strategy, make_check in in_process:
            target = Target(name)
            targets.append(target)
            log(f"Fuzzing {name} ({args.examples} examples) …")
            hypothesis_run(target, strategy, make_check(target), args.examples, args.seed)
            log(f"  {target.tried} inputs, {target.server_errors} server errors, {target.half_written} half-written, "
                f"{target.postgres} refused by PostgreSQL ({target.seconds:.0f} s)")
    finally:
        if server is not None:
            server.stop()
        print_summary(targets)
        if args.postgres:
            postgres_database(args.postgres, "drop", pg_name)
        log(f"\nWall time {time.monotonic() - started:.0f} s.")
        if args.keep:
            log(f"Kept {tmp} (database, server.log, schemathesis.log and reports).")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    failed = [t.name for t in targets if t.failed]
    if failed:
        log(f"FAILED: {', '.join(failed)}")
        return 1
    log("OK: no server error and no half-written data.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
