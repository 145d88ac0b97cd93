"""The one import engine of the registry: partnerships and exchanges from Excel or CSV files.

A file is read as published (waishi.tables: title rows, merged cells, Chinese or
English headings, UTF-8 or GB18030). Every row is understood first (the dry run):
what was understood (Chinese side, country, foreign place in Chinese and English,
date with its precision, coordinates) or why the row is refused. Rows are written
only when every row is good, in one transaction, exactly as the dry run decided:
the places a file creates or reuses are decided once, in the dry run, so a file
that passes it always commits with the same counts.

The web pages (twinning.views) and `manage.py import_partnerships` both call
`understand` and `write`.
"""

import math
import re
import threading
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import restrict
from geo.divisions import home_division, resolve_division
from geo.text import CJK, normalize
from waishi.tables import TableError, cell_text, first_formula, read_table, recognise

from .dates import DateError, parse_partial_date
from .models import Exchange, ForeignPlace, ImportJob, ImportMapping, Kind, Partnership, PlaceType
from .services import KnownPlaces, check_partnership, owner_for, save_partnership

# Headings each field is recognised by, Chinese and English; compared case-, width- and space-insensitively.
PARTNERSHIP_COLUMNS = {
    "seq": ["序号", "编号", "No.", "No", "#", "Number", "S/N"],
    "cn_division": ["中方", "中方城市", "中方单位", "中方地区", "国内城市", "我方城市", "Chinese side", "Chinese city",
                    "cn_division"],
    "foreign_name": ["友好城市", "城市", "友城", "友城名称", "外方", "外方城市", "缔结友城", "City", "Sister city",
                     "Sister cities", "Friendship city", "Partner city", "Twin city", "Foreign city", "Foreign side"],
    "foreign_name_zh": ["外方城市中文名", "外方中文名", "中文名", "中文名称", "Chinese name", "foreign_name_zh"],
    "foreign_name_en": ["外方英文名", "英文名", "英文名称", "外文名", "English name", "foreign_name_en"],
    "foreign_name_local": ["外方当地名", "当地名", "Local name", "foreign_name_local"],
    "foreign_admin1": ["所属州/省", "所属州省", "州/省", "省/州", "州省", "所在州/省", "所属省份", "所属州", "州",
                       "State/Province", "State / Province", "State", "Province", "Region", "Prefecture",
                       "foreign_admin1"],
    "country": ["国家", "国别", "所属国家", "所在国家", "国家/地区", "国家（地区）", "国家(地区)", "Country",
                "Nation", "Country/Region"],
    "signed_on": ["结好时间", "签约时间", "结好日期", "签约日期", "缔结时间", "缔结日期", "建立时间", "确立时间",
                  "结好年份", "时间", "日期", "Date", "Date of Establishment", "Date Established", "Established",
                  "Signed on", "Date signed", "Date of signing", "Year", "signed_on"],
    "kind": ["类型", "关系类型", "类别", "Kind", "Type", "Relationship"],
    "place_type": ["地点类型", "Place type", "place_type"],
    "lat": ["纬度", "Latitude", "lat"],
    "lon": ["经度", "Longitude", "lon"],
    "provenance": ["来源", "Source", "Provenance"],
    "notes": ["备注", "Notes", "Remarks", "Note"],
}
EXCHANGE_COLUMNS = {
    "occurred_on": ["日期", "Date", "occurred_on"],
    "ended_on": ["结束日期", "End date", "ended_on"],
    "kind": ["类型", "Kind"],
    "title": ["标题", "事项", "Title"],
    "cn_division": ["中方", "中方城市", "Chinese side", "cn_division"],
    "foreign": ["外方城市", "外方", "Foreign side", "foreign"],
    "delegation_size": ["人数", "People", "delegation_size"],
    "description": ["说明", "内容", "Description"],
}
COLUMNS = {"partnerships": PARTNERSHIP_COLUMNS, "exchanges": EXCHANGE_COLUMNS}
_l = gettext_lazy
FIELD_LABELS = {
    "seq": _l("No."), "cn_division": _l("Chinese side"), "foreign_name": _l("Foreign side (name)"),
    "foreign_name_zh": _l("Foreign side (Chinese name)"), "foreign_name_en": _l("Foreign side (English name)"),
    "foreign_name_local": _l("Foreign side (local name)"), "foreign_admin1": _l("State / province"),
    "country": _l("Country"), "signed_on": _l("Signed on"), "kind": _l("Kind"), "place_type": _l("Type of place"),
    "lat": _l("Latitude"), "lon": _l("Longitude"), "provenance": _l("Provenance"), "notes": _l("Notes"),
    "occurred_on": _l("Date"), "ended_on": _l("End date"), "title": _l("Title"), "foreign": _l("Foreign side"),
    "delegation_size": _l("People"), "description": _l("Description"),
}
KIND_WORDS = {
    "友好城市": Kind.SISTER, "友城": Kind.SISTER, "国际友好城市": Kind.SISTER, "友好省州": Kind.SISTER,
    "sister": Kind.SISTER, "sister city": Kind.SISTER, "friendship city": Kind.SISTER, "twin town": Kind.SISTER,
    "友好交流城市": Kind.EXCHANGE, "友好合作关系": Kind.EXCHANGE, "友好交流关系": Kind.EXCHANGE,
    "exchange": Kind.EXCHANGE, "friendly exchange city": Kind.EXCHANGE, "friendship exchange city": Kind.EXCHANGE,
    "意向": Kind.INTENT, "意向友城": Kind.INTENT, "意向书": Kind.INTENT, "intent": Kind.INTENT,
    "letter of intent": Kind.INTENT,
}
PLACE_WORDS = {"州省": PlaceType.ADMIN1, "州/省": PlaceType.ADMIN1, "admin1": PlaceType.ADMIN1,
               "admin2": PlaceType.ADMIN2, "县区": PlaceType.ADMIN2, "城市": PlaceType.CITY, "city": PlaceType.CITY}
