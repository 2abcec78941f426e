"""Word files of the reports (reports/docx.py), read back with python-docx: the State or
Party format of the issuing body, a draft's blank number and date, the outline in order,
styles and page set-up, page numbers from page 2, tables whose header row repeats."""

import datetime
import io
import re
from decimal import Decimal as D

import docx
import pytest
from docx.oxml.ns import qn

from plans.models import Agency, Plan
from reports.assembly import (
    assemble_agency_report,
    assemble_consolidated,
    assemble_plan_report,
)
from reports.docx import render_agency_docx, render_consolidated_docx, render_plan_docx
from reports.tree import (
    PARTY,
    STATE,
    AgencyReport,
    Appendix,
    CompletenessRow,
    ConsolidatedReport,
    Header,
    Period,
    PlanReport,
    Recipient,
    Section,
    Signature,
    StatisticRow,
    SummaryCell,
    SummaryRow,
    TargetRow,
    TaskRow,
    TaskSectionRows,
    TimelinessCount,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
PARTY_PLANS = ["yen-bai", "go-cong-tay", "kon-tum"]
STATE_PLANS = ["binh-phuoc", "dak-nong"]
STATE_LINES = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


# --- hand-built trees (the renderer's input, values under the test's control)


def header(plan: Plan, *, draft: bool) -> Header:
    body = plan.issuing_body
    party = body.kind == "party"
    return Header(
        format=PARTY if party else STATE,
        parent_body=body.parent.name.upper() if body.parent_id else "",
        issuing_body=body.name.upper(),
        number="" if draft else "12",
        code="BC/TU" if party else "BC-UBND",
        place=body.locality.name,
        date=None if draft else datetime.date(YEAR, 12, 5),
        year=YEAR,
        is_draft=draft,
    )


def outline() -> list[Section]:
    return [
        Section("I", "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", ["Ban hành 03 văn bản chỉ đạo."]),
        Section(
            "II",
            "KẾT QUẢ THỰC HIỆN",
            subsections=[
                Section("1", "Kết quả thực hiện các chỉ tiêu", ["Toàn tỉnh có 295 HTX."]),
                Section("2", "Kết quả thực hiện các nhiệm vụ", ["Hoàn thành 20/26 nhiệm vụ."]),
            ],
        ),
        Section("III", "ĐÁNH GIÁ CHUNG", ["Kết quả.", "Hạn chế, nguyên nhân."]),
        Section("IV", f"PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {YEAR + 1}", ["Tiếp tục."]),
        Section("V", "ĐỀ XUẤT, KIẾN NGHỊ", ["Không có."]),
    ]


def target(number, value, *, estimated=False, share=None) -> TargetRow:
    return TargetRow(
        number=number,
        text=f"Chỉ tiêu {number}",
        milestone="2025",
        target="khoảng 300",
        comparator="khoảng",
        planned=D(300),
        planned_max=None,
        value=value,
        unit="",
        is_share=False,
        estimated=estimated,
        share=share,
        status="on_track" if value is not None else "",
        status_label="Đúng tiến độ" if value is not None else "",
        is_child=False,
    )


def hand_report(plan: Plan, *, draft: bool = True, names=("Ủy ban nhân dân tỉnh",)) -> PlanReport:
    head = header(plan, draft=draft)
    task = TaskRow("I.1", "Tuyên truyền", "Sở Tài chính", "", "Báo cáo", "Hằng năm", "", "", "")
    return PlanReport(
        plan=plan,
        year=YEAR,
        issuer=plan.issuing_body,
        header=head,
        subject=f"Kết quả thực hiện Kế hoạch số {plan.number} năm {YEAR}",
        recipient=Recipient(list(names)),
        intro="Thực hiện Kế hoạch, báo cáo như sau:",
        period=Period(datetime.date(YEAR - 1, 12, 15), datetime.date(YEAR, 12, 14)),
        sections=outline(),
        targets=[target(1, D(14000), estimated=True, share=D("82.4")), target(2, None)],
        charts=[],
        statistics=[
            StatisticRow("Số HTX", "HTX", False, D(276), D(295), D(19), D("6.9"), False, ""),
            StatisticRow("HTX tốt, khá", "%", True, None, None, None, None, False, ""),
        ],
        task_sections=[TaskSectionRows("I. Tuyên truyền", [task])],
        timeliness_counts=[TimelinessCount("on_time", "Hoàn thành đúng hạn", 1)],
        completeness=[CompletenessRow("Sở Tài chính", 2, 1, 0, "missing", "Chưa gửi")],
        agency_reports=[],
        appendices=[Appendix("I", "CHỈ TIÊU"), Appendix("II", "NHIỆM VỤ")],
        recipients=["Như trên;", "Lưu: VT."],
        signature=Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", ""),
        has_demo=False,
    )


def hand(slug: str, **kwargs) -> PlanReport:
    return hand_report(Plan.objects.get(slug=slug), **kwargs)


def plan_report(slug: str) -> PlanReport:
    """A seed plan's report for the year, as the portal assembles it (a draft)."""
    return assemble_plan_report(plan=Plan.objects.get(slug=slug), year=YEAR)


# --- reading the file back


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def header_text(document) -> str:
    """The header block (the first table), line by line."""
    return "\n".join(p.text for cell in document.tables[0].rows[0].cells for p in cell.paragraphs)


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(parts)


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def expected_headings(sections: list[Section]) -> list[str]:
    out = []
    for section in sections:
        out.append(f"{section.number}. {section.title}")
        out += expected_headings(section.subsections)
    return out


def data_tables(document):
    return [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]


# --- the format of the issuing body


@pytest.mark.parametrize("slug", PARTY_PLANS)
def test_a_party_plans_report_is_in_the_party_format(slug):
    """Hướng dẫn 36: "ĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số …-BC/…", no national motto."""
    document = read(render_plan_docx(plan_report(slug)))
    top = header_text(document)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in top
    assert "*" in top.splitlines()
    assert re.search(r"^Số\s+-BC/", top, re.M), top
    assert "Số:" not in top
    text = all_text(document)
    assert not any(line in text for line in STATE_LINES)


@pytest.mark.parametrize("slug", STATE_PLANS)
def test_a_state_plans_report_is_in_the_decree_30_format(slug):
    document = read(render_plan_docx(plan_report(slug)))
    top = header_text(document)
    assert all(line in top for line in STATE_LINES)
    assert re.search(r"^Số:\s+/BC-", top, re.M), top
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in all_text(document)


@pytest.mark.parametrize("slug", PARTY_PLANS + STATE_PLANS)
def test_a_draft_leaves_day_month_and_number_blank_and_says_draft(slug):
    report = plan_report(slug)
    document = read(render_plan_docx(report))
    top = header_text(document)
    assert re.search(r", ngày\s+tháng\s+năm 2025$", top, re.M), top
    assert not re.search(r"Số:?\s*\d", top)
    assert document.paragraphs[0].text == "DỰ THẢO"


@pytest.mark.parametrize("slug", ["kon-tum", "dak-nong"])
def test_a_final_report_carries_its_number_and_date(slug):
    document = read(render_plan_docx(hand(slug, draft=False)))
    top = header_text(document)
    assert re.search(r"^Số:? 12[-/]BC", top, re.M), top
    assert re.search(r", ngày 05 tháng 12 năm 2025$", top, re.M), top
    assert "DỰ THẢO" not in all_text(document)


# --- content


@pytest.mark.parametrize("slug", PARTY_PLANS + STATE_PLANS)
def test_the_outline_is_there_in_order(slug):
    report = plan_report(slug)
    document = read(render_plan_docx(report))
    assert headings(document) == expected_headings(report.sections)
    levels = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert levels[:4] == ["Heading 1", "Heading 1", "Heading 2", "Heading 2"]
    texts = [p.text for p in document.paragraphs]
    first = expected_headings(report.sections)[0]
    assert texts.index("BÁO CÁO") < texts.index(report.subject) < texts.index(first)
    assert "Số liệu báo cáo tính từ ngày 15/12/2024 đến ngày 14/12/2025." in texts
    paragraphs = [p for s in report.sections for p in s.paragraphs]
    assert paragraphs and all(p in texts for p in paragraphs)


@pytest.mark.parametrize("slug", PARTY_PLANS + STATE_PLANS)
def test_every_target_and_task_is_in_the_appendices(slug):
    report = plan_report(slug)
    document = read(render_plan_docx(report))
    texts = [p.text for p in document.paragraphs]
    assert [f"PHỤ LỤC {a.number}" for a in report.appendices] == ["PHỤ LỤC I", "PHỤ LỤC II"]
    assert all(f"PHỤ LỤC {a.number}" in texts and a.title in texts for a in report.appendices)
    targets, *_, tasks, completeness = data_tables(document)
    assert [r.cells[1].text for r in targets.rows[1:]] == [
        ("– " if t.is_child else "") + t.text for t in report.targets
    ]
    codes = [r.cells[0].text for r in tasks.rows[1:]]
    for section in report.task_sections:
        assert section.title in codes
        assert all(t.code in codes for t in section.rows)
    assert len(completeness.rows) == len(report.completeness) + 1


def test_one_addressee_on_one_line_several_as_a_list():
    plan = Plan.objects.get(slug="dak-nong")
    one = read(render_plan_docx(hand_report(plan, names=["Bộ Tài chính"])))
    assert "Kính gửi: Bộ Tài chính." in [p.text for p in one.paragraphs]
    several = read(render_plan_docx(hand_report(plan, names=["Bộ Tài chính", "Tỉnh ủy"])))
    texts = [p.text for p in several.paragraphs]
    start = texts.index("Kính gửi:")
    assert texts[start + 1 : start + 3] == ["- Bộ Tài chính;", "- Tỉnh ủy."]


def test_appendices_hold_the_tables_with_vietnamese_numbers_and_estimates_marked():
    document = read(render_plan_docx(hand("dak-nong")))
    texts = [p.text for p in document.paragraphs]
    assert texts.index("PHỤ LỤC I") < texts.index("PHỤ LỤC II")
    assert "(*) Số ước thực hiện." in texts
    targets, statistics, tasks, completeness = data_tables(document)
    assert [c.text for c in targets.rows[0].cells] == [
        "TT",
        "Chỉ tiêu",
        "Mốc",
        "Chỉ tiêu kế hoạch",
        "Số liệu năm 2025",
        "Tỷ lệ đạt",
        "Đánh giá",
    ]
    assert [c.text for c in targets.rows[1].cells][3:6] == ["khoảng 300", "14.000*", "82,4%"]
    assert [c.text for c in targets.rows[2].cells][4:6] == ["", ""]  # no figure: empty
    assert [c.text for c in statistics.rows[1].cells] == [
        "Số HTX",
        "HTX",
        "276",
        "295",
        "19",
        "6,9%",
    ]
    assert [c.text for c in statistics.rows[2].cells][2:] == ["", "", "", ""]
    assert tasks.rows[1].cells[0].text == "I. Tuyên truyền"  # the group's row spans the table
    assert [c.text for c in tasks.rows[2].cells][:3] == ["I.1", "Tuyên truyền", "Sở Tài chính"]
    assert [c.text for c in completeness.rows[1].cells] == [
        "Sở Tài chính",
        "2",
        "1",
        "0",
        "Chưa gửi",
    ]


@pytest.mark.parametrize("slug", ["kon-tum", "dak-nong"])
def test_signature_block_and_recipients(slug):
    """Nơi nhận: 12 pt bold italic (Nghị định 30) or 14 pt underlined (Hướng dẫn 36)."""
    report = plan_report(slug)
    document = read(render_plan_docx(report))
    left, right = document.tables[1].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:",
        *[f"- {line}" for line in report.recipients],
    ]
    sign = report.signature
    lines = [p.text for p in right.paragraphs]
    assert lines[0] == (sign.authority or sign.deputy)
    assert [line for line in lines if line] == [
        line for line in (sign.authority, sign.deputy, sign.title, sign.name) if line
    ]
    received = left.paragraphs[0].runs[0]
    if report.header.is_party:
        assert received.underline and not received.bold and received.font.size.pt == 14
    else:
        assert received.bold and received.italic and received.font.size.pt == 12


