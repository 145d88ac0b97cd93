"""Reading tables as offices publish them: one reader for every import.

Excel (.xlsx, .xlsm, .xls) and OpenDocument (.ods) files are read with calamine;
CSV files are read as a stream, as UTF-8 (with or without a byte-order mark) or
GB18030. Merged cells give their value to every cell they cover (a Chinese side
merged over several rows belongs to each). Title rows and blank rows above the
header are skipped: the header is the first row among the first few in which
enough headings are recognised.

Nothing here knows partnerships or exchanges: an importer passes the headings
it recognises for each of its fields.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from geo.text import normalize

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = EXCEL_SUFFIXES + (".csv",)
HEADER_SEARCH_ROWS = 20
# csv's default limit is 128 KiB a field; a cell longer than this is a damaged file, not a name.
CSV_FIELD_LIMIT = 64 * 1024


class TableError(Exception):
    """The file cannot be read as a table; the message is for the user."""


@dataclass
class Table:
    headers: list
    header_line: int
    rows: object  # iterator of (line number, [cells])
    skipped_lines: list = field(default_factory=list)


def cell_text(value):
    """A cell as text: whole numbers without ".0", None as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def blank(row):
    return all(cell_text(v) == "" for v in row)


def _excel_rows(fileobj):
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(fileobj)
        sheet = workbook.get_sheet_by_index(0)
        merged = sheet.merged_cell_ranges or []
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own kinds for every damaged or unknown file
        raise TableError(_("The spreadsheet cannot be read: %(error)s") % {"error": exc}) from exc
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if cell_text(row[c]) == "":
                    row[c] = value
    for number, row in enumerate(rows, start=1):
        yield number, row


def _sniff_encoding(head):
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return "gb18030"
    raise TableError(_("The CSV file is neither UTF-8 nor GB18030 text: save it again as UTF-8 CSV."))


def _csv_rows(fileobj):
    head = fileobj.read(64 * 1024)
    if isinstance(head, str):
        raise TableError(_("The CSV file must be uploaded as a file."))
    encoding = _sniff_encoding(head)
    fileobj.seek(0)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(text)
    number = 0
    try:
        for row in reader:
            number = reader.line_num
            yield number, row
    except UnicodeDecodeError as exc:
        raise TableError(
            _("Line %(line)s of the CSV file is not %(encoding)s text: save the file again as UTF-8 CSV.")
            % {"line": number + 1, "encoding": "GB18030" if encoding == "gb18030" else "UTF-8"}
        ) from exc
    except csv.Error as exc:
        raise TableError(
            _("Line %(line)s of the CSV file cannot be read (a cell longer than %(limit)s characters, or a quote "
              "left open).") % {"line": number + 1, "limit": CSV_FIELD_LIMIT}
        ) from exc
    finally:
        # Leave the caller's file open (a wrapper closes what it wraps when it is collected).
        try:
            text.detach()
        except ValueError:  # the caller closed it already
            pass


def raw_rows(fileobj, name):
    """(line number, [cells]) of the first sheet or of the CSV file, blank rows included."""
    lower = (name or "").lower()
    if lower.endswith(EXCEL_SUFFIXES):
        rows = _excel_rows(fileobj)
    elif lower.endswith(".csv"):
        rows = _csv_rows(fileobj)
    else:
        raise TableError(_("Upload an Excel (.xlsx, .xls) or CSV file."))
    for number, row in rows:
        if any(isinstance(v, str) and "\x00" in v for v in row):
            # No text holds NUL (a UTF-16 file read as UTF-8 is full of them), and PostgreSQL stores none.
            raise TableError(_("The file contains NUL characters: save it again as Excel or as UTF-8 CSV."))
        yield number, row


def recognise(headers, columns):
    """{field: column index} for the headings found among each field's accepted names."""
    names = {normalize(name): field for field, accepted in columns.items() for name in accepted}
    found = {}
    for index, heading in enumerate(headers):
        field_name = names.get(normalize(cell_text(heading)))
        if field_name and field_name not in found:
            found[field_name] = index
    return found


def read_table(fileobj, name, columns, minimum=2):
    """The table of a file: its header row (found below any title rows) and an iterator of its data rows.

    `columns` maps each field to its accepted headings. The header is the first of the first
    HEADER_SEARCH_ROWS non-blank rows in which at least `minimum` headings are recognised;
    failing that, the first non-blank row (the user then maps its columns by hand).
    """
    rows = raw_rows(fileobj, name)
    looked = []
    header = None
    for number, row in rows:
        if blank(row):
            continue
        looked.append((number, row))
        if len(recognise(row, columns)) >= minimum:
            header = (number, row)
            break
        if len(looked) >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if not looked:
            raise TableError(_("The file is empty."))
        header = looked[0]
        rest = iter(looked[1:])
    else:
        rest = iter(())
    skipped = [n for n, _row in looked if n < header[0]]
    headers = [cell_text(h) for h in header[1]]

    def data():
        for source in (rest, rows):
            for number, row in source:
                if not blank(row):
                    yield number, row

    return Table(headers=headers, header_line=header[0], rows=data(), skipped_lines=skipped)


# Helpers for importers that read rows as {heading: value} (the map's layer items).


class RowErrors(list):
    """The errors of one row, each prefixed with the column it is about."""

    def add(self, label, message):
        self.append(f"{label}: {message}" if label else str(message))


def first_formula(values):
    """The first cell that holds a formula, or None. Formulas are refused: a list is data, and a formula
    cell can carry a link or a command to whoever opens an export of it."""
    for value in values:
        if isinstance(value, str) and value.strip()[:1] == "=" and len(value.strip()) > 1:
            return value.strip()
    return None


def formula_errors(row, errors):
    """The error of a {heading: value} row that holds a formula."""
    for heading, value in row.items():
        if first_formula([value]):
            errors.add(heading, _("formulas are not accepted"))


def as_float(value):
    text = cell_text(value)
    return float(text) if text else None


def map_headers(headers, columns, required):
    """{field: heading} for the headings recognised; every required field must be there."""
    found = recognise(headers, columns)
    missing = [columns[f][0] for f in required if f not in found]
    if missing:
        raise TableError(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    return {name: headers[index] for name, index in found.items()}


def read_dict_table(fileobj, name, columns):
    """The headings and the data rows as (line number, {heading: value}), below any title rows."""
    table = read_table(fileobj, name, columns, minimum=1)
    rows = [(line, dict(zip(table.headers, cells, strict=False))) for line, cells in table.rows]
    return table.headers, rows
