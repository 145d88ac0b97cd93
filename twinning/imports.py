"""Importing partnerships and exchanges from Excel (.xlsx) or CSV files.

All or nothing: every row is validated first (the dry run, shown as a preview
with one error per bad row and its line number); rows are written only when
the whole file is good, in one transaction. Long files run in a background
thread and report progress on the ImportJob.
"""

import csv
import io
import re
import threading
from datetime import date, datetime

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from geo.divisions import resolve_division
from geo.text import normalize

from .models import Exchange, ForeignPlace, ImportJob, Kind, Partnership, PlaceType
from .services import check_partnership, owner_for, save_partnership

PARTNERSHIP_COLUMNS = {
    "cn_division": ["中方", "中方城市", "chinese side", "cn_division"],
    "foreign_name_zh": ["外方城市", "外方", "外方中文名", "foreign side", "foreign_name_zh"],
    "foreign_name_en": ["外方英文名", "英文名", "english name", "foreign_name_en"],
    "foreign_name_local": ["外方当地名", "当地名", "local name", "foreign_name_local"],
    "country": ["国别", "国家", "country"],
    "signed_on": ["结好时间", "签约时间", "signed on", "signed_on"],
    "kind": ["类型", "kind"],
    "place_type": ["地点类型", "place type", "place_type"],
    "lat": ["纬度", "latitude", "lat"],
    "lon": ["经度", "longitude", "lon"],
    "provenance": ["来源", "provenance"],
    "notes": ["备注", "notes"],
}
EXCHANGE_COLUMNS = {
    "occurred_on": ["日期", "date", "occurred_on"],
    "ended_on": ["结束日期", "end date", "ended_on"],
    "kind": ["类型", "kind"],
    "title": ["标题", "事项", "title"],
    "cn_division": ["中方", "中方城市", "chinese side", "cn_division"],
    "foreign": ["外方城市", "外方", "foreign side", "foreign"],
    "delegation_size": ["人数", "people", "delegation_size"],
    "description": ["说明", "内容", "description"],
}
REQUIRED = {
    "partnerships": ["cn_division", "foreign_name_zh", "country"],
    "exchanges": ["occurred_on", "kind", "title", "cn_division", "foreign"],
}
KIND_WORDS = {
    "友好城市": Kind.SISTER, "友城": Kind.SISTER, "sister": Kind.SISTER, "friendship city": Kind.SISTER,
    "友好交流城市": Kind.EXCHANGE, "友好合作关系": Kind.EXCHANGE, "exchange": Kind.EXCHANGE,
    "friendly exchange city": Kind.EXCHANGE, "意向": Kind.INTENT, "意向友城": Kind.INTENT, "intent": Kind.INTENT,
}
PLACE_WORDS = {"州省": PlaceType.ADMIN1, "admin1": PlaceType.ADMIN1, "admin2": PlaceType.ADMIN2,
               "县区": PlaceType.ADMIN2, "城市": PlaceType.CITY, "city": PlaceType.CITY}
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
DATE_PATTERNS = [r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$", r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"]
PROGRESS_EVERY = 25
MAX_COUNT = 2_147_483_647  # the largest PositiveIntegerField PostgreSQL holds


class ImportFileError(Exception):
    pass


def read_table(fileobj, name):
    """Rows of a .xlsx or .csv file as (line number, {header: value})."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(fileobj, read_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ImportFileError(_("The Excel file cannot be read: %(error)s") % {"error": exc}) from exc
        rows = list(sheet.iter_rows(values_only=True))
    else:
        raw = fileobj.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ImportFileError(_("The file is empty."))
    if any(isinstance(value, str) and "\x00" in value for row in rows for value in row):
        # No text holds NUL (a UTF-16 file read as UTF-8 is full of them), and PostgreSQL stores none.
        raise ImportFileError(_("The file contains NUL characters: save it again as Excel or as UTF-8 CSV."))
    headers = [str(h or "").strip() for h in rows[0]]
    table = []
    for number, row in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        table.append((number, dict(zip(headers, row, strict=False))))
    return headers, table


def map_headers(headers, columns, required):
    """{field: header} for the headers found among each field's accepted names; the required ones must be there."""
    lookup = {normalize(h): h for h in headers}
    mapping = {}
    for field, names in columns.items():
        for name in names:
            if normalize(name) in lookup:
                mapping[field] = lookup[normalize(name)]
                break
    missing = [columns[f][0] for f in required if f not in mapping]
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    return mapping


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def as_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    for pattern in DATE_PATTERNS:
        match = re.match(pattern, text)
        if match:
            return date(*map(int, match.groups()))
    raise ValueError(text)


def as_float(value):
    text = as_text(value)
    return float(text) if text else None


