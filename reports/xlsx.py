"""XLSX rendering with openpyxl: targets, tasks and completeness sheets with the same
title block, numbers as numeric cells, frozen styled headers, widths and print set-up.
Text is always written as text, never as a formula."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from targets.excel import write_text_cell

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EC")
WRAP = Alignment(wrap_text=True, vertical="top")


def _title_block(ws, header, subject, period, columns) -> int:
    """Write the Decree-30 title block; returns the header row number."""
    last = get_column_letter(columns)
    rows = [
        (header.parent_body, False),
        (header.issuing_body, True),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc", True),
        (header.place_date, False),
        ("BÁO CÁO" + (" (DỰ THẢO)" if header.is_draft else ""), True),
        (subject, True),
        (period, False),
    ]
    row = 1
    for text, bold in rows:
        if not text:
            continue
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1)
        write_text_cell(cell, text)
        cell.font = Font(name=FONT, size=13, bold=bold, italic=text == header.place_date)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        row += 1
    return row + 1


def _table(ws, start_row, headers, widths, rows, number_formats=None):
    number_formats = number_formats or {}
    for column, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=start_row, column=column)
        write_text_cell(cell, title)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(column)].width = width
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=start_row + offset, column=column)
            if isinstance(value, tuple):  # (value, bold) for section rows
                value, bold = value
                cell.font = Font(name=FONT, size=12, bold=bold)
            else:
                cell.font = Font(name=FONT, size=12)
            write_text_cell(cell, value)
            cell.border = BORDER
            cell.alignment = WRAP
            if column in number_formats and isinstance(value, (int, float)):
                cell.number_format = number_formats[column]
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    ws.print_title_rows = f"{start_row}:{start_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def _plan_sheets(wb, r, prefix=""):
    ws = wb.create_sheet(f"{prefix}Chỉ tiêu"[:31])
    start = _title_block(ws, r.header, r.subject, r.period, 7)
    _table(
        ws,
        start,
        [
            "TT",
            "Chỉ tiêu",
            "Mốc",
            "Chỉ tiêu kế hoạch",
            f"Số liệu năm {r.year}",
            "Tỷ lệ đạt (%)",
            "Đánh giá",
        ],
        [6, 60, 12, 18, 16, 12, 16],
        [
            [
                t.number,
                ("– " if t.is_child else "") + t.text,
                t.milestone,
                t.target,
                float(t.value) if t.value is not None else None,
                float(t.share) if t.share is not None else None,
                t.status_label,
            ]
            for t in r.targets
        ],
        {5: "#,##0.0##", 6: "0.0"},
    )
    ws.page_setup.orientation = "portrait"

    ws = wb.create_sheet(f"{prefix}Nhiệm vụ"[:31])
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
    for offset, (label, count) in enumerate(r.timeliness_counts):
        write_text_cell(ws.cell(row=counts_row + offset, column=2), label)
        ws.cell(row=counts_row + offset, column=3, value=count)

    ws = wb.create_sheet(f"{prefix}Báo cáo đơn vị"[:31])
    start = _title_block(ws, r.header, r.subject, r.period, 5)
    _table(
        ws,
        start,
        ["Đơn vị chủ trì", "Số báo cáo phải gửi", "Đã gửi", "Gửi muộn", "Tình trạng"],
        [50, 16, 12, 12, 16],
        [list(row) for row in r.completeness],
    )
    ws.page_setup.orientation = "portrait"


def render_plan_xlsx(r) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _plan_sheets(wb, r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_consolidated_xlsx(c) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    start = _title_block(ws, c.header, c.subject, c.period, 1 + 2 * len(c.summary_columns))
    headers = ["Kế hoạch"]
    for label in c.summary_columns:
        headers += [f"{label} năm {c.year}", f"{label}: chỉ tiêu mốc gần nhất"]
    rows = []
    for row in c.summary:
        values = [f"{row.plan} ({row.locality})"]
        for value, target in row.cells:
            values += [_as_number(value), target]
        rows.append(values)
    _table(
        ws,
        start,
        headers,
        [34] + [14] * (len(headers) - 1),
        rows,
        {i: "#,##0.0##" for i in range(2, len(headers) + 1, 2)},
    )
    ws.page_setup.orientation = "landscape"
    for index, r in enumerate(c.plans, start=1):
        _plan_sheets(wb, r, prefix=f"{index}. {r.plan.locality.name} – ")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _as_number(text: str):
    """ "14.000" → 14000.0, "62,5" → 62.5; "—" stays text."""
    if not text or text == "—":
        return text
    try:
        return float(text.replace(".", "").replace(",", "."))
    except ValueError:
        return text
