"""The figures template round trip: a workbook pre-filled for a plan and year, and the
reading of an uploaded one. Hostile files are refused before openpyxl parses them."""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from .choices import FigureStatus
from .numbers import parse_vn_number
from .services import FigureInput
from .validation import value_problems

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 500
HEADER_ROW = 5
META_SHEET = "_meta"
STATUS_LABELS = {"ước thực hiện": FigureStatus.ESTIMATED, "chính thức": FigureStatus.FINAL}
COLUMNS = [
    "Mã chỉ số",
    "Chỉ số",
    "Đơn vị",
    "{prev}",
    "Chỉ tiêu",
    "Giá trị {year}",
    "Tình trạng",
    "Ghi chú",
    "Nguồn số liệu",
]


class UploadRefused(Exception):
    """The file cannot be read safely; nothing was changed."""


@dataclass
class UploadResult:
    version: int
    values: dict[str, FigureInput] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # indicator code → row number
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row, message)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def write_text_cell(cell, value) -> None:
    """Write ``value``; text is always stored as text, never as a formula, even when it
    begins with = + - or @."""
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"


def figure_template_xlsx(
    *, plan, year, indicators, figures, targets_by_indicator, version
) -> bytes:
    """The template for ``plan`` and ``year``, pre-filled with the saved figures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    ws["A1"] = f"Số liệu kinh tế tập thể năm {year}"
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A2"] = f"{plan.get_kind_display_short()} số {plan.number} – {plan.locality.name}"
    ws["A2"].font = normal
    ws["A3"] = (
        "Nhập số vào cột 'Giá trị'. Số đếm là số nguyên (14000 hoặc 14.000); tỷ lệ tính bằng % "
        "(12,5). Không dùng công thức. Không sửa cột 'Mã chỉ số'."
    )
    ws["A3"].font = Font(name="Times New Roman", italic=True, size=11)
    headers = [c.format(prev=year - 1, year=year) for c in COLUMNS]
    fill = PatternFill("solid", fgColor="DDE4EC")
    thin = Side(style="thin", color="8899AA")
    for column, title in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    status_list = DataValidation(
        type="list", formula1='"ước thực hiện,chính thức"', allow_blank=True
    )
    ws.add_data_validation(status_list)
    for row, indicator in enumerate(indicators, start=HEADER_ROW + 1):
        current = figures.get((indicator.code, year))
        previous = figures.get((indicator.code, year - 1))
        unit = "%" if not indicator.is_count else str(indicator.get_unit_display())
        targets = "; ".join(
            f"{t.milestone_label}: {t.value_label}"
            for t in targets_by_indicator.get(indicator.pk, [])
        )
        cells = [
            indicator.code,
            indicator.name,
            unit,
            float(previous.value) if previous else None,
            targets,
            float(current.value) if current else None,
            "chính thức" if current and current.status == FigureStatus.FINAL else "ước thực hiện",
            current.note if current else "",
            current.source if current else "",
        ]
        for column, value in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=column)
            write_text_cell(cell, value)
            cell.font = normal
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
            if column in (4, 6):
                cell.number_format = "#,##0" if indicator.is_count else "0.0"
        status_list.add(ws.cell(row=row, column=7))
    for letter, width in zip("ABCDEFGHI", [22, 48, 12, 12, 28, 14, 16, 30, 24], strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    meta = wb.create_sheet(META_SHEET)
    meta.append(["plan", plan.slug])
    meta.append(["year", year])
    meta.append(["version", version])
    meta.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _check_container(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadRefused(_("This is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UploadRefused(_("This is not an Excel workbook (.xlsx).")) from exc
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(_("This is not an Excel workbook (.xlsx)."))
    if "xl/vbaProject.bin" in names:
        raise UploadRefused(_("Workbooks with macros are not accepted."))
    total = sum(e.file_size for e in entries)
    if (
        len(entries) > MAX_ENTRIES
        or total > MAX_UNCOMPRESSED_BYTES
        or any(
            e.compress_size and e.file_size / e.compress_size > MAX_RATIO and e.file_size > 2**20
            for e in entries
        )
    ):
        raise UploadRefused(_("The file expands to far more than a workbook of figures: refused."))
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            with archive.open(entry) as handle:
                head = handle.read(4096).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UploadRefused(_("The file contains XML declarations that are not allowed."))


def read_figure_upload(data: bytes, *, plan, year, indicators) -> UploadResult:
    """Read an uploaded template; raises :class:`UploadRefused` for unsafe or foreign files,
    and returns per-row errors for bad values."""
    _check_container(data)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for malformed parts
        raise UploadRefused(_("The workbook cannot be read: %(error)s") % {"error": exc}) from exc
    if META_SHEET not in wb.sheetnames or "Số liệu" not in wb.sheetnames:
        raise UploadRefused(_("This is not the portal's template: download it from this page."))
    meta = {
        _text(r[0].value): r[1].value for r in wb[META_SHEET].iter_rows(max_col=2) if r[0].value
    }
    if meta.get("plan") != plan.slug or str(meta.get("year")) != str(year):
        raise UploadRefused(
            _("This template is for another plan or year (%(plan)s, %(year)s).")
            % {"plan": meta.get("plan"), "year": meta.get("year")}
        )
    try:
        version = int(meta.get("version"))
    except (TypeError, ValueError) as exc:
        raise UploadRefused(_("The template's hidden sheet was changed.")) from exc
    ws = wb["Số liệu"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                raise UploadRefused(
                    _("Cell %(cell)s contains a formula: type the values, not formulas.")
                    % {"cell": cell.coordinate}
                )
    by_code = {i.code: i for i in indicators}
    result = UploadResult(version=version)
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=len(COLUMNS)):
        number = row[0].row
        code = _text(row[0].value)
        if not code:
            continue
        indicator = by_code.get(code)
        if indicator is None:
            result.errors.append((number, _('Unknown indicator code "%(code)s".') % {"code": code}))
            continue
        if code in result.rows:
            result.errors.append((number, _("Indicator %(code)s appears twice.") % {"code": code}))
            continue
        result.rows[code] = number
        raw = row[5].value
        try:
            if isinstance(raw, bool):
                raise ValidationError(_("Not a number."))
            if isinstance(raw, (int, float)):
                value = Decimal(str(raw))
            else:
                value = parse_vn_number(_text(raw), whole=indicator.is_count)
            # The same checks as every other path in (the service applies them again).
            problems = value_problems(value, is_count=indicator.is_count)
            if problems:
                raise ValidationError(problems)
        except (ValidationError, InvalidOperation) as error:
            messages = (
                error.messages if isinstance(error, ValidationError) else [_("Not a number.")]
            )
            result.errors.append((number, f"{indicator.name}: {' '.join(messages)}"))
            continue
        status_text = _text(row[6].value).lower() or "ước thực hiện"
        status = STATUS_LABELS.get(status_text)
        if status is None:
            result.errors.append(
                (
                    number,
                    _('Status must be "ước thực hiện" or "chính thức", not "%(s)s".')
                    % {"s": status_text},
                )
            )
            continue
        note, source = _text(row[7].value), _text(row[8].value)
        result.values[code] = FigureInput(value=value, status=status, note=note, source=source)
    return result