class RowErrors(list):
    def add(self, field, message):
        self.append(f"{field}: {message}" if field else message)


def _value(row, mapping, field):
    header = mapping.get(field)
    return row.get(header) if header else None


def formula_errors(row, errors):
    for header, value in row.items():
        if isinstance(value, str) and value.strip()[:1] == "=":
            errors.add(header, _("formulas are not accepted"))


def parse_partnership_row(row, mapping, user, seen):
    errors = RowErrors()
    formula_errors(row, errors)
    data = {}
    text = as_text(_value(row, mapping, "cn_division"))
    division, candidates = resolve_division(text)
    if division is None:
        if candidates:
            errors.add(_("Chinese side"), _("“%(text)s” is ambiguous") % {"text": text})
        else:
            errors.add(_("Chinese side"), _("unknown division “%(text)s”") % {"text": text})
    data["cn_division"] = division
    for field in ("foreign_name_zh", "foreign_name_en", "foreign_name_local", "provenance", "notes"):
        data[field] = as_text(_value(row, mapping, field))
    for field, label in (("foreign_name_zh", _("Foreign side (Chinese name)")),
                         ("foreign_name_en", _("Foreign side (English name)")),
                         ("foreign_name_local", _("Foreign side (local name)"))):
        limit = ForeignPlace._meta.get_field(field.removeprefix("foreign_")).max_length
        if len(data[field]) > limit:
            errors.add(label, _("longer than %(max)s characters") % {"max": limit})
    data["country"] = as_text(_value(row, mapping, "country"))
    kind_text = as_text(_value(row, mapping, "kind"))
    data["kind"] = KIND_WORDS.get(kind_text.lower(), kind_text) if kind_text else Kind.SISTER
    place_text = as_text(_value(row, mapping, "place_type"))
    data["place_type"] = PLACE_WORDS.get(place_text.lower(), place_text) if place_text else PlaceType.CITY
    try:
        data["signed_on"] = as_date(_value(row, mapping, "signed_on"))
    except (ValueError, TypeError):
        errors.add(_("Signed on"), _("not a date: “%(text)s”") % {"text": as_text(_value(row, mapping, "signed_on"))})
        data["signed_on"] = None
    for field, label in (("lat", _("Latitude")), ("lon", _("Longitude"))):
        try:
            data[field] = as_float(_value(row, mapping, field))
        except ValueError:
            errors.add(label, _("not a number"))
            data[field] = None
    if division is not None:
        checked = check_partnership(data, user=user, seen_pairs=seen)
        for messages in checked.errors.values():
            for message in messages:
                errors.add(None, message)
        data = checked.values
    return data, errors


def find_partnership(division, foreign_text, user):
    from accounts.access import restrict

    key = normalize(foreign_text)
    qs = restrict(Partnership.objects.filter(cn_division=division).select_related("foreign"), user, "change")
    return [p for p in qs if key in {normalize(p.foreign.name_zh), normalize(p.foreign.name_en)}]


def parse_exchange_row(row, mapping, user, seen):
    errors = RowErrors()
    formula_errors(row, errors)
    data = {}
    try:
        data["occurred_on"] = as_date(_value(row, mapping, "occurred_on"))
        data["ended_on"] = as_date(_value(row, mapping, "ended_on"))
    except (ValueError, TypeError) as exc:
        errors.add(_("Date"), _("not a date: “%(text)s”") % {"text": exc})
        data["occurred_on"] = None
    if data.get("occurred_on") is None and not errors:
        errors.add(_("Date"), _("required"))
    elif data.get("occurred_on") and data["occurred_on"] > date.today():
        errors.add(_("Date"), _("in the future"))
    kind_text = as_text(_value(row, mapping, "kind"))
    data["kind"] = EXCHANGE_WORDS.get(kind_text.lower())
    if data["kind"] is None:
        errors.add(_("Kind"), _("unknown kind “%(text)s”") % {"text": kind_text})
    data["title"] = as_text(_value(row, mapping, "title"))
    if not data["title"]:
        errors.add(_("Title"), _("required"))
    elif len(data["title"]) > Exchange._meta.get_field("title").max_length:
        errors.add(_("Title"), _("longer than %(max)s characters") % {"max": Exchange._meta.get_field("title").max_length})
    data["description"] = as_text(_value(row, mapping, "description"))
    size = as_text(_value(row, mapping, "delegation_size"))
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    data["delegation_size"] = int(size) if size.isdecimal() else None
    if size and not size.isdecimal():
        errors.add(_("People"), _("not a whole number"))
    elif data["delegation_size"] is not None and data["delegation_size"] > MAX_COUNT:
        errors.add(_("People"), _("at most %(max)s") % {"max": MAX_COUNT})
    cn_text = as_text(_value(row, mapping, "cn_division"))
    division, _candidates = resolve_division(cn_text)
    partnerships = []
    if division is None:
        errors.add(_("Chinese side"), _("unknown division “%(text)s”") % {"text": cn_text})
    else:
        for name in re.split(r"[;；、]", as_text(_value(row, mapping, "foreign"))):
            if not name.strip():
                continue
            found = find_partnership(division, name.strip(), user)
            if len(found) != 1:
                errors.add(
                    _("Foreign side"),
                    _("no partnership of %(cn)s with “%(name)s” that you may change")
                    % {"cn": division.name_zh, "name": name.strip()},
                )
            else:
                partnerships.extend(found)
    if division is not None and not partnerships and not errors:
        errors.add(_("Foreign side"), _("required"))
    data["partnerships"] = partnerships
    return data, errors


