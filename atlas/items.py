"""Reading, checking and writing layer items: one parser serves the form-less
paths (the reference data loader and the Excel/CSV import), so that a row is
judged by the same rules wherever it comes from.

Imports are all or nothing: `validate_rows` returns one error per bad row with
its line number, and `import_rows` writes only when there is none, in one
transaction.
"""

import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from geo.boundaries import point_in_country
from geo.countries import resolve_country
from geo.divisions import home_division, resolve_division
from geo.text import normalize
from twinning.dates import DateError, parse_partial_date
from waishi.tables import RowErrors, TableError, as_float, formula_errors
from waishi.tables import cell_text as as_text
from waishi.tables import map_headers as table_headers

from .geodata import division_contains
from .models import DatePrecision, LayerItem

COLUMNS = {
    "name_zh": ["名称", "中文名称", "name_zh", "name (chinese)", "chinese name"],
    "name_en": ["英文名称", "name_en", "english name"],
    "category": ["类别", "category"],
    "country": ["国别", "国家", "country"],
    "division": ["所在地", "行政区划", "division_code", "division", "chinese division"],
    "lat": ["纬度", "latitude", "lat"],
    "lon": ["经度", "longitude", "lon"],
    "to_lat": ["终点纬度", "route end latitude", "to_lat"],
    "to_lon": ["终点经度", "route end longitude", "to_lon"],
    "on": ["日期", "date", "on"],
    "date_precision": ["日期精度", "date precision", "date_precision"],
    "description_zh": ["说明", "中文说明", "description_zh", "description (chinese)", "description"],
    "description_en": ["英文说明", "description_en", "description (english)"],
    "source": ["来源", "source"],
    "layer": ["图层", "layer"],
}
REQUIRED = ["name_zh"]
PRECISION_WORDS = {
    "day": DatePrecision.DAY, "日": DatePrecision.DAY, "month": DatePrecision.MONTH, "月": DatePrecision.MONTH,
    "year": DatePrecision.YEAR, "年": DatePrecision.YEAR,
}


def map_headers(headers):
    mapping = table_headers(headers, COLUMNS, REQUIRED)
    if not ({"lat", "lon"} <= mapping.keys() or "division" in mapping):
        raise TableError(_("Give the place as latitude and longitude columns, or a Chinese division column."))
    return mapping


def parse_date(value):
    """A date and its precision from '2017', '2017-05', '2017年5月' or a full date (twinning.dates)."""
    try:
        partial = parse_partial_date(value)
    except DateError as exc:
        raise ValueError(str(exc)) from exc
    if partial is None:
        return None, ""
    return partial.value, partial.precision


