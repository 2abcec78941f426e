"""The one workbook writer: every Excel file the portal produces goes through it (the
figures template, the plan and consolidated reports, the list exports).

User text is ALWAYS written as a text cell, never as a formula, also when it begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (``=HYPERLINK(...)``,
``=cmd|' /C calc'!A0``): the cell keeps the exact text and is marked with Excel's quote
prefix, so that editing it in Excel does not turn it into a formula either. Numbers stay
numbers, dates dates (local time: Excel has no time zones); characters that XML cannot
hold are dropped instead of failing the whole file.
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FONT_NAME = "Times New Roman"
FONT = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EC")
THIN = Side(style="thin", color="000000")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
MIN_WIDTH, MAX_WIDTH = 8, 60


def new_workbook() -> Workbook:
    """An empty workbook: add sheets with :func:`add_sheet`."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def add_sheet(wb: Workbook, title: str) -> Worksheet:
    """A new sheet; ``title`` is cut to Excel's 31 characters without forbidden signs."""
    return wb.create_sheet(SHEET_TITLE_FORBIDDEN.sub("-", str(title))[:31] or "Sheet")


def cell_value(value):
    """``value`` as openpyxl should store it: numbers and dates as they are (aware times
    in local time), everything else as text without characters XML cannot hold."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | datetime.time):
        return value
    text = str(value) if isinstance(value, Promise) or not isinstance(value, str) else value
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def write_cell(
    ws: Worksheet,
    row: int,
    column: int,
    value,
    *,
    font: Font | None = FONT,
    border: Border | None = None,
    alignment: Alignment | None = None,
    fill: PatternFill | None = None,
    number_format: str | None = None,
) -> Cell:
    """Write ``value`` at (``row``, ``column``): text is always a text cell, never a
    formula; a number format applies to numbers and to empty cells (left to fill in)."""
    cell = ws.cell(row=row, column=column)
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"  # openpyxl made "=…" a formula: it is text
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    if font is not None:
        cell.font = font
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    if fill is not None:
        cell.fill = fill
    if number_format and (value is None or _is_number(value)):
        cell.number_format = number_format
    elif isinstance(value, datetime.datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "dd/mm/yyyy"
    return cell


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def write_header(
    ws: Worksheet,
    row: int,
    titles: Sequence[str],
    *,
    widths: Sequence[float] | None = None,
    fill: PatternFill = HEADER_FILL,
    border: Border = BORDER,
    font: Font = BOLD,
    alignment: Alignment = HEADER_ALIGNMENT,
) -> None:
    """A styled header row (bold, filled, bordered, wrapped), with column widths."""
    for column, title in enumerate(titles, start=1):
        write_cell(ws, row, column, title, font=font, fill=fill, border=border, alignment=alignment)
    if widths:
        set_widths(ws, widths)


def set_widths(ws: Worksheet, widths: Sequence[float], *, start: int = 1) -> None:
    for column, width in enumerate(widths, start=start):
        ws.column_dimensions[get_column_letter(column)].width = width


def fitting_widths(rows: Sequence[Sequence]) -> list[float]:
    """Widths that show each column's longest line, between 8 and 60 characters."""
    widths: list[float] = []
    for values in rows:
        for index, value in enumerate(values):
            text = "" if value is None else str(value)
            longest = max((len(line) for line in text.splitlines()), default=0)
            if index == len(widths):
                widths.append(MIN_WIDTH)
            widths[index] = min(MAX_WIDTH, max(widths[index], longest + 2))
    return widths


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def table_xlsx(rows: Iterable[Sequence], *, title: str) -> bytes:
    """One sheet: the first of ``rows`` as a styled, frozen header, then the data rows,
    with widths fitting the content and the header repeated on every printed page."""
    rows = [list(values) for values in rows]
    wb = new_workbook()
    ws = add_sheet(wb, title)
    if rows:
        write_header(ws, 1, rows[0], widths=fitting_widths(rows))
    for number, values in enumerate(rows[1:], start=2):
        for column, value in enumerate(values, start=1):
            write_cell(ws, number, column, value, alignment=WRAP)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return to_bytes(wb)
