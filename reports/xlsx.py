"""XLSX rendering through the shared writer (common/workbooks.py): targets, tasks and
completeness sheets with the same title block, numbers as numeric cells, frozen styled
headers, widths and print set-up. Text is always written as text, never as a formula.

The report tree holds numbers as ``Decimal``/``int`` and dates as ``datetime.date``; this
is where they are formatted: a number becomes a numeric cell whose format shows it as the
PDF writes it (``common.formatting.vn_number_format``: 14.000, 12,5)."""

from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common import workbooks
from common.formatting import vn_date, vn_number_format
from common.workbooks import BORDER, FONT_NAME, WRAP, write_cell

FONT = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
# Whole counts without decimals, shares with one decimal (Vietnamese separators).
COUNT_FORMAT = "[$-42A]#,##0"
SHARE_FORMAT = "[$-42A]#,##0.0"


def _kind_format(is_share: bool) -> str:
    return SHARE_FORMAT if is_share else COUNT_FORMAT


def _period(period) -> str:
    return f"Số liệu báo cáo tính từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}."


def _title_block(ws, header, subject, period, columns) -> int:
    """Write the Decree-30 title block; returns the header row number."""
    last = get_column_letter(columns)
    if header.is_party:
        top = [("ĐẢNG CỘNG SẢN VIỆT NAM", True, False)]
        under = "*"
    else:
        top = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc", True, False)]
        under = ""
    rows = [
        ("DỰ THẢO" if header.is_draft else "", True, False),
        (header.parent_body, False, False),
        (header.issuing_body, True, False),
        (under, False, False),
        (header.number_line, False, False),
        *top,
        (header.place_date, False, True),
        ("BÁO CÁO", True, False),
        (subject, True, False),
        (_period(period), False, False),
    ]
    row = 1
    for text, bold, italic in rows:
        if not text:
            continue
        ws.merge_cells(f"A{row}:{last}{row}")
        write_cell(
            ws,
            row,
            1,
            text,
            font=Font(name=FONT_NAME, size=13, bold=bold, italic=italic),
            alignment=Alignment(horizontal="center", wrap_text=True),
        )
        row += 1
    return row + 1


def _number_format(value) -> str | None:
    """Numbers show as the PDF writes them; text keeps the cell's default."""
    is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return vn_number_format(value) if is_number else None