EXCHANGE_WORDS = {
    "来访": Exchange.ExchangeKind.VISIT_IN, "visit_in": Exchange.ExchangeKind.VISIT_IN,
    "incoming visit": Exchange.ExchangeKind.VISIT_IN,
    "出访": Exchange.ExchangeKind.VISIT_OUT, "visit_out": Exchange.ExchangeKind.VISIT_OUT,
    "outgoing visit": Exchange.ExchangeKind.VISIT_OUT,
    "线上会见": Exchange.ExchangeKind.ONLINE, "视频会见": Exchange.ExchangeKind.ONLINE,
    "online": Exchange.ExchangeKind.ONLINE, "online meeting": Exchange.ExchangeKind.ONLINE,
    "活动": Exchange.ExchangeKind.EVENT, "event": Exchange.ExchangeKind.EVENT,
    "签约": Exchange.ExchangeKind.AGREEMENT, "agreement": Exchange.ExchangeKind.AGREEMENT,
    "agreement signed": Exchange.ExchangeKind.AGREEMENT,
    "其他": Exchange.ExchangeKind.OTHER, "other": Exchange.ExchangeKind.OTHER,
}
PROGRESS_EVERY = 250
PREVIEW_ROWS = 500
MAX_COUNT = 2_147_483_647  # the largest PositiveIntegerField PostgreSQL holds
TEXT_LIMITS = {"foreign_name_zh": 100, "foreign_name_en": 150, "foreign_name_local": 150, "foreign_name_given": 200,
               "foreign_admin1": 150}


class ImportFileError(Exception):
    pass


def required_fields(what, side_given):
    if what == "exchanges":
        return ["occurred_on", "kind", "title", "cn_division", "foreign"]
    return ["country"] + ([] if side_given else ["cn_division"])


