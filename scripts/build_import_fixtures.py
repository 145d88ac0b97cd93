"""Build the spreadsheet fixtures of the import tests (twinning/tests/fixtures/) from their CSV sources.

    .venv/bin/python scripts/build_import_fixtures.py

writes

- english_only.xlsx and english_only.xls: english_only.csv cell for cell (text as text, "No." as numbers);
- chinese_title_row.xlsx: chinese_title_row_source.csv laid out as Chinese offices publish it: a title row merged
  across the columns, a blank row, the header, the Chinese side merged down over its consecutive rows, and the
  signing dates of rows 10, 11, 13 and 14 as Excel date cells shown as 2012年6月21日 (the others stay text, as
  typed: 2003年10月15日, 1998年5月, 2014年).

The legacy .xls needs the `xlwt` package, which the project does not depend on; install it outside the project:

    .venv/bin/python -m pip install --target /tmp/xlwt-lib xlwt
    PYTHONPATH=/tmp/xlwt-lib .venv/bin/python scripts/build_import_fixtures.py

Without it the .xls is left as it is and the script says so. no_dates.csv (GB18030) is a source itself.
"""

import csv
import re
import sys
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

FIXTURES = Path(__file__).resolve().parent.parent / "twinning" / "tests" / "fixtures"
CHINESE_TITLE = "丽水市国际友好城市一览表"
# Rows (by 序号) whose day-precision dates the xlsx holds as Excel date cells rather than typed text.
DATE_CELL_ROWS = {"10", "11", "13", "14"}
CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
# Fixed document times, so that a rebuild differs from the committed file only where its content does.
STAMP = datetime(2024, 1, 1)


def read_csv(name):
    with open(FIXTURES / name, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def typed(value):
    return int(value) if value.isdecimal() else value


def new_workbook(title):
    workbook = Workbook()
    workbook.properties.creator = "Waishi test fixtures"
    workbook.properties.created = workbook.properties.modified = STAMP
    sheet = workbook.active
    sheet.title = title
    return workbook, sheet


def build_english_xlsx(header, rows):
    workbook, sheet = new_workbook("Sister Cities")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([typed(v) if i == 0 else v for i, v in enumerate(row)])
    for column, width in zip("ABCDE", (6, 22, 18, 32, 22), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(FIXTURES / "english_only.xlsx")


def build_english_xls(header, rows):
    try:
        import xlwt
    except ImportError:
        print("english_only.xls not rebuilt: xlwt is not installed (see the docstring).", file=sys.stderr)
        return False
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sister Cities")
    bold = xlwt.easyxf("font: bold on")
    for col, value in enumerate(header):
        sheet.write(0, col, value, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value:  # an empty cell is no cell, as in a file saved by Excel
                sheet.write(r, col, typed(value) if col == 0 else value)
    for col, width in enumerate((6, 22, 18, 32, 22)):
        sheet.col(col).width = 256 * width
    book.save(str(FIXTURES / "english_only.xls"))
    return True


def chinese_day(text):
    match = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    return date(*map(int, match.groups())) if match else None


def build_chinese_xlsx(header, rows):
    workbook, sheet = new_workbook("友好城市")
    width = len(header)
    sheet.cell(row=1, column=1, value=CHINESE_TITLE).font = Font(bold=True, size=16)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    # Row 2 stays blank, as in the published tables; the header is row 3.
    for col, value in enumerate(header, start=1):
        sheet.cell(row=3, column=col, value=value).font = Font(bold=True)
    first = 4
    for offset, row in enumerate(rows):
        line = first + offset
        number, side, foreign, country, signed = row
        sheet.cell(row=line, column=1, value=typed(number))
        sheet.cell(row=line, column=2, value=side)
        sheet.cell(row=line, column=3, value=foreign)
        sheet.cell(row=line, column=4, value=country)
        day = chinese_day(signed)
        if number in DATE_CELL_ROWS and day is not None:
            cell = sheet.cell(row=line, column=5, value=day)
            cell.number_format = CHINESE_DATE_FORMAT
        else:
            sheet.cell(row=line, column=5, value=signed)
    # The Chinese side merged down over its consecutive rows (the merged range keeps the value in its top cell).
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index][1] != rows[start][1]:
            if index - start > 1:
                sheet.merge_cells(start_row=first + start, start_column=2, end_row=first + index - 1, end_column=2)
                sheet.cell(row=first + start, column=2).alignment = Alignment(vertical="center")
            start = index
    for column, size in zip("ABCDE", (6, 14, 22, 12, 18), strict=True):
        sheet.column_dimensions[column].width = size
    workbook.save(FIXTURES / "chinese_title_row.xlsx")


def main():
    header, rows = read_csv("english_only.csv")
    build_english_xlsx(header, rows)
    built_xls = build_english_xls(header, rows)
    build_chinese_xlsx(*read_csv("chinese_title_row_source.csv"))
    names = ["english_only.xlsx"] + (["english_only.xls"] if built_xls else []) + ["chinese_title_row.xlsx"]
    print("written:", ", ".join(str(FIXTURES / n) for n in names))


if __name__ == "__main__":
    main()