PARSERS = {
    "partnerships": (PARTNERSHIP_COLUMNS, parse_partnership_row),
    "exchanges": (EXCHANGE_COLUMNS, parse_exchange_row),
}


def describe(what, data):
    if what == "partnerships":
        division = data.get("cn_division")
        country = data.get("country")
        return [
            division.name_zh if division else "",
            data.get("foreign_name_zh", ""),
            getattr(country, "name_zh", country or ""),
            data["signed_on"].isoformat() if data.get("signed_on") else "",
        ]
    return [
        data["occurred_on"].isoformat() if data.get("occurred_on") else "",
        data.get("title", ""),
        "、".join(str(p) for p in data.get("partnerships", [])),
    ]


def validate(job, user, progress=True):
    """Parse and check every row; returns the clean rows (empty if any row is bad)."""
    columns, parse = PARSERS[job.what]
    job.file.open("rb")
    try:
        headers, table = read_table(job.file, job.original_name)
        mapping = map_headers(headers, columns, REQUIRED[job.what])
    except ImportFileError as exc:
        _finish(job, ImportJob.State.INVALID, errors=[{"line": 1, "messages": [str(exc)]}])
        return []
    finally:
        job.file.close()
    ImportJob.objects.filter(pk=job.pk).update(total=len(table), processed=0)
    job.total = len(table)
    seen, errors, clean, preview = set(), [], [], []
    for index, (line, row) in enumerate(table, start=1):
        data, row_errors = parse(row, mapping, user, seen)
        if row_errors:
            errors.append({"line": line, "messages": list(row_errors)})
        else:
            clean.append(data)
        if len(preview) < 200:
            preview.append({"line": line, "cells": describe(job.what, data), "ok": not row_errors})
        if progress and index % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed=index)
    if not table:
        errors.append({"line": 1, "messages": [_("The file has no data rows.")]})
    job.preview = preview
    if errors:
        _finish(job, ImportJob.State.INVALID, errors=errors, processed=len(table))
        return []
    _finish(job, ImportJob.State.READY, errors=[], processed=len(table))
    return clean


def _finish(job, state, **fields):
    job.state = state
    for key, value in fields.items():
        setattr(job, key, value)
    job.finished_at = timezone.now() if state in {ImportJob.State.DONE, ImportJob.State.INVALID} else None
    if state in {ImportJob.State.DONE, ImportJob.State.INVALID, ImportJob.State.FAILED} and job.file:
        # The uploaded file is not kept once the import is done or refused (residual information).
        job.file.delete(save=False)
    job.save()


def commit(job, user):
    """Validate again (the data may have changed since the preview) and write all rows, or none."""
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING, processed=0)
    job.refresh_from_db()
    rows = validate(job, user, progress=False)
    if job.state != ImportJob.State.READY:
        return job
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING, processed=0)
    try:
        with transaction.atomic():
            for index, data in enumerate(rows, start=1):
                if job.what == "partnerships":
                    save_partnership(data, user=user)
                else:
                    partnerships = data.pop("partnerships")
                    exchange = Exchange.objects.create(owner=owner_for(user, partnerships), created_by=user, **data)
                    exchange.partnerships.set(partnerships)
                if index % PROGRESS_EVERY == 0:
                    _progress_outside_transaction(job.pk, index)
    except Exception as exc:
        _finish(job, ImportJob.State.FAILED, errors=[{"line": 0, "messages": [str(exc)]}])
        raise
    _finish(job, ImportJob.State.DONE, created=len(rows), processed=len(rows))
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
    """Run `validate` or `commit` now, or in a background thread for long files."""
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


def count_rows(job):
    job.file.open("rb")
    try:
        _headers, table = read_table(job.file, job.original_name)
        return len(table)
    except ImportFileError:
        return 0
    finally:
        job.file.close()