def missing_fields(what, mapping, side_given=True):
    missing = [f for f in required_fields(what, side_given) if f not in mapping]
    if what == "partnerships" and not {"foreign_name", "foreign_name_zh", "foreign_name_en"} & set(mapping):
        missing.append("foreign_name")
    return missing


def header_key(heading):
    return normalize(heading)[:200]


def auto_mapping(what, headers, user=None):
    """{field: column index}: headings recognised, then headings this user mapped by hand before."""
    mapping = recognise(headers, COLUMNS[what])
    if user is not None and getattr(user, "pk", None):
        remembered = dict(
            ImportMapping.objects.filter(user=user, what=what).values_list("header_key", "field")
        )
        for index, heading in enumerate(headers):
            field_name = remembered.get(header_key(heading))
            if field_name in COLUMNS[what] and field_name not in mapping and index not in mapping.values():
                mapping[field_name] = index
    return mapping


def remember_mapping(user, what, headers, mapping):
    """Keep the headings a user mapped by hand (those not recognised by name) for the next file."""
    recognised = recognise(headers, COLUMNS[what])
    for field_name, index in mapping.items():
        if recognised.get(field_name) == index or index >= len(headers) or not headers[index]:
            continue
        ImportMapping.objects.update_or_create(
            user=user, what=what, header_key=header_key(headers[index]), defaults={"field": field_name}
        )


@dataclass
class Row:
    """One data row: what was understood, or why it is refused."""

    line: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    place_key: object = None  # an existing ForeignPlace pk, or a key shared by the rows of one new place

    @property
    def ok(self):
        return not self.errors

    def error(self, label, message):
        self.errors.append(f"{label}: {message}" if label else str(message))

    def result(self):
        """The row as the report and `--json` give it."""
        v = self.values
        division, country = v.get("cn_division"), v.get("country")
        signed = v.get("signed_on")
        return {
            "row": self.line,
            "status": "accepted" if self.ok else "rejected",
            "errors": [str(e) for e in self.errors],
            "warnings": [str(w) for w in self.warnings],
            "chinese_side": getattr(division, "code", None),
            "country": getattr(country, "iso2", None),
            "foreign_name_zh": v.get("foreign_name_zh") or None,
            "foreign_name_en": v.get("foreign_name_en") or None,
            "signed_on": _iso_partial(signed, v.get("signed_precision")),
            "lat": _finite(v.get("lat")),
            "lon": _finite(v.get("lon")),
        }


def _finite(number):
    # NaN and infinity are refused with the row; the report itself stays valid JSON.
    return number if isinstance(number, float) and math.isfinite(number) else None


def _iso_partial(value, precision):
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


@dataclass
class Report:
    what: str
    headers: list
    mapping: dict
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    written: int = 0

    @property
    def accepted(self):
        return sum(1 for r in self.rows if r.ok)

    @property
    def rejected(self):
        return len(self.rows) - self.accepted

    @property
    def ok(self):
        return not self.file_errors and bool(self.rows) and self.rejected == 0

    def as_json(self):
        return {
            "rows": len(self.rows),
            "accepted": self.accepted,
            "rejected": self.rejected,
            "written": self.written,
            "results": [r.result() for r in self.rows],
        }


def _cell(row, mapping, name):
    index = mapping.get(name)
    if index is None or index >= len(row):
        return None
    return row[index]


def _formula_errors(cells, result):
    formula = first_formula(cells)
    if formula:
        result.error(None, _("formulas are not accepted: “%(text)s”") % {"text": formula[:40]})


class Context:
    """What the rows of one file share: the user, the Chinese side chosen for rows that name none,
    caches of the names already resolved, and the pairs and places the file has met so far."""

    def __init__(self, user, side=None, city_column=False):
        self.user = user
        self.side = side
        # An English list's name column headed "City" (not "Sister cities", which lists states too).
        self.city_column = city_column
        self.home = home_division()
        self.divisions = {}
        self.pairs = {}
        self.known = KnownPlaces()

    def division(self, text):
        key = normalize(text)
        if key not in self.divisions:
            self.divisions[key] = resolve_division(text)
        return self.divisions[key]