def test_the_word_file_is_text_only():
    data = render_plan_docx(plan_report("kon-tum"))
    document = read(data)
    xml = document.element.xml
    assert not document.inline_shapes
    assert "w:drawing" not in xml and "w:txbxContent" not in xml and "v:shape" not in xml


# --- styles and page set-up


@pytest.mark.parametrize("slug", ["kon-tum", "dak-nong"])
def test_styles_are_times_new_roman_and_the_page_is_a4_with_the_margins(slug):
    document = read(render_plan_docx(plan_report(slug)))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    assert "Theme=" not in document.styles.element.xml  # no theme font anywhere
    body = normal.paragraph_format
    assert round(body.first_line_indent.cm, 2) == 1.27
    assert body.space_after.pt == 6 and body.line_spacing == 1.15
    assert body.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    for name in ("Heading 1", "Heading 2", "BC Tiêu đề", "BC Bảng"):
        assert document.styles[name].base_style.name == "Normal"
    first = document.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]
    tasks = document.sections[-1]
    assert tasks.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE


def page_fields(header) -> list[str]:
    return [t.text.strip() for t in header._element.iter(qn("w:instrText"))] + [
        f.get(qn("w:instr")).strip() for f in header._element.iter(qn("w:fldSimple"))
    ]


@pytest.mark.parametrize("slug", ["kon-tum", "dak-nong"])
def test_page_numbers_from_page_two(slug):
    document = read(render_plan_docx(plan_report(slug)))
    first, *rest = document.sections
    assert first.different_first_page_header_footer
    assert page_fields(first.first_page_header) == []
    assert page_fields(first.header) == ["PAGE"]
    assert first.header.paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    for section in rest:  # the appendices keep the same header, numbered from their first page
        assert not section.different_first_page_header_footer
        assert section.header.is_linked_to_previous


