"""Excel export of a layer's items: the columns the import reads, headers in
the user's language, so that an exported file can be edited and imported back."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from twinning.exports import sheet, to_bytes


def items_workbook(layer, items):
    wb = Workbook()
    headers = [
        _("Layer"), _("Chinese name"), _("English name"), _("Category"), _("Country"), _("Chinese division"),
        _("Latitude"), _("Longitude"), _("Route end latitude"), _("Route end longitude"), _("Date"),
        _("Date precision"), _("Description (Chinese)"), _("Description (English)"), _("Source"),
    ]
    rows = [
        [
            layer.code, i.name_zh, i.name_en, i.category, i.country_id or "", i.division_id or "", i.lat, i.lon,
            i.to_lat, i.to_lon, i.on.isoformat() if i.on else "", i.date_precision, i.description_zh,
            i.description_en, i.source,
        ]
        for i in items
    ]
    sheet(wb, layer.name, headers, rows, first=True)
    return to_bytes(wb)
