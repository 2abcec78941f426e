"""The figures template round trip: a workbook pre-filled for a place and year, and the
reading of an uploaded one. Hostile files are refused (common/uploads.py) before
openpyxl parses them; the template is written by the shared writer (common/workbooks.py)."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.datavalidation import DataValidation

from common import workbooks
from common.uploads import (
    UploadRefused,
    load_checked_workbook,
    sheet_rows,
)

from .choices import FigureStatus
from .numbers import parse_vn_number
from .services import FigureInput
from .validation import value_problems

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


@dataclass
class UploadResult:
    version: int
    values: dict[str, FigureInput] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # indicator code → row number
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row, message)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def place_key(place) -> str:
    """How the template's hidden sheet names a place: "lam-dong" or "lam-dong/dak-nong"."""
    if place.area is None:
        return place.locality.code
    return f"{place.locality.code}/{place.area.code}"


def figure_template_xlsx(*, place, indicators, figures, targets_by_indicator, version) -> bytes:
    """The template for a place and year, pre-filled with the saved figures."""
    year = place.year
    wb = workbooks.new_workbook()
    ws = workbooks.add_sheet(wb, "Số liệu")
    font = workbooks.FONT_NAME
    thin = Side(style="thin", color="8899AA")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    title = f"Số liệu kinh tế tập thể năm {year}"
    workbooks.write_cell(ws, 1, 1, title, font=Font(name=font, bold=True, size=14))
    subject = place.label
    workbooks.write_cell(ws, 2, 1, subject)
    workbooks.write_cell(
        ws,
        3,
        1,
        "Nhập số vào cột 'Giá trị'. Số đếm là số nguyên (14000 hoặc 14.000); tỷ lệ tính bằng % "
        "(12,5). Không dùng công thức. Không sửa cột 'Mã chỉ số'.",
        font=Font(name=font, italic=True, size=11),
    )
    workbooks.write_header(
        ws,
        HEADER_ROW,
        [c.format(prev=year - 1, year=year) for c in COLUMNS],
        widths=[22, 48, 12, 12, 28, 14, 16, 30, 24],
        border=border,
        alignment=Alignment(wrap_text=True, vertical="center"),
    )
    status_list = DataValidation(
        type="list", formula1='"ước thực hiện,chính thức"', allow_blank=True
    )
    ws.add_data_validation(status_list)
    several_plans = len({t.plan_id for ts in targets_by_indicator.values() for t in ts}) > 1
    for row, indicator in enumerate(indicators, start=HEADER_ROW + 1):
        current = figures.get((indicator.code, year))
        previous = figures.get((indicator.code, year - 1))
        unit = "%" if indicator.is_share else str(indicator.get_unit_display())
        targets = "; ".join(
            (f"{t.plan.number} – " if several_plans else "")
            + f"{t.milestone_label}: {t.value_label}"
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
        number_format = "#,##0" if indicator.is_count else "#,##0.0#"
        for column, value in enumerate(cells, start=1):
            workbooks.write_cell(
                ws,
                row,
                column,
                value,
                border=border,
                number_format=number_format if column in (4, 6) else None,
            )
        status_list.add(ws.cell(row=row, column=7))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    meta = workbooks.add_sheet(wb, META_SHEET)
    for row, (key, value) in enumerate(
        [("place", place_key(place)), ("year", year), ("version", version)], start=1
    ):
        workbooks.write_cell(meta, row, 1, key, font=None)
        workbooks.write_cell(meta, row, 2, value, font=None)
    meta.sheet_state = "hidden"
    return workbooks.to_bytes(wb)


def read_figure_upload(data: bytes, *, place, indicators) -> UploadResult:
    """Read an uploaded template; raises :class:`UploadRefused` for unsafe or foreign files,
    and returns per-row errors for bad values."""
    wb = load_checked_workbook(data, data_only=False)
    if META_SHEET not in wb.sheetnames or "Số liệu" not in wb.sheetnames:
        raise UploadRefused(_("This is not the portal's template: download it from this page."))
    meta = {
        _text(r[0]): r[1]
        for r in sheet_rows(wb[META_SHEET], max_col=2, values_only=True)
        if r[0] is not None
    }
    if meta.get("place") != place_key(place) or str(meta.get("year")) != str(place.year):
        raise UploadRefused(
            _("This template is for another place or year (%(place)s, %(year)s).")
            % {"place": meta.get("place") or meta.get("plan"), "year": meta.get("year")}
        )
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version < 2**31:
        raise UploadRefused(_("The template's hidden sheet was changed."))
    ws = wb["Số liệu"]
    for row in sheet_rows(ws):
        for cell in row:
            if cell.data_type == "f":
                raise UploadRefused(
                    _("Cell %(cell)s contains a formula: type the values, not formulas.")
                    % {"cell": cell.coordinate}
                )
    by_code = {i.code: i for i in indicators}
    result = UploadResult(version=version)
    rows = sheet_rows(ws, min_row=HEADER_ROW + 1, max_col=len(COLUMNS))
    for number, row in enumerate(rows, start=HEADER_ROW + 1):  # read-only cells lack .row
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
            problems = value_problems(
                value, is_count=indicator.is_count, is_share=indicator.is_share
            )
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