def _split_foreign_name(text, values):
    """A single "City" column holds either a Chinese or an English name; a cell may hold both."""
    text = text.strip()
    if not text:
        return
    if CJK.search(text):
        # "滋贺县 (Shiga)" or "滋贺县 Shiga Prefecture": a Chinese name followed by a Latin one.
        match = re.match(r"^([^A-Za-z(（]+?)\s*[(（]?\s*([A-Za-z][^)）]*)?[)）]?$", text)
        if match and match.group(2) and not values.get("foreign_name_en"):
            values["foreign_name_zh"] = values.get("foreign_name_zh") or match.group(1).strip()
            values["foreign_name_en"] = match.group(2).strip()
        elif not values.get("foreign_name_zh"):
            values["foreign_name_zh"] = text
    elif not values.get("foreign_name_en"):
        values["foreign_name_en"] = text


def parse_partnership_row(line, cells, mapping, context):
    row = Row(line=line)
    _formula_errors(cells, row)
    values = {"owner": None}
    side_text = cell_text(_cell(cells, mapping, "cn_division"))
    if side_text:
        division, candidates = context.division(side_text)
        if division is None:
            if candidates:
                row.error(_("Chinese side"), _("“%(text)s” could be %(candidates)s: write the full name.")
                          % {"text": side_text, "candidates": "、".join(d.name_zh for d in candidates)})
            else:
                row.error(_("Chinese side"), _("no division “%(text)s” in %(home)s")
                          % {"text": side_text, "home": context.home.name_zh})
    else:
        division = context.side
        if division is None:
            row.error(_("Chinese side"), _("the row names none: choose the Chinese side of the file"))
    values["cn_division"] = division

    for name in ("foreign_name_zh", "foreign_name_en", "foreign_name_local", "foreign_admin1", "provenance", "notes"):
        values[name] = cell_text(_cell(cells, mapping, name))
    generic = cell_text(_cell(cells, mapping, "foreign_name"))
    _split_foreign_name(generic, values)
    if context.city_column:
        values["place_type_hint"] = PlaceType.CITY
    values["foreign_name_given"] = generic or values["foreign_name_zh"] or values["foreign_name_en"]
    for name, limit in TEXT_LIMITS.items():
        if len(values.get(name) or "") > limit:
            row.error(FIELD_LABELS.get(name, _("Foreign side (name)")),
                      _("longer than %(max)s characters") % {"max": limit})
            values[name] = values[name][:limit]
    values["country"] = cell_text(_cell(cells, mapping, "country"))

    kind_text = cell_text(_cell(cells, mapping, "kind"))
    values["kind"] = KIND_WORDS.get(kind_text.lower(), kind_text) if kind_text else Kind.SISTER
    place_text = cell_text(_cell(cells, mapping, "place_type"))
    values["place_type"] = PLACE_WORDS.get(place_text.lower(), place_text) if place_text else ""

    raw_date = _cell(cells, mapping, "signed_on")
    try:
        partial = parse_partial_date(raw_date)
    except DateError:
        row.error(_("Signed on"), _("not a date: “%(text)s” (write 1979-05-02, 1979年5月 or 2014年)")
                  % {"text": cell_text(raw_date)[:40]})
        partial = None
    values["signed_on"] = partial.value if partial else None
    values["signed_precision"] = partial.precision if partial else "day"

    for name, label in (("lat", _("Latitude")), ("lon", _("Longitude"))):
        text = cell_text(_cell(cells, mapping, name))
        try:
            values[name] = float(text) if text else None
        except ValueError:
            row.error(label, _("not a number: “%(text)s”") % {"text": text[:40]})
            values[name] = None

    if division is not None:
        # Pairs repeated within the file are found below, once the row's place is decided.
        checked = check_partnership(values, user=context.user, undated_ok=True, home=context.home,
                                    known=context.known)
        for messages in checked.errors.values():
            for message in messages:
                row.error(None, message)
        row.warnings.extend(checked.warnings)
        values = checked.values
    row.values = values
    if row.ok:
        row.place_key = _decide_place(values, checked.place)
        pair = (values["cn_division"].code, row.place_key)
        if pair in context.pairs:
            row.error(None, _("%(cn)s already has a partnership with %(foreign)s in line %(line)s of this file.")
                      % {"cn": values["cn_division"].name_zh,
                         "foreign": values.get("foreign_name_zh") or values.get("foreign_name_en"),
                         "line": context.pairs[pair]})
        else:
            context.pairs[pair] = line
    return row