def _table(ws, start_row, headers, widths, rows):
    """Rows of values; a value may be (value, bold) for a section row or
    (value, number_format) for a number with its own format."""
    workbooks.write_header(ws, start_row, headers, widths=widths)
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            font, number_format = FONT, None
            if isinstance(value, tuple) and isinstance(value[1], bool):
                value, bold = value
                font = BOLD if bold else FONT
            elif isinstance(value, tuple):
                value, number_format = value
            write_cell(
                ws,
                start_row + offset,
                column,
                value,
                font=font,
                border=BORDER,
                alignment=WRAP,
                number_format=number_format or _number_format(value),
            )
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    ws.print_title_rows = f"{start_row}:{start_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _plan_sheets(wb, r, prefix=""):
    ws = workbooks.add_sheet(wb, f"{prefix}Chỉ tiêu")
    start = _title_block(ws, r.header, r.subject, r.period, 10)
    _table(
        ws,
        start,
        [
            "TT",
            "Chỉ tiêu",
            "Mốc",
            "Chỉ tiêu kế hoạch (như văn bản)",
            "So sánh",
            "Giá trị kế hoạch",
            "Đến (khoảng)",
            f"Số liệu năm {r.year}",
            "Tỷ lệ đạt (%)",
            "Đánh giá",
        ],
        [6, 56, 12, 20, 12, 14, 12, 16, 12, 16],
        [
            [
                t.number,
                ("– " if t.is_child else "") + t.text,
                t.milestone,
                t.target,
                t.comparator,
                (t.planned, _kind_format(t.is_share)) if t.planned is not None else "",
                (t.planned_max, _kind_format(t.is_share)) if t.planned_max is not None else "",
                (t.value, _kind_format(t.is_share)) if t.value is not None else "",
                (t.share, SHARE_FORMAT) if t.share is not None else "",
                t.status_label,
            ]
            for t in r.targets
        ],
    )
    ws.page_setup.orientation = "landscape"

    ws = workbooks.add_sheet(wb, f"{prefix}Thống kê")
    start = _title_block(ws, r.header, r.subject, r.period, 6)
    _table(
        ws,
        start,
        ["Chỉ tiêu", "Đơn vị", f"Năm {r.year - 1}", f"Năm {r.year}", "Tăng/giảm", "Tỷ lệ (%)"],
        [56, 10, 16, 16, 14, 12],
        [
            [
                s.name + (" (ước thực hiện)" if s.estimated else ""),
                s.unit,
                (s.previous, _kind_format(s.is_share)) if s.previous is not None else "",
                (s.value, _kind_format(s.is_share)) if s.value is not None else "",
                (s.change, _kind_format(s.is_share)) if s.change is not None else "",
                (s.change_percent, SHARE_FORMAT) if s.change_percent is not None else "",
            ]
            for s in r.statistics
        ],
    )
    ws.page_setup.orientation = "portrait"

    ws = workbooks.add_sheet(wb, f"{prefix}Nhiệm vụ")
    start = _title_block(ws, r.header, r.subject, r.period, 8)
    rows = []
    for section in r.task_sections:
        rows.append([(section.title, True)] + [""] * 7)
        for t in section.rows:
            rows.append(
                [
                    t.code,
                    t.description,
                    t.lead,
                    t.partners,
                    t.deliverable,
                    t.deadline,
                    t.status_label,
                    t.result,
                ]
            )
    _table(
        ws,
        start,
        [
            "TT",
            "Nhiệm vụ",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Sản phẩm",
            "Thời hạn",
            "Tình trạng",
            "Kết quả",
        ],
        [7, 50, 26, 26, 24, 14, 18, 40],
        rows,
    )
    ws.page_setup.orientation = "landscape"
    counts_row = ws.max_row + 2
    for offset, count in enumerate(r.timeliness_counts):
        write_cell(ws, counts_row + offset, 2, count.label)
        write_cell(
            ws, counts_row + offset, 3, count.count, number_format=_number_format(count.count)
        )

    ws = workbooks.add_sheet(wb, f"{prefix}Báo cáo đơn vị")
    start = _title_block(ws, r.header, r.subject, r.period, 5)
    _table(
        ws,
        start,
        ["Đơn vị chủ trì", "Số báo cáo phải gửi", "Đã gửi", "Gửi muộn", "Tình trạng"],
        [50, 16, 12, 12, 16],
        [[a.agency, a.expected, a.submitted, a.late, a.state_label] for a in r.completeness],
    )
    ws.page_setup.orientation = "portrait"


def render_plan_xlsx(r) -> bytes:
    wb = workbooks.new_workbook()
    _plan_sheets(wb, r)
    return workbooks.to_bytes(wb)


def render_consolidated_xlsx(c) -> bytes:
    wb = workbooks.new_workbook()
    ws = workbooks.add_sheet(wb, "Tổng hợp")
    start = _title_block(ws, c.header, c.subject, c.period, 1 + 2 * len(c.summary_columns))
    shares = [label.endswith("(%)") for label in c.summary_columns]
    headers = ["Kế hoạch"]
    for label in c.summary_columns:
        headers += [f"{label} năm {c.year}", f"{label}: chỉ tiêu mốc gần nhất"]
    rows = []
    for row in c.summary:
        values = [f"{row.plan} ({row.locality})" + ("" if row.counted else " – đã tính")]
        for cell, is_share in zip(row.cells, shares, strict=True):
            value = (cell.value, _kind_format(is_share)) if cell.value is not None else "—"
            values += [value, cell.target]
        rows.append(values)
    totals = [("Tổng cộng (mỗi địa bàn một lần)", True)]
    for total in c.totals:
        totals += [(total, COUNT_FORMAT) if total is not None else "—", ""]
    rows.append(totals)
    _table(
        ws,
        start,
        headers,
        [34] + [14] * (len(headers) - 1),
        rows,
    )
    ws.page_setup.orientation = "landscape"
    for index, r in enumerate(c.plans, start=1):
        _plan_sheets(wb, r, prefix=f"{index}. {r.plan.locality.name} – ")
    return workbooks.to_bytes(wb)