def test_tables_repeat_their_header_row():
    document = read(render_plan_docx(hand("kon-tum")))
    tables = data_tables(document)
    assert len(tables) == 4  # targets, statistics, tasks, reports received
    for table in tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert all(
            r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:]
        )
    header_block, signature = document.tables[0], document.tables[1]
    assert header_block.style is None or header_block.style.name != "Table Grid"
    assert signature.style is None or signature.style.name != "Table Grid"


# --- the agency's and the consolidated report


def test_agency_report_has_its_tasks_in_an_appendix():
    plan = Plan.objects.get(slug="dak-nong")
    base = hand_report(plan)
    report = AgencyReport(
        plan=plan,
        year=YEAR,
        agency=plan.issuing_body,
        header=base.header,
        subject="Kết quả thực hiện nhiệm vụ",
        recipient=Recipient(["Sở Tài chính"]),
        intro="Báo cáo như sau:",
        period=base.period,
        sections=outline()[:2],
        tasks=base.task_sections[0].rows,
        appendices=[Appendix("I", "NHIỆM VỤ")],
        recipients=["Lưu: VT."],
        signature=Signature("", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"),
        expected=1,
        submitted=1,
    )
    document = read(render_agency_docx(report))
    texts = [p.text for p in document.paragraphs]
    assert "Kính gửi: Sở Tài chính." in texts and "PHỤ LỤC I" in texts
    assert headings(document) == expected_headings(report.sections)
    (tasks,) = data_tables(document)
    assert [c.text for c in tasks.rows[1].cells][:2] == ["I.1", "Tuyên truyền"]
    assert [p.text for p in document.tables[1].rows[0].cells[1].paragraphs][-1] == "Nguyễn Văn A"


def test_consolidated_report_sums_up_then_gives_each_plan():
    plans = [hand(s) for s in ("dak-nong", "kon-tum")]
    report = ConsolidatedReport(
        year=YEAR,
        issuer=plans[0].issuer,
        header=plans[0].header,
        subject="Tổng hợp kết quả",
        recipient=Recipient(["Bộ Tài chính"]),
        intro="Tổng hợp như sau:",
        period=plans[0].period,
        summary_columns=["Số HTX", "Thành viên HTX"],
        summary=[
            SummaryRow("KH 127", "Đắk Nông", [SummaryCell(D(295), "300 (2025)")] * 2),
            SummaryRow("CTr 41", "Kon Tum", [SummaryCell(None, "—")] * 2, counted=False),
        ],
        totals=[D(295), None],
        plans=plans,
        recipients=["Lưu: VT."],
        signature=plans[0].signature,
    )
    document = read(render_consolidated_docx(report))
    summary, *appendix_tables = data_tables(document)
    assert [c.text for c in summary.rows[0].cells] == ["Kế hoạch", "Số HTX", "Thành viên HTX"]
    assert summary.rows[1].cells[1].text == "295\n300 (2025)"
    assert summary.rows[2].cells[0].text == "CTr 41 (Kon Tum)\nđã tính"
    assert summary.rows[2].cells[1].text == "—\n—"
    assert [c.text for c in summary.rows[-1].cells] == ["Tổng cộng", "295", "—"]
    expected = ["I. TỔNG HỢP CÁC CHỈ SỐ CHÍNH"]
    for number, plan in zip(("II", "III"), plans, strict=True):
        # the document number keeps its case: "41-CTr/TU", never "41-CTR/TU"
        label = f"{plan.plan.get_kind_display_short().upper()} SỐ {plan.plan.number}"
        expected += [f"{number}. {label} – {plan.plan.locality.name.upper()}"]
        expected += expected_headings(plan.sections)
    assert headings(document) == expected
    assert "TM. ỦY BAN NHÂN DÂN" in all_text(document)
    texts = [p.text for p in document.paragraphs]
    assert texts.count("PHỤ LỤC I") == texts.count("PHỤ LỤC II") == 2  # each plan's
    assert len(appendix_tables) == 8


def test_consolidated_report_of_the_seed_plans():
    issuer = Agency.objects.get(kind="ubnd", locality__code="lam-dong")
    plans = list(Plan.objects.filter(slug__in=["dak-nong", "kon-tum"]))
    report = assemble_consolidated(plans=plans, year=YEAR, issuer=issuer)
    document = read(render_consolidated_docx(report))
    summary = data_tables(document)[0]
    assert len(summary.rows) == len(report.summary) + 2  # header, plans, totals
    assert summary.rows[-1].cells[0].text == "Tổng cộng"
    assert all(line in header_text(document) for line in STATE_LINES)
    for plan in report.plans:
        assert all(h in headings(document) for h in expected_headings(plan.sections))


@pytest.mark.parametrize(
    ("slug", "agency"),
    [("dak-nong", "Liên minh Hợp tác xã tỉnh"), ("kon-tum", "Ban Tuyên giáo Tỉnh ủy")],
)
def test_a_lead_agencys_report_from_its_task_reports(slug, agency):
    plan = Plan.objects.get(slug=slug)
    lead = Agency.objects.get(locality=plan.locality, name=agency)
    report = assemble_agency_report(plan=plan, agency=lead, year=YEAR)
    document = read(render_agency_docx(report))
    texts = [p.text for p in document.paragraphs]
    assert report.recipient.names and f"Kính gửi: {report.recipient.names[0]}." in texts
    assert headings(document) == expected_headings(report.sections)
    (tasks,) = data_tables(document)
    assert [r.cells[0].text for r in tasks.rows[1:]] == [t.code for t in report.tasks]
    party = "ĐẢNG CỘNG SẢN VIỆT NAM" in header_text(document)
    assert party == report.header.is_party