def _decide_place(values, existing):
    """Which place this row's partnership will point at: the registry's place these values name (found by
    check_partnership), or a new one shared by the rows of the file that name the same place."""
    country = values["country"]
    if existing is not None:
        return existing.pk
    gazetteer = values.get("gazetteer")
    return ("new", country.iso2, normalize(values.get("foreign_admin1")),
            getattr(gazetteer, "pk", None) or normalize(values.get("foreign_name_zh") or values.get("foreign_name_en")))


def find_partnership(division, foreign_text, user):
    key = normalize(foreign_text)
    qs = restrict(Partnership.objects.filter(cn_division=division).select_related("foreign"), user, "change")
    return [p for p in qs if key in {normalize(p.foreign.name_zh), normalize(p.foreign.name_en)} - {""}]


def parse_exchange_row(line, cells, mapping, context):
    row = Row(line=line)
    _formula_errors(cells, row)
    data = {}
    for name, label in (("occurred_on", _("Date")), ("ended_on", _("End date"))):
        raw = _cell(cells, mapping, name)
        try:
            partial = parse_partial_date(raw)
        except DateError:
            row.error(label, _("not a date: “%(text)s”") % {"text": cell_text(raw)[:40]})
            partial = None
        if partial is not None and partial.precision != "day":
            row.error(label, _("give the day of the exchange"))
            partial = None
        data[name] = partial.value if partial else None
    if data["occurred_on"] is None and not row.errors:
        row.error(_("Date"), _("required"))
    elif data["occurred_on"] and data["occurred_on"] > date.today():
        row.error(_("Date"), _("in the future"))
    if data["occurred_on"] and data["ended_on"] and data["ended_on"] < data["occurred_on"]:
        row.error(_("End date"), _("before the start date"))
    kind_text = cell_text(_cell(cells, mapping, "kind"))
    data["kind"] = EXCHANGE_WORDS.get(kind_text.lower())
    if data["kind"] is None:
        row.error(_("Kind"), _("unknown kind “%(text)s”") % {"text": kind_text[:40]})
    data["title"] = cell_text(_cell(cells, mapping, "title"))
    limit = Exchange._meta.get_field("title").max_length
    if not data["title"]:
        row.error(_("Title"), _("required"))
    elif len(data["title"]) > limit:
        row.error(_("Title"), _("longer than %(max)s characters") % {"max": limit})
    data["description"] = cell_text(_cell(cells, mapping, "description"))
    size = cell_text(_cell(cells, mapping, "delegation_size"))
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    data["delegation_size"] = int(size) if size.isdecimal() else None
    if size and not size.isdecimal():
        row.error(_("People"), _("not a whole number"))
    elif data["delegation_size"] is not None and data["delegation_size"] > MAX_COUNT:
        row.error(_("People"), _("at most %(max)s") % {"max": MAX_COUNT})
    cn_text = cell_text(_cell(cells, mapping, "cn_division"))
    division, _candidates = context.division(cn_text) if cn_text else (context.side, [])
    partnerships = []
    if division is None:
        row.error(_("Chinese side"), _("unknown division “%(text)s”") % {"text": cn_text[:40]})
    else:
        for name in re.split(r"[;；、]", cell_text(_cell(cells, mapping, "foreign"))):
            if not name.strip():
                continue
            found = find_partnership(division, name.strip(), context.user)
            if len(found) != 1:
                row.error(
                    _("Foreign side"),
                    _("no partnership of %(cn)s with “%(name)s” that you may change")
                    % {"cn": division.name_zh, "name": name.strip()[:60]},
                )
            else:
                partnerships.extend(found)
    if division is not None and not partnerships and row.ok:
        row.error(_("Foreign side"), _("required"))
    if partnerships and row.ok:
        try:
            owner_for(context.user, partnerships)
        except Exception:  # PermissionDenied: the partnerships have no owner this user may keep records for
            row.error(_("Foreign side"), _("these partnerships have no common jurisdiction you may keep"))
    data["partnerships"] = partnerships
    row.values = data
    return row


