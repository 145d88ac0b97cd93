"""Excel exports of the registry: the filtered partnership list and the statistics.

Column headers are in the user's language. Text that a spreadsheet would run
as a formula is escaped.
"""

import io
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from geo.models import Continent

from .dates import format_partial
from .models import Kind, Status, Vitality
from .stats import definitions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def sheet(wb, title, headers, rows, first=False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe(v) for v in row])
    ws.freeze_panes = "A2"
    for column in ws.columns:
        width = max(len(str(c.value or "")) for c in column[:200])
        ws.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 1.6))
    return ws


def to_bytes(wb):
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def partnerships_workbook(partnerships):
    wb = Workbook()
    headers = [
        _("No."), _("Chinese side"), _("Level"), _("Foreign side"), _("English name"), _("Country"),
        _("Continent"), _("Kind"), _("Signed on"), _("Status"), _("Vitality"), _("Provenance"),
    ]
    rows = []
    language = get_language()
    for number, p in enumerate(partnerships, start=1):
        rows.append(
            [
                number,
                p.cn_division.name_zh,
                p.cn_division.get_level_display(),
                p.foreign.name_zh,
                p.foreign.name_en,
                p.country.name,
                Continent(p.country.continent).label,
                Kind(p.kind).label,
                # As given: "2014年" stays a year, never a made-up 1 January.
                format_partial(p.signed_on, p.signed_precision, language),
                Status(p.status).label,
                Vitality(p.vitality).label if getattr(p, "vitality", None) else "",
                p.provenance,
            ]
        )
    sheet(wb, _("Partnerships"), headers, rows, first=True)
    return to_bytes(wb)


def stats_workbook(stats, country_names, level_labels):
    wb = Workbook()
    defs = definitions()
    summary = [
        (_("As of"), stats["as_of"], ""),
        (_("Total"), stats["total"], defs["total"]),
        (_("Countries"), stats["countries"], defs["countries"]),
        (_("On the Belt and Road route list"), stats["bri_route"], defs["bri_route"]),
        (_("With countries that signed Belt and Road documents"), stats["bri_signed"], defs["bri_signed"]),
        (_("Signing date not known (not counted above)"), stats["undated"], defs["undated"]),
    ]
    summary += [(level_labels[k], v, defs["by_level"]) for k, v in stats["by_level"].items()]
    sheet(wb, _("Summary"), [_("Figure"), _("Value"), _("Definition")], summary, first=True)
    sheet(
        wb, _("By continent"), [_("Continent"), _("Partnerships"), _("Share (%)")],
        [(Continent(c).label, n, stats["continent_share"][c]) for c, n in stats["by_continent"].items()],
    )
    sheet(
        wb, _("By country"), [_("Country"), _("ISO code"), _("Partnerships")],
        [(country_names.get(iso, iso), iso, n) for iso, n in stats["by_country"].items()],
    )
    sheet(
        wb, _("By prefecture"), [_("Prefecture"), _("Code"), _("Prefecture level"), _("With its counties")],
        [
            (stats["prefecture_names"][code], code, n, stats["by_prefecture_incl_counties"][code])
            for code, n in stats["by_prefecture"].items()
        ],
    )
    return to_bytes(wb)


def filename(stem):
    return f"{stem}-{date.today().isoformat()}.xlsx"