def parse_row(row, mapping, layer):
    """Check one row for `layer`; returns (fields, errors)."""
    errors = RowErrors()
    formula_errors(row, errors)

    def value(field):
        header = mapping.get(field)
        return row.get(header) if header else None

    data = {"layer": layer}
    layer_text = as_text(value("layer"))
    if layer_text and normalize(layer_text) not in {normalize(layer.code), normalize(layer.name_zh),
                                                    normalize(layer.name_en)}:
        errors.add(_("layer"), _("the row is for the layer “%(given)s”, not this layer “%(layer)s”")
                   % {"layer": layer.name_zh, "given": layer_text})
    data["name_zh"] = as_text(value("name_zh"))
    if not data["name_zh"]:
        errors.add(_("name"), _("a Chinese name is required"))
    data["name_en"] = as_text(value("name_en"))
    category = as_text(value("category"))
    if category and not re.fullmatch(r"[-a-zA-Z0-9_]+", category):
        errors.add(_("category"), _("use letters, digits, - or _ (for example consulate_general)"))
    data["category"] = category.lower()
    for field in ("name_zh", "name_en", "category"):
        limit = LayerItem._meta.get_field(field).max_length
        if len(data[field]) > limit:
            errors.add(LayerItem._meta.get_field(field).verbose_name,
                       _("longer than %(max)s characters") % {"max": limit})
    for field in ("description_zh", "description_en", "source"):
        data[field] = as_text(value(field))

    data["country"] = None
    country_text = as_text(value("country"))
    if country_text:
        match = resolve_country(country_text)
        if match.country:
            data["country"] = match.country
        else:
            errors.add(_("country"), match.message())

    data["division"] = None
    division_text = as_text(value("division"))
    if division_text:
        division, candidates = resolve_division(division_text)
        if division:
            data["division"] = division
        elif candidates:
            errors.add(_("division"), _("“%(text)s” is ambiguous: %(choices)s")
                       % {"text": division_text, "choices": "、".join(d.name_zh for d in candidates[:6])})
        else:
            errors.add(_("division"), _("no division “%(text)s” in %(home)s")
                       % {"text": division_text, "home": home_division().name_zh})

    coordinates = {}
    for field in ("lat", "lon", "to_lat", "to_lon"):
        try:
            coordinates[field] = as_float(value(field))
        except ValueError:
            errors.add(_(field), _("“%(text)s” is not a number") % {"text": as_text(value(field))})
            coordinates[field] = None
    if coordinates["lat"] is None and coordinates["lon"] is None and data["division"] is not None:
        coordinates["lat"], coordinates["lon"] = data["division"].lat, data["division"].lon
    if coordinates["lat"] is None or coordinates["lon"] is None:
        errors.add(_("place"), _("give latitude and longitude, or a Chinese division"))
    data.update(coordinates)
    if data["country"] is None and data["division"] is not None:
        from geo.models import Country

        data["country"] = Country.objects.filter(iso2="CN").first()

    try:
        data["on"], precision = parse_date(value("on"))
    except ValueError:
        errors.add(_("date"), _("“%(text)s” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") % {"text": as_text(value("on"))})
        data["on"], precision = None, ""
    given = normalize(as_text(value("date_precision")))
    if given:
        if given not in PRECISION_WORDS:
            errors.add(_("date precision"), _("use day, month or year"))
        else:
            precision = PRECISION_WORDS[given]
    data["date_precision"] = precision if data["on"] else ""
    if data["on"] and data["on"] > date.today():
        errors.add(_("date"), _("the date lies in the future"))

    item = LayerItem(**data)
    if not errors:
        try:
            item.clean()
        except Exception as exc:  # ValidationError with a dict of messages
            for field, messages in getattr(exc, "message_dict", {"": [str(exc)]}).items():
                for message in messages:
                    errors.add(field, message)
    if not errors:
        errors.extend(place_errors(item))
    return data, errors


def place_errors(item):
    """A place outside its country, or outside the Chinese division it names."""
    found = []
    if item.country is not None and item.country.iso2 != "CN":
        # A route's country is where it goes: its end must lie there.
        lat, lon = (item.to_lat, item.to_lon) if item.is_route else (item.lat, item.lon)
        if point_in_country(item.country.iso2, lat, lon) is False:
            found.append(_("place: %(lat).4f, %(lon).4f lies outside %(country)s")
                         % {"lat": lat, "lon": lon, "country": item.country.name_zh})
    if item.division is not None and division_contains(item.division, item.lat, item.lon) is False:
        found.append(_("place: %(lat).4f, %(lon).4f lies outside %(division)s")
                     % {"lat": item.lat, "lon": item.lon, "division": item.division.name_zh})
    return found


def validate_rows(table, mapping, layer):
    """Parse every row; returns (parsed, errors) where errors is [(line, [messages])].

    A row whose Chinese name is already on the layer updates that item; a
    name may appear only once in a file.
    """
    parsed, errors = [], []
    existing = set(layer.items.values_list("name_zh", flat=True)) if layer.pk else set()
    first_line = {}
    for line, row in table:
        data, row_errors = parse_row(row, mapping, layer)
        name = data.get("name_zh")
        if name and name in first_line:
            row_errors.add(_("name"), _("“%(name)s” is already on line %(line)s of this file")
                           % {"name": name, "line": first_line[name]})
        elif name:
            first_line[name] = line
        data["update"] = name in existing
        if row_errors:
            errors.append((line, list(row_errors)))
        else:
            parsed.append((line, data))
    return parsed, errors


@transaction.atomic
def import_rows(parsed, user=None):
    """Write checked rows: new names are added, known names updated. Returns (added, updated)."""
    added = updated = 0
    for _line, data in parsed:
        data = dict(data)
        data.pop("update", None)
        layer, name = data.pop("layer"), data.pop("name_zh")
        item = LayerItem.objects.filter(layer=layer, name_zh=name).first()
        if item is None:
            LayerItem.objects.create(layer=layer, name_zh=name, created_by=user, **data)
            added += 1
        else:
            for field, value in data.items():
                setattr(item, field, value)
            item.save()
            updated += 1
    return added, updated