PARSERS = {"partnerships": parse_partnership_row, "exchanges": parse_exchange_row}


def understand(fileobj, name, *, what, user, side=None, mapping=None, progress=None):
    """The dry run: read the file and judge every row. Nothing is written."""
    try:
        table = read_table(fileobj, name, COLUMNS[what])
    except TableError as exc:
        return Report(what=what, headers=[], mapping={}, file_errors=[str(exc)])
    mapping = dict(mapping) if mapping is not None else auto_mapping(what, table.headers, user)
    report = Report(what=what, headers=table.headers, mapping=mapping)
    missing = missing_fields(what, mapping, side_given=side is not None)
    if missing:
        report.file_errors.append(
            _("Columns not found: %(columns)s. Map them to the file's columns.")
            % {"columns": "、".join(str(FIELD_LABELS[f]) for f in missing)}
        )
        return report
    name_index = mapping.get("foreign_name")
    heading = normalize(report.headers[name_index]) if name_index is not None and name_index < len(
        report.headers) else ""
    context = Context(user, side=side, city_column=heading in {"city", "foreigncity", "partnercity"}
                      and "place_type" not in mapping)
    parse = PARSERS[what]
    try:
        for index, (line, cells) in enumerate(table.rows, start=1):
            report.rows.append(parse(line, cells, mapping, context))
            if progress and index % PROGRESS_EVERY == 0:
                progress(index)
    except TableError as exc:
        report.file_errors.append(str(exc))
    if not report.rows and not report.file_errors:
        report.file_errors.append(_("The file has no data rows."))
    return report


def write(report, *, user, progress=None):
    """Write every row of a report that passed, exactly as the dry run decided; all or none.

    The change log names `user` as the actor, whether the rows come from the page, a background
    run or the command line.
    """
    from auditlog.context import set_actor

    if not report.ok:
        raise ValueError("only a report without errors is written")
    with set_actor(user), transaction.atomic():
        return _write_rows(report, user, progress)


def _write_rows(report, user, progress):
    new_places = {}
    for index, row in enumerate(report.rows, start=1):
        values = dict(row.values)
        if report.what == "partnerships":
            key = row.place_key
            if isinstance(key, int):
                values["foreign_place"] = ForeignPlace.objects.get(pk=key)
            elif key in new_places:
                values["foreign_place"] = new_places[key]
            else:
                values["foreign_place"] = ForeignPlace(country=values["country"])
            partnership = save_partnership(values, user=user, fill_only=True)
            new_places.setdefault(key, partnership.foreign)
        else:
            partnerships = values.pop("partnerships")
            exchange = Exchange.objects.create(owner=owner_for(user, partnerships), created_by=user, **values)
            exchange.partnerships.set(partnerships)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
    report.written = len(report.rows)
    return report.written


# The import pages: a job keeps the uploaded file between the dry run and the import.


def job_mapping(job):
    return {k: int(v) for k, v in (job.mapping or {}).items()}


