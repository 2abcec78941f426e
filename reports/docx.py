"""Word (.docx) output of a report, from the same tree (``reports.tree``) the PDF is made of:
an editable file a clerk finishes in Word before it is signed, not a picture of the PDF.

Layout, per format of the issuing body (``Header.format``):

- **State** (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4 portrait, margins top 20, bottom 20,
  left 30, right 15 mm. Header: parent body 13 pt, issuing body 13 pt bold with a short rule,
  "Số: …/BC-…" 13 pt; "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" 13 pt bold, "Độc lập - Tự do -
  Hạnh phúc" 14 pt bold with a rule as long as the line, place and date 14 pt italic.
  "BÁO CÁO" 14 pt bold, the subject bold, a short rule. "Nơi nhận:" 12 pt bold italic, its
  lines 11 pt.
- **Party** (Hướng dẫn 36-HD/VPTW, 2018, Phụ lục 3 for the sizes): "ĐẢNG CỘNG SẢN VIỆT NAM"
  15 pt bold with a rule as long as the line, place and date 14 pt italic; parent body
  14 pt, issuing body 14 pt bold, "*", "Số …-BC/…" 14 pt; no national motto. "BÁO CÁO"
  15 pt bold, the subject 14 pt bold, "-----" under it. "Nơi nhận:" 14 pt underlined, its
  lines 12 pt (as the seeds 001, 002 and 004 and the guide's table lay them out).
  Margins: the same as the State format (top 20, bottom 20, left 30, right 15 mm). The
  guide's text could not be read here; the ranges it is quoted with (20–25, 20–25, 30–35,
  15–20 mm) hold them, and a provincial Party office's handbook uses 25/25/35/15, inside the
  same ranges: change ``PARTY_LOOK`` if an office asks for those.

Both: Times New Roman everywhere (every style's ``rFonts``, theme fonts removed), body
14 pt justified, first line indented 1.27 cm, 6 pt after, line spacing 1.15; named styles
(Normal, Heading 1–3 for "I.", "1.", "a)", "BC Tiêu đề", "BC Trích yếu", "BC Bảng", Table
Grid) instead of formatting each run; the header and the signature block are borderless
tables, rules are paragraph borders (no text boxes, no shapes). Page numbers: a PAGE field
centred in the page header, none on the first page (``titlePg``). Appendices follow the
signature, each on a new page: Phụ lục I (targets, statistics) portrait, Phụ lục II (tasks,
reports received) landscape; table header rows repeat on every page (``w:tblHeader``).
Charts are left out: the Word file carries text and tables only.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from common.formatting import roman, vn_date, vn_number

from .tree import (
    AgencyReport,
    Appendix,
    ConsolidatedReport,
    Header,
    PlanReport,
    Section,
    Signature,
    StatisticRow,
    TargetRow,
    TaskRow,
    TaskSectionRows,
)

FONT = "Times New Roman"
BLANK = "\u00a0" * 6
ESTIMATED_NOTE = "(*) Số ước thực hiện."
DEMO_NOTE = "Lưu ý: số liệu trong báo cáo này là dữ liệu minh họa, không phải số liệu chính thức."
DEFAULT_APPENDICES = [
    Appendix("I", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"),
    Appendix("II", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ"),
]


@dataclass(frozen=True)
class Look:
    """What differs between the State and the Party format. Lengths in mm, sizes in pt."""

    margins: tuple[int, int, int, int]  # top, bottom, left, right
    columns: tuple[int, int]  # header table: left, right
    parent_size: int
    issuer_size: int
    right_title: str
    right_title_size: int
    right_title_rule: int  # as long as the line it underlines
    title_size: int
    page_number_size: int
    received_size: int
    received_bold: bool
    received_italic: bool
    received_underline: bool
    received_lines_size: int


STATE_LOOK = Look(
    margins=(20, 20, 30, 15),
    columns=(64, 101),
    parent_size=13,
    issuer_size=13,
    right_title="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    right_title_size=13,
    right_title_rule=0,  # the motto's rule is drawn instead
    title_size=14,
    page_number_size=13,
    received_size=12,
    received_bold=True,
    received_italic=True,
    received_underline=False,
    received_lines_size=11,
)
PARTY_LOOK = Look(
    margins=(20, 20, 30, 15),
    columns=(72, 93),
    parent_size=14,
    issuer_size=14,
    right_title="ĐẢNG CỘNG SẢN VIỆT NAM",
    right_title_size=15,
    right_title_rule=75,
    title_size=15,
    page_number_size=14,
    received_size=14,
    received_bold=False,
    received_italic=False,
    received_underline=True,
    received_lines_size=12,
)
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_RULE = 62  # the motto is 60.5 mm wide in 14 pt bold Times New Roman
ISSUER_RULE = 22  # Nghị định 30: 1/3 to 1/2 of the issuing body's line
SUBJECT_RULE = 55  # 1/3 to 1/2 of the subject's line
A4 = (210, 297)

# Paragraph styles of the report (Normal and Heading 1–3 are Word's own, restyled); the
# custom ones as (name, ASCII style id, size in pt, bold, italic, alignment).
BODY, TITLE, SUBJECT, HEAD, CAPTION, NOTE = (
    "Normal",
    "BC Tiêu đề",
    "BC Trích yếu",
    "BC Đầu trang",
    "BC Tên bảng",
    "BC Ghi chú",
)
CELL = {12: ("BC Bảng", "BC Bảng tiêu đề"), 11: ("BC Bảng nhỏ", "BC Bảng nhỏ tiêu đề")}
_CUSTOM_STYLES = [
    (TITLE, "BCTieuDe", 14, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    (SUBJECT, "BCTrichYeu", 14, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    (HEAD, "BCDauTrang", 13, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    (CELL[12][0], "BCBang", 12, False, False, WD_ALIGN_PARAGRAPH.LEFT),
    (CELL[12][1], "BCBangTieuDe", 12, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    (CELL[11][0], "BCBangNho", 11, False, False, WD_ALIGN_PARAGRAPH.LEFT),
    (CELL[11][1], "BCBangNhoTieuDe", 11, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    (CAPTION, "BCTenBang", 14, True, False, WD_ALIGN_PARAGRAPH.LEFT),
    (NOTE, "BCGhiChu", 12, False, True, WD_ALIGN_PARAGRAPH.LEFT),
]
_STYLE_IDS = {name: style_id for name, style_id, *_ in _CUSTOM_STYLES} | {
    BODY: None,  # the default paragraph style: no w:pStyle
    "Heading 1": "Heading1",
    "Heading 2": "Heading2",
    "Heading 3": "Heading3",
    "Header": "Header",
}
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# w:pPr children that come after w:pBdr (ECMA-376 CT_PPrBase order)
_AFTER_PBDR = (
    "w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap w:overflowPunct w:topLinePunct "
    "w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid w:spacing w:ind "
    "w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection "
    "w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr "
    "w:pPrChange"
).split()
_AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


# --- public


def render_plan_docx(report: PlanReport) -> bytes:
    """A plan's yearly report: the outline, then Phụ lục I (targets, statistics) and
    Phụ lục II (tasks, agencies' reports)."""
    writer = _Writer(report.header, title=report.subject, author=report.issuer.name)
    writer.opening(report.subject, report.recipient, report.intro, report.period)
    writer.sections(report.sections)
    writer.signature(report.signature, report.recipients)
    writer.plan_appendices(report, _attachment_note(report.header, report.issuer.name))
    return writer.save()


def render_agency_docx(report: AgencyReport) -> bytes:
    """A lead agency's report to the coordinating body, its tasks in an appendix."""
    writer = _Writer(report.header, title=report.subject, author=report.agency.name)
    writer.opening(report.subject, report.recipient, report.intro, report.period)
    writer.sections(report.sections)
    writer.signature(report.signature, report.recipients)
    appendix = report.appendices[0] if report.appendices else DEFAULT_APPENDICES[1]
    writer.appendix(appendix, _attachment_note(report.header, report.agency.name), landscape=True)
    writer.tasks([TaskSectionRows("", report.tasks)] if report.tasks else [], counts=[])
    return writer.save()


def render_consolidated_docx(report: ConsolidatedReport) -> bytes:
    """The consolidated report, as its PDF: "I." the summary of key figures with totals over
    the places counted once, "II.", "III." … each plan's outline on a new page, the
    signature, then each plan's appendices."""
    issuer = report.issuer.name if report.issuer else ""
    writer = _Writer(report.header, title=report.subject, author=issuer)
    writer.opening(report.subject, report.recipient, report.intro, report.period)
    writer.summary(report)
    for number, plan in enumerate(report.plans, start=2):
        heading = writer.paragraph(f"{roman(number)}. {_plan_label(plan)}", "Heading 1")
        heading.paragraph_format.page_break_before = True
        writer.paragraph(plan.subject, SUBJECT)
        if plan.recipient.note:
            writer.paragraph(plan.recipient.note, italic=True)
        writer.sections(plan.sections, level=2)
    writer.signature(report.signature, report.recipients)
    attached = _attachment_note(report.header, issuer)
    for plan in report.plans:
        writer.plan_appendices(plan, attached, of=_plan_label(plan))
    return writer.save()


def _plan_label(plan: PlanReport) -> str:
    """ "CHƯƠNG TRÌNH SỐ 41-CTr/TU – KON TUM" (the number keeps its case), as the
    consolidated PDF heads a plan."""
    kind = plan.plan.get_kind_display_short().upper()
    return f"{kind} SỐ {plan.plan.number} – {plan.plan.locality.name.upper()}"


# --- formatting of values


def _figure(value: Decimal | None, unit: str = "", estimated: bool = False) -> str:
    if value is None:
        return ""
    return f"{vn_number(value)}{unit}{'*' if estimated else ''}"


def _heading(section: Section) -> str:
    number = section.number.strip()
    if not number:
        return section.title
    return f"{number} {section.title}" if number[-1] in ".)" else f"{number}. {section.title}"


def _attachment_note(header: Header, issuer: str) -> str:
    return header.attachment_note(issuer)


# --- the document


class _Writer:
    """One document being written: its styles, page set-up and the report's parts."""

    def __init__(self, header: Header, *, title: str, author: str):
        self.header = header
        self.look = PARTY_LOOK if header.is_party else STATE_LOOK
        self.doc = Document()
        self.doc.core_properties.title = title
        self.doc.core_properties.author = author
        self.doc.core_properties.last_modified_by = author
        self.doc.core_properties.language = "vi-VN"
        self.doc.core_properties.comments = ""
        _define_styles(self.doc, self.look)
        self._page_setup()
        self._header_block()

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    # - page

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        _set_page(section, self.look.margins, landscape=False)
        section.different_first_page_header_footer = True  # no number on page 1
        section.first_page_header.is_linked_to_previous = False
        section.header.is_linked_to_previous = False
        number = section.header.paragraphs[0]
        _style(number, "Header")
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(number)

    def _new_section(self, *, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        if landscape:  # the bound edge at the top, as the PDF's landscape pages
            _set_page(section, (30, 15, 20, 20), landscape=True)
        else:
            _set_page(section, self.look.margins, landscape=False)

    # - paragraphs

    def paragraph(self, text: str, style: str = BODY, **run):
        paragraph = _style(self.doc.add_paragraph(), style)
        if text:
            _run(paragraph, text, **run)
        return paragraph

    def _rule(self, width: float, container=None, column: float | None = None):
        """An empty, 3-pt-high paragraph with a bottom border ``width`` mm long, centred."""
        container = container or self.doc
        paragraph = _style(container.add_paragraph(), HEAD)
        total = column if column is not None else self._text_width()
        side = max(0.0, (total - width) / 2)
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Mm(side)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(3)
        _borders(paragraph, "bottom")
        return paragraph

    def _text_width(self) -> float:
        section = self.doc.sections[-1]
        return (section.page_width - section.left_margin - section.right_margin) / 36000

    # - the header block

    def _header_block(self) -> None:
        h, look = self.header, self.look
        if h.is_draft:
            draft = self.paragraph("DỰ THẢO", HEAD, bold=True, size=12)
            draft.alignment = WD_ALIGN_PARAGRAPH.CENTER
            draft.paragraph_format.left_indent = Mm(self._text_width() - 28)
            draft.paragraph_format.space_after = Pt(6)
            _borders(draft, "top", "left", "bottom", "right")
        table = _borderless_table(self.doc, look.columns)
        left, right = table.rows[0].cells
        first = True
        if h.parent_body:
            _cell_line(left, h.parent_body, size=look.parent_size, first=first)
            first = False
        _cell_line(left, h.issuing_body, size=look.issuer_size, bold=True, first=first)
        if h.is_party:
            _cell_line(left, "*", size=look.issuer_size)
        else:
            self._rule(ISSUER_RULE, left, column=look.columns[0])
        number = _cell_line(left, h.number_line, size=look.issuer_size)
        number.paragraph_format.space_before = Pt(6 if not h.is_party else 0)

        title = _cell_line(
            right, look.right_title, size=look.right_title_size, bold=True, first=True
        )
        if h.is_party:
            _rule_under(title, look.right_title_rule, look.columns[1])
        else:
            motto = _cell_line(right, MOTTO, size=14, bold=True)
            _rule_under(motto, MOTTO_RULE, look.columns[1])
        place = _cell_line(right, h.place_date, size=14, italic=True)
        place.paragraph_format.space_before = Pt(6)

    # - title, addressees, introduction

    def opening(self, subject: str, recipient, intro: str, period) -> None:
        title = self.paragraph("BÁO CÁO", TITLE)
        title.paragraph_format.space_before = Pt(18)
        self.paragraph(subject, SUBJECT)
        if self.header.is_party:
            self.paragraph("-----", SUBJECT, bold=False)
        else:
            self._rule(SUBJECT_RULE)
        names = [n.strip().rstrip(".;") for n in (recipient.names if recipient else [])]
        names = [n for n in names if n]
        lines = [f"Kính gửi: {names[0]}."] if len(names) == 1 else []
        if len(names) > 1:
            lines = ["Kính gửi:"] + [f"- {n};" for n in names[:-1]] + [f"- {names[-1]}."]
        for line in lines:
            last = self.paragraph(line, SUBJECT, bold=False)
        if lines:
            last.paragraph_format.space_after = Pt(12)
        if recipient and recipient.note:
            self.paragraph(recipient.note, italic=True)
        for line in _lines(intro):
            self.paragraph(line)
        if period:
            self.paragraph(
                f"Số liệu báo cáo tính từ ngày {vn_date(period.start)} "
                f"đến ngày {vn_date(period.end)}.",
                italic=True,
            )

    # - the outline

    def sections(self, sections: Iterable[Section], level: int = 1) -> None:
        for section in sections:
            self.paragraph(_heading(section), f"Heading {min(level, 3)}")
            for text in section.paragraphs:
                for line in _lines(text):
                    self.paragraph(line)
            self.sections(section.subsections, level + 1)

    # - signature and "Nơi nhận"

    def signature(self, signature: Signature | None, recipients: list[str]) -> None:
        look = self.look
        spacer = self.paragraph("")
        spacer.paragraph_format.keep_with_next = True
        table = _borderless_table(self.doc, (82, self._text_width() - 82))
        left, right = table.rows[0].cells
        if recipients:
            _cell_line(
                left,
                "Nơi nhận:",
                size=look.received_size,
                bold=look.received_bold,
                italic=look.received_italic,
                underline=look.received_underline,
                first=True,
                align=WD_ALIGN_PARAGRAPH.LEFT,
            )
            for line in recipients:
                _cell_line(
                    left, f"- {line}", size=look.received_lines_size, align=WD_ALIGN_PARAGRAPH.LEFT
                )
        if signature is None:
            return
        first = True
        for line in (signature.authority, signature.deputy, signature.title):
            if line:
                _cell_line(right, line.upper(), size=14, bold=True, first=first)
                first = False
        for _ in range(4):
            _cell_line(right, "", size=14)
        _cell_line(right, signature.name, size=14, bold=True)

    # - appendices

    def plan_appendices(self, report: PlanReport, attached: str, of: str = "") -> None:
        """Phụ lục I (targets, statistics; portrait) and II (tasks, reports; landscape)."""
        given = list(report.appendices)
        first, second = (given + DEFAULT_APPENDICES[len(given) :])[:2]
        self.appendix(first, attached, landscape=False, of=of)
        self.targets(report.targets, year=report.year, has_demo=report.has_demo)
        self.statistics(report.statistics, year=report.year)
        self.appendix(second, attached, landscape=True, of=of)
        self.tasks(report.task_sections, counts=report.timeliness_counts)
        self.completeness(report.completeness)

    def appendix(self, appendix: Appendix, attached: str, *, landscape: bool, of="") -> None:
        self._new_section(landscape=landscape)
        self.paragraph(f"PHỤ LỤC {appendix.number}", TITLE)
        self.paragraph(appendix.title, SUBJECT)
        if of:
            self.paragraph(of, SUBJECT)
        note = self.paragraph(attached, SUBJECT, bold=False, italic=True)
        note.paragraph_format.space_after = Pt(12)

    def targets(self, rows: list[TargetRow], *, year: int, has_demo: bool) -> None:
        self.paragraph("1. Kết quả thực hiện các chỉ tiêu", CAPTION)
        if has_demo:
            self.paragraph(DEMO_NOTE, NOTE)
        if not rows:
            self.paragraph("Kế hoạch không có chỉ tiêu.", NOTE)
            return
        head = ["TT", "Chỉ tiêu", "Mốc", "Chỉ tiêu kế hoạch", f"Số liệu năm {year}"]
        head += ["Tỷ lệ đạt", "Đánh giá"]
        body = [
            [
                str(r.number),
                ("– " if r.is_child else "") + r.text,
                r.milestone,
                r.target,
                _figure(r.value, r.unit, r.estimated),
                _figure(r.share, "%"),
                r.status_label,
            ]
            for r in rows
        ]
        _data_table(self.doc, head, body, (9, 50, 15, 25, 22, 18, 26), numeric={4, 5})
        if any(r.estimated for r in rows):
            self.paragraph(ESTIMATED_NOTE, NOTE)

    def statistics(self, rows: list[StatisticRow], *, year: int) -> None:
        self.paragraph("2. Số liệu thống kê kinh tế tập thể", CAPTION)
        if not rows:
            self.paragraph(f"Chưa có số liệu thống kê của năm {year} và năm {year - 1}.")
            return
        head = ["Chỉ tiêu", "Đơn vị", f"Năm {year - 1}", f"Năm {year}", "Tăng/giảm"]
        head.append("Tỷ lệ tăng/giảm")
        body = [
            [
                (r.name, r.definition),
                r.unit,
                _figure(r.previous),
                _figure(r.value, estimated=r.estimated),
                _figure(r.change, " điểm %" if r.is_share else ""),
                _figure(r.change_percent, "%"),
            ]
            for r in rows
        ]
        _data_table(self.doc, head, body, (55, 18, 22, 22, 24, 24), numeric={2, 3, 4, 5})
        if any(r.estimated for r in rows):
            self.paragraph(ESTIMATED_NOTE, NOTE)

    def tasks(self, sections: list[TaskSectionRows], *, counts) -> None:
        if counts:
            done = "; ".join(f"{c.label.lower()}: {vn_number(c.count)}" for c in counts)
            self.paragraph(f"Tình hình thực hiện: {done}.")
        if not any(s.rows for s in sections):
            self.paragraph("Không có nhiệm vụ.", NOTE)
            return
        head = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời hạn"]
        head.append("Kết quả / tình trạng")
        body: list[list[str] | str] = []
        for section in sections:
            if section.title:
                body.append(section.title)
            body += [_task_cells(t) for t in section.rows]
        _data_table(self.doc, head, body, (14, 68, 35, 35, 35, 20, 50), size=11)

    def completeness(self, rows) -> None:
        if not rows:
            return
        self.paragraph("Tình hình gửi báo cáo của các đơn vị chủ trì", CAPTION)
        head = ["Đơn vị", "Phải gửi", "Đã gửi", "Gửi muộn", "Tình trạng"]
        body = [
            [r.agency, vn_number(r.expected), vn_number(r.submitted), vn_number(r.late)]
            + [r.state_label]
            for r in rows
        ]
        _data_table(self.doc, head, body, (127, 30, 30, 30, 40), numeric={1, 2, 3})

    # - the consolidated summary

    def summary(self, report: ConsolidatedReport) -> None:
        """Each plan's key figures (this year's value over the next milestone's target) and
        a totals row over the places counted once."""
        self.paragraph("I. TỔNG HỢP CÁC CHỈ SỐ CHÍNH", "Heading 1")
        self.paragraph(
            f"Mỗi ô: số liệu năm {report.year} / chỉ tiêu của mốc gần nhất. Dòng tổng cộng tính "
            "mỗi địa bàn một lần (địa bàn nằm trong địa bàn khác đã có, hoặc trùng địa bàn, được "
            'đánh dấu "đã tính").',
            NOTE,
        )
        columns = len(report.summary_columns)
        body: list[list] = [
            [(f"{row.plan} ({row.locality})", "" if row.counted else "đã tính")]
            + [(_figure(c.value) or "—", c.target) for c in row.cells]
            for row in report.summary
        ]
        body.append(["Tổng cộng", *[_figure(t) or "—" for t in report.totals]])
        widths = (45, *([(165 - 45) / max(columns, 1)] * columns))
        head = ["Kế hoạch", *report.summary_columns]
        table = _data_table(
            self.doc, head, body, widths, size=11, numeric=set(range(1, 1 + columns))
        )
        for run in (r for cell in table.rows[-1].cells for p in cell.paragraphs for r in p.runs):
            run.bold = True


def _task_cells(task: TaskRow) -> list[str]:
    result = ". ".join(p for p in (task.status_label, task.result) if p)
    return [
        task.code,
        task.description,
        task.lead,
        task.partners,
        task.deliverable,
        task.deadline,
        result,
    ]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- python-docx helpers (no API for these: fields, borders, repeated header rows)


def _run(paragraph, text: str, *, bold=None, italic=None, underline=None, size=None):
    """A run of ``text``; only what differs from the paragraph's style is set on it."""
    run = paragraph.add_run(text)
    if bold is not None:
        run.bold = bold
    if italic:
        run.italic = True
    if underline:
        run.underline = True
    if size:
        run.font.size = Pt(size)
    return run


def _style(paragraph, name: str):
    """Give ``paragraph`` the style ``name`` by its id: python-docx's own lookup by name
    walks every style of the document each time, most of the rendering time."""
    style_id = _STYLE_IDS[name]
    if style_id:
        paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _set_fonts(rFonts) -> None:
    for attr in _THEME_FONT_ATTRS:
        rFonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rFonts.set(qn(attr), FONT)


def _define_styles(doc, look: Look) -> None:
    styles = doc.styles
    normal = styles[BODY]
    normal.element.get_or_add_rPr().get_or_add_rFonts()
    for rFonts in styles.element.iter(qn("w:rFonts")):  # no theme font left anywhere
        _set_fonts(rFonts)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.rPr.append(lang)
    normal.font.size = Pt(14)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(1.27)
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.15
    fmt.widow_control = True
    for level, (bold, italic) in enumerate([(True, False), (True, False), (True, True)], 1):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(14)
        heading.font.bold, heading.font.italic = bold, italic
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    header = styles["Header"]
    header.font.size = Pt(look.page_number_size)
    header.paragraph_format.first_line_indent = Cm(0)
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.space_after = Pt(0)
    for name, style_id, size, bold, italic, align in _CUSTOM_STYLES:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold, style.font.italic = bold, italic
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Cm(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
    styles[TITLE].font.size = Pt(look.title_size)
    styles[TITLE].paragraph_format.keep_with_next = True
    styles[SUBJECT].paragraph_format.keep_with_next = True
    styles[CAPTION].paragraph_format.space_before = Pt(6)
    styles[CAPTION].paragraph_format.space_after = Pt(6)
    styles[CAPTION].paragraph_format.keep_with_next = True
    styles[NOTE].paragraph_format.space_before = Pt(3)
    styles[NOTE].paragraph_format.space_after = Pt(6)


def _set_page(section, margins, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(height), Mm(width))
        if landscape
        else (
            Mm(width),
            Mm(height),
        )
    )
    top, bottom, left, right = margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.gutter = Mm(0)


def _page_field(paragraph) -> None:
    """A PAGE field (fldChar begin, instrText, separate, a placeholder result, end): Word
    and LibreOffice replace the placeholder with each page's number."""

    def field_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    paragraph.add_run("2")
    field_char("end")


def _borders(paragraph, *sides: str) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    pBdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            edge = OxmlElement(f"w:{side}")
            for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
                edge.set(qn(f"w:{key}"), value)
            pBdr.append(edge)
    pPr.insert_element_before(pBdr, *_AFTER_PBDR)


def _rule_under(paragraph, width: float, column: float) -> None:
    """A bottom border under ``paragraph``, ``width`` mm long: the paragraph is narrowed
    to that width (its text fits in it) and stays centred in its ``column``."""
    side = max(0.0, (column - width) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(side)
    _borders(paragraph, "bottom")


def _cell_line(
    cell, text, *, size, bold=None, italic=None, underline=None, first=False, align=None
):
    """One line of a header or signature cell; ``first`` reuses the cell's empty paragraph."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    _style(paragraph, HEAD)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)
    else:
        paragraph.paragraph_format.space_after = Pt(size)
    return paragraph


def _table_width(table, widths) -> None:
    tblPr = table._tbl.tblPr
    tblW = tblPr.find(qn("w:tblW"))
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(int(sum(Mm(w).twips for w in widths))))
    table.autofit = False  # w:tblLayout fixed: the widths below hold
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)


def _borderless_table(doc, widths):
    table = doc.add_table(rows=1, cols=len(widths))
    _table_width(table, widths)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "0")
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBLCELLMAR)
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Mm(width)
    return table


def _data_table(doc, head, rows, widths, *, size=12, numeric=frozenset()):
    """A Table Grid table: ``head`` repeated on every page, then ``rows``; a row given as a
    string spans the table (a group's title)."""
    table = doc.add_table(rows=1 + len(rows), cols=len(head), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_width(table, widths)
    cell_style, head_style = CELL[size]
    aligns = dict.fromkeys(numeric, WD_ALIGN_PARAGRAPH.RIGHT)
    aligns.update({i: WD_ALIGN_PARAGRAPH.CENTER for i, name in enumerate(head) if name == "TT"})
    for index, row in enumerate(table.rows):
        cells = row.cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = Mm(width)
        if index == 0:
            _repeat_header(row)
            for cell, text in zip(cells, head, strict=True):
                _cell_text(cell, text, head_style)
            continue
        values = rows[index - 1]
        if isinstance(values, str):
            merged = cells[0].merge(cells[-1])
            _cell_text(merged, values, cell_style, bold=True)
            continue
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            lines = value if isinstance(value, tuple) else (value,)
            align = aligns.get(column)
            _cell_text(cell, lines[0], cell_style, align=align)
            for extra in lines[1:]:
                if extra:
                    note = _style(cell.add_paragraph(), cell_style)
                    note.alignment = align
                    _run(note, extra, italic=True)
    return table


def _cell_text(cell, text, style, *, bold=None, align=None) -> None:
    paragraph = _style(cell.paragraphs[0], style)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, bold=bold)


def _repeat_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        trPr.append(OxmlElement(tag))