def run_dry(job, user, progress=True):
    """Judge every row of the job's file; the job keeps the report."""
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.VALIDATING, processed=0)

    def step(index):
        ImportJob.objects.filter(pk=job.pk).update(processed=index)

    report = _understand_job(job, user, step if progress else None)
    _record(job, report)
    return report


def _understand_job(job, user, progress):
    job.file.open("rb")
    try:
        return understand(job.file, job.original_name, what=job.what, user=user, side=job.side,
                          mapping=job_mapping(job) if job.mapping else None, progress=progress)
    finally:
        job.file.close()


def _record(job, report):
    job.total = len(report.rows)
    job.processed = len(report.rows)
    errors = [{"line": 1, "messages": [str(m)]} for m in report.file_errors]
    errors += [{"line": r.line, "messages": [str(m) for m in r.errors]} for r in report.rows if r.errors]
    job.errors = errors
    shown = [r for r in report.rows if r.errors][:PREVIEW_ROWS] if errors else []
    shown += [r for r in report.rows if not r.errors][: max(0, PREVIEW_ROWS - len(shown))]
    shown.sort(key=lambda r: r.line)
    job.preview = [_preview(report.what, r) for r in shown]
    if not job.mapping and report.mapping:
        job.mapping = report.mapping
    _finish(job, ImportJob.State.READY if report.ok else ImportJob.State.INVALID)


def _preview(what, row):
    if what == "partnerships":
        result = row.result()
        result["chinese_side_name"] = getattr(row.values.get("cn_division"), "name_zh", None)
        result["country_name"] = getattr(row.values.get("country"), "name", None)
        result["signed_on_shown"] = _shown_date(row.values)
        return result
    v = row.values
    return {
        "row": row.line, "status": "accepted" if row.ok else "rejected",
        "errors": [str(e) for e in row.errors], "warnings": [],
        "occurred_on": v["occurred_on"].isoformat() if v.get("occurred_on") else None,
        "title": v.get("title"), "partnerships": [str(p) for p in v.get("partnerships", [])],
    }


def _shown_date(values):
    from .dates import format_partial

    return format_partial(values.get("signed_on"), values.get("signed_precision"), translation.get_language())


def _finish(job, state, **fields):
    job.state = state
    for key, value in fields.items():
        setattr(job, key, value)
    job.finished_at = timezone.now() if state in {ImportJob.State.DONE, ImportJob.State.INVALID} else None
    if state in {ImportJob.State.DONE, ImportJob.State.INVALID, ImportJob.State.FAILED} and job.file:
        # The uploaded file is not kept once the import is done or refused (residual information);
        # a corrected file is uploaded again, and the columns mapped by hand are remembered.
        job.file.delete(save=False)
    job.save()


def run_commit(job, user):
    """Judge the file again (the registry may have changed since the dry run), then write all rows or none."""
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING, processed=0)
    report = _understand_job(job, user, None)
    if not report.ok:
        _record(job, report)
        return job

    def step(index):
        _progress_outside_transaction(job.pk, index)

    try:
        write(report, user=user, progress=step)
    except Exception as exc:
        _finish(job, ImportJob.State.FAILED, errors=[{"line": 0, "messages": [str(exc)]}])
        raise
    _finish(job, ImportJob.State.DONE, created=report.written, processed=report.written, total=report.written)
    return job


def _progress_outside_transaction(pk, index):
    # On PostgreSQL the progress row is updated by a second connection so that
    # the page can see it while the import transaction is still open.
    from django.db import connections

    if connections["default"].vendor == "sqlite":
        return
    thread = threading.Thread(target=_update_progress, args=(pk, index))
    thread.start()
    thread.join()


def _update_progress(pk, index):
    try:
        ImportJob.objects.filter(pk=pk).update(processed=index)
    finally:
        close_old_connections()


def run(job, user, action, language=None):
    """Run `run_dry` or `run_commit` now, or in the background for long files."""
    if job.total and job.total <= settings.WAISHI_IMPORT_BACKGROUND_ROWS or not settings.WAISHI_IMPORT_THREADS:
        with translation.override(language or translation.get_language()):
            action(job, user)
        return False

    def target():
        try:
            with translation.override(language):
                action(job, user)
        except Exception:  # the job records the failure
            pass
        finally:
            close_old_connections()

    threading.Thread(target=target, daemon=True).start()
    return True


def peek(job, user):
    """The headings of the job's file and the columns recognised or remembered, for the mapping page."""
    try:
        job.file.open("rb")
    except OSError as exc:
        raise ImportFileError(_("The uploaded file is no longer there: upload it again.")) from exc
    try:
        table = read_table(job.file, job.original_name, COLUMNS[job.what])
        total = sum(1 for _row in table.rows)
    except TableError as exc:
        raise ImportFileError(str(exc)) from exc
    finally:
        job.file.close()
    return table.headers, auto_mapping(job.what, table.headers, user), total


def refuse(job, message):
    """A file that cannot be read at all: the job says why and the file is not kept."""
    job.errors = [{"line": 1, "messages": [str(message)]}]
    job.preview = []
    _finish(job, ImportJob.State.INVALID)
    if job.file:
        job.file.delete(save=True)


TEMPLATE_NOTES = {
    "cn_division": _l("The Chinese side: a province, prefecture or county of the home jurisdiction (长沙市, 浏阳市). "
                      "Leave the column out when the whole list is of one side: it is chosen on upload."),
    "foreign_name": _l("The foreign city, state or county, in Chinese or in English (滋贺县, Shiga)."),
    "foreign_name_zh": _l("Its Chinese name, when the list gives both."),
    "foreign_name_en": _l("Its English name, when the list gives both."),
    "foreign_name_local": _l("Its name in the local language, if useful."),
    "foreign_admin1": _l("The state or province it lies in, which tells apart places of the same name."),
    "country": _l("The country, in Chinese or English, or its ISO code (日本, Japan, JP)."),
    "signed_on": _l("The signing date: 1983-03-25, 1983.3.25, 1983年3月25日, 1983年3月 or 1983年."),
    "kind": _l("友好城市 (friendship city, the default), 友好交流城市 (friendly exchange city) or 意向友城 (intent)."),
    "place_type": _l("州省 (state / province), 县区 (county / district) or 城市 (city, the default)."),
    "lat": _l("Latitude in decimal degrees, if known; otherwise the place is looked up."),
    "lon": _l("Longitude in decimal degrees, if known."),
    "provenance": _l("The document the row comes from."),
    "notes": _l("Anything else."),
    "occurred_on": _l("The day of the exchange: 2024-05-20."),
    "ended_on": _l("The last day, for an exchange of several days."),
    "title": _l("What happened, in a line."),
    "foreign": _l("The foreign side(s) of the partnership(s), separated by 、"),
    "delegation_size": _l("How many people took part."),
    "description": _l("A description."),
}


def template_workbook(what):
    """A workbook listing the columns, with what each accepts, and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .exports import to_bytes

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("data"))
    fields = [f for f in COLUMNS[what] if f != "seq" and f != "foreign_name_zh" and f != "foreign_name_en"]
    sheet.append([COLUMNS[what][f][0] for f in fields])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = workbook.create_sheet(str(_("columns")))
    notes.append([str(_("Column")), str(_("Also recognised as")), str(_("What it holds")), str(_("Required"))])
    required = set(required_fields(what, side_given=True)) | ({"foreign_name"} if what == "partnerships" else set())
    for f in COLUMNS[what]:
        names = COLUMNS[what][f]
        notes.append([names[0], "、".join(names[1:]), str(TEMPLATE_NOTES.get(f, FIELD_LABELS.get(f, ""))),
                      str(_("yes")) if f in required else ""])
    return to_bytes(workbook)
