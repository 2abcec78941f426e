"""Annual reports: content read back from the PDF (pypdf) and the workbook (openpyxl),
finalising and reopening, downloads and permissions, the batch command."""

import hashlib
import io
import re
import unicodedata
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from plans.models import Plan
from reports.assembly import assemble_plan_report
from reports.pdf import FetchRefused, StaticOnlyFetcher, render_pdf
from targets.models import FigureSheet
from targets.services import FigureInput, FiguresLocked, figures_save
from tasks.models import Task
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2025


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def dak_nong_figures(dak_nong, plan_staff):
    figures_save(
        plan=dak_nong,
        year=YEAR,
        user=plan_staff,
        version=0,
        values={
            "htx_count": FigureInput(D(320)),
            "htx_members": FigureInput(D(14500)),
            "kttt_good_fair": FigureInput(D(130)),
            "kttt_rated": FigureInput(D(200)),
        },
    )
    return dak_nong


def build(tmp_path, plan, fmt, year=YEAR, issuer=None):
    output = tmp_path / f"{plan}.{fmt}"
    call_command("build_report", plan=plan, year=year, format=fmt, output=output, issuer=issuer)
    return output.read_bytes()


def national_body():
    from plans.models import Agency

    return Agency.objects.get(name="Chính phủ").pk


def test_plan_pdf_has_the_decree_30_layout_and_every_target_and_task(tmp_path, dak_nong_figures):
    text = pdf_text(build(tmp_path, "dak-nong", "pdf"))
    for words in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Số:",
        "/BC-STC",  # seed 003 IV.2: the Sở compiles the report ...
        "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng",  # ... for the UBND tỉnh, as merged
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        "SỞ TÀI CHÍNH",
        "Kế hoạch số 127/KH-UBND",
        "15/12/2024",
        "14/12/2025",
        "Nơi nhận:",
        "Lưu: VT",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    ]:
        assert words in text, words
    assert "Kính gửi: Sở Tài chính" not in text  # never to a body below the issuer
    assert re.search(r"Lâm Đồng, ngày\s+tháng\s+năm 2025", text)  # a draft: day, month blank
    flat = squash(text)
    for target in dak_nong_figures.targets.all():
        assert squash(target.text) in flat, target.text
    for task in Task.objects.filter(plan=dak_nong_figures):
        assert squash(task.description[:50]) in flat, task.code
    assert "14.500" in text and "65%" in text  # the figure and the computed share
    assert unicodedata.is_normalized("NFC", text)


def test_issuer_and_recipient_follow_the_2025_mergers_and_say_so(dak_nong):
    report = assemble_plan_report(plan=dak_nong, year=2026)
    assert report.recipient.names == ["Ủy ban nhân dân tỉnh Lâm Đồng"]
    assert report.issuer.name == "Sở Tài chính tỉnh Lâm Đồng"
    assert report.header.place == "Lâm Đồng"  # place and issuer follow the same body
    assert "Sở Tài chính (từ ngày 01/3/2025)" in report.recipient.note
    assert "Sở Tài chính tỉnh Lâm Đồng (từ ngày 01/7/2025)" in report.recipient.note
    earlier = assemble_plan_report(plan=dak_nong, year=2024)
    assert earlier.recipient.names == ["Ủy ban nhân dân tỉnh Đắk Nông"]
    assert earlier.issuer.name == "Sở Kế hoạch và Đầu tư" and not earlier.recipient.note
    assert earlier.header.place == "Đắk Nông"


def test_plan_workbook_has_numbers_and_print_setup(tmp_path, dak_nong_figures):
    wb = openpyxl.load_workbook(io.BytesIO(build(tmp_path, "dak-nong", "xlsx")))
    assert wb.sheetnames == ["Chỉ tiêu", "Thống kê", "Nhiệm vụ", "Báo cáo đơn vị"]
    ws = wb["Chỉ tiêu"]
    header = next(r for r in ws.iter_rows() if r[0].value == "TT")[0].row
    rows = {r[1].value: r for r in ws.iter_rows(min_row=header + 1) if r[1].value}
    htx = rows["360 hợp tác xã"]
    assert htx[3].value == "360" and htx[5].value == 360  # as written, and as a number
    assert htx[5].data_type == "n" and htx[5].number_format.endswith("#,##0")  # no decimals
    assert htx[7].value == 320 and isinstance(htx[7].value, (int, float))
    assert htx[7].number_format.endswith("#,##0")  # 14.000 with a Vietnamese reader
    assert htx[8].value == 88.9 and htx[8].number_format.endswith("#,##0.0")  # 88,9 like the PDF
    share = rows["Bảo đảm trên 60% tổ chức kinh tế tập thể đạt loại tốt, khá"]
    assert share[4].value == "trên" and share[5].value == 60
    assert share[7].value == 65 and share[7].number_format.endswith("#,##0.0")  # a share: 1 dec.
    assert rows["với 17.000 thành viên"][7].value == 14500
    numbers = [c for r in rows.values() for c in (r[5], r[7], r[8]) if c.value not in (None, "")]
    assert numbers and all(c.data_type == "n" for c in numbers), "figures are numeric cells"
    assert ws.freeze_panes == f"A{header + 1}"
    assert ws.print_title_rows == f"${header}:${header}"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    tasks = wb["Nhiệm vụ"]
    assert tasks.page_setup.orientation == "landscape"
    codes = [
        r[0].value
        for r in tasks.iter_rows()
        if r[0].value and re.match(r"^[IV]+\.\d", str(r[0].value))
    ]
    assert len(codes) == 26


def test_text_that_looks_like_a_formula_stays_text(tmp_path, dak_nong, plan_staff):
    from reports.services import annual_report_for

    report = annual_report_for(plan=dak_nong, year=YEAR)
    report.extra_recipients = '=HYPERLINK("http://evil")'
    report.save()
    task = Task.objects.get(plan=dak_nong, section__number="I", number="1")
    task.description = "=1+1 nhiệm vụ"
    task.save()
    wb = openpyxl.load_workbook(io.BytesIO(build(tmp_path, "dak-nong", "xlsx")))
    cells = [c for row in wb["Nhiệm vụ"].iter_rows() for c in row if c.value == "=1+1 nhiệm vụ"]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("slug", ["binh-phuoc", "yen-bai", "go-cong-tay", "dak-nong", "kon-tum"])
def test_every_plan_builds_in_both_formats(tmp_path, slug):
    plan = Plan.objects.get(slug=slug)
    text = pdf_text(build(tmp_path, slug, "pdf"))
    assert plan.number in text
    assert openpyxl.load_workbook(io.BytesIO(build(tmp_path, slug, "xlsx")))["Chỉ tiêu"]


def test_consolidated_report(tmp_path, dak_nong_figures):
    text = pdf_text(build(tmp_path, "all", "pdf", issuer=national_body()))
    assert "BÁO CÁO" in text and "CHÍNH PHỦ" in text and "Hà Nội, ngày" in text
    assert "CỔNG THEO DÕI" not in text and "Số: /Số:" not in text
    for number in ["147/KH-UBND", "209-KH/TU", "26-CTr/TU", "127/KH-UBND", "41-CTr/TU"]:
        assert number in text
    wb = openpyxl.load_workbook(io.BytesIO(build(tmp_path, "all", "xlsx", issuer=national_body())))
    summary = wb["Tổng hợp"]
    row = next(r for r in summary.iter_rows() if r[0].value and "127/KH-UBND" in r[0].value)
    assert row[1].value == 320  # HTX in 2025, as a number
    assert row[1].data_type == "n" and row[1].number_format.endswith("#,##0")
    assert row[3].value == 14500 and row[3].data_type == "n"  # members
    assert row[2].value == "360 (2030)"
    assert len(wb.sheetnames) == 1 + 5 * 4


@pytest.mark.parametrize(("plan", "year"), [("nope", 2025), ("dak-nong", 2010), ("all", 1999)])
def test_command_refuses_unknown_plan_or_year_with_status_2(tmp_path, plan, year):
    with pytest.raises(CommandError) as info:
        call_command("build_report", plan=plan, year=year, format="pdf", output=tmp_path / "x.pdf")
    assert info.value.returncode == 2


def test_url_fetcher_serves_only_static_files():
    fetcher = StaticOnlyFetcher()
    assert b"@page" in fetcher.fetch("kttt-static:css/report.css").read()
    for url in [
        "http://example.com/x.css",
        "file:///etc/passwd",
        "kttt-static:../settings.py",
        "kttt-static:css/nope.css",
    ]:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


# --- the portal pages


def report_url(name, *args):
    return reverse(f"reports:{name}", args=args)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        (
            "report_index",
            [],
            {"anonymous": 302, "agency": 403, "plan_staff": 200, "leadership": 200, "admin": 200},
        ),
        (
            "report_preview",
            ["dak-nong", YEAR],
            {"anonymous": 302, "agency": 403, "plan_staff": 200, "leadership": 200, "admin": 200},
        ),
        (  # 202: the PDF is being built (the progress page); tests below download it
            "report_download",
            ["dak-nong", YEAR, "pdf"],
            {"anonymous": 302, "agency": 403, "plan_staff": 202, "leadership": 202, "admin": 202},
        ),
        (
            "report_edit",
            ["dak-nong", YEAR],
            {"anonymous": 302, "agency": 403, "plan_staff": 200, "leadership": 403, "admin": 200},
        ),
        (
            "consolidated",
            [YEAR, "xlsx"],
            {"anonymous": 302, "agency": 403, "plan_staff": 403, "leadership": 400, "admin": 400},
        ),
        (
            "report_reopen",
            ["dak-nong", YEAR],
            {"anonymous": 302, "agency": 403, "plan_staff": 403, "leadership": 403, "admin": 200},
        ),
    ],
)
def test_report_page_permissions(any_role_client, name, args, expected):
    response = any_role_client.get(report_url(name, *args))
    assert response.status_code == expected[any_role_client.role]


def test_unknown_year_or_format_is_404(client, leader):
    client.force_login(leader)
    assert client.get(report_url("report_preview", "dak-nong", 2019)).status_code == 404
    assert client.get(report_url("report_download", "dak-nong", YEAR, "odt")).status_code == 404


def test_finalise_stores_the_files_locks_the_year_and_reopen_unlocks(
    client, plan_staff, admin_user, dak_nong_figures
):
    client.force_login(plan_staff)
    url = report_url("report_edit", "dak-nong", YEAR)
    client.post(
        url,
        {
            "difficulties": "Thiếu vốn.\nThiếu cán bộ.",
            "proposals": "Bổ sung biên chế.",
            "signer_name": "Nguyễn Văn A",
            "finalise": "1",
            "confirm": "1",
        },
    )
    report = dak_nong_figures.annual_reports.get(year=YEAR)
    assert report.is_final and len(report.pdf_sha256) == 64
    first = client.get(report_url("report_download", "dak-nong", YEAR, "pdf")).content
    second = client.get(report_url("report_download", "dak-nong", YEAR, "pdf")).content
    assert first == second and hashlib.sha256(first).hexdigest() == report.pdf_sha256
    xlsx = client.get(report_url("report_download", "dak-nong", YEAR, "xlsx")).content
    assert hashlib.sha256(xlsx).hexdigest() == report.xlsx_sha256
    text = pdf_text(first)
    assert "Thiếu vốn." in text and "Bổ sung biên chế." in text and "Nguyễn Văn A" in text
    assert "DỰ THẢO" not in text
    with pytest.raises(FiguresLocked):
        figures_save(
            plan=dak_nong_figures,
            year=YEAR,
            user=plan_staff,
            version=99,
            values={"htx_count": FigureInput(D(1))},
        )
    # the agencies' task reports of the year are locked too
    from django.core.exceptions import ValidationError

    from tasks.services import task_report_get_or_new, task_report_save

    skhdt = Task.objects.get(plan=dak_nong_figures, section__number="II", number="3")
    agency = skhdt.lead_agencies[0]
    draft = task_report_get_or_new(task=skhdt, year=YEAR, agency=agency)
    draft.done = "x"
    with pytest.raises(ValidationError):
        task_report_save(report=draft, user=plan_staff, version=0)
    # staff cannot change a final report; an admin reopens it with a reason
    client.post(url, {"difficulties": "khác", "save": "1"})
    report.refresh_from_db()
    assert report.difficulties.startswith("Thiếu vốn")
    client.force_login(admin_user)
    client.post(report_url("report_reopen", "dak-nong", YEAR), {"reason": "Sửa số liệu chính thức"})
    report.refresh_from_db()
    assert not report.is_final
    assert report.history.first().history_change_reason == "Sửa số liệu chính thức"
    figures_save(
        plan=dak_nong_figures,
        year=YEAR,
        user=plan_staff,
        version=FigureSheet.objects.get(**f.place_where(dak_nong_figures, YEAR)).version,
        values={"htx_count": FigureInput(D(321))},
    )


def test_draft_pdf_is_marked_as_draft(client, leader):
    client.force_login(leader)
    response = f.download(client, report_url("report_download", "dak-nong", YEAR, "pdf"))
    assert "DỰ THẢO" in pdf_text(response.content)


def test_preview_is_a_web_page_with_the_same_content(client, leader):
    client.force_login(leader)
    html = client.get(report_url("report_preview", "dak-nong", YEAR)).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "/static/css/report.css" in html


def test_consolidated_form_works_without_javascript(client, leader):
    client.force_login(leader)
    response = client.get(
        reverse("reports:consolidated_form"),
        {
            "year": "2025",
            "format": "xlsx",
            "issuer": national_body(),
            "plan": ["dak-nong", "kon-tum"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/bao-cao/tong-hop/2025.xlsx?issuer={national_body()}&plan=dak-nong&plan=kon-tum"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(f.download(client, response["Location"]).content))
    assert len(workbook.sheetnames) == 1 + 2 * 4


# --- which task reports count (tasks.choices.COUNTED_STATES)


def lead_report(task, state, done):
    from tasks.choices import AssignmentRole
    from tasks.models import TaskReport

    return TaskReport.objects.create(
        task=task,
        year=YEAR,
        agency=task.lead_agencies[0],
        role=AssignmentRole.LEAD,
        done=done,
        state=state,
    )


def task_row(report, task):
    return next(row for s in report.task_sections for row in s.rows if row.code == task.code)


def test_only_submitted_or_accepted_task_reports_appear_in_the_official_report(dak_nong):
    """A returned report was sent back for revision: like a draft, the official report does
    not quote it, and completeness counts it as missing (COUNTED_STATES)."""
    from tasks.choices import ReportState

    tasks = list(Task.objects.filter(plan=dak_nong).order_by("section__order", "order")[:4])
    states = [ReportState.DRAFT, ReportState.RETURNED, ReportState.SUBMITTED, ReportState.ACCEPTED]
    for task, state in zip(tasks, states, strict=True):
        lead_report(task, state, f"Báo cáo {state}")
    report = assemble_plan_report(plan=dak_nong, year=YEAR)
    assert task_row(report, tasks[0]).result == "Chưa có báo cáo"
    assert task_row(report, tasks[1]).result == "Chưa có báo cáo"
    assert "Báo cáo submitted" in task_row(report, tasks[2]).result
    assert "Báo cáo accepted" in task_row(report, tasks[3]).result
    text = pdf_text(render_pdf("reports/plan_report.html", {"r": report}))
    assert "Báo cáo returned" not in text and "Báo cáo draft" not in text
    assert "Báo cáo submitted" in text


# --- the report tree keeps values typed; the renderers format them


def test_the_report_tree_keeps_numbers_and_dates_typed(dak_nong_figures):
    """Figures and shares stay Decimal, the document date and the data period dates; the
    PDF template and the XLSX writer format them (14.500, 88,9, 15/12/2024)."""
    import datetime

    from reports.services import annual_report_for

    stored = annual_report_for(plan=dak_nong_figures, year=YEAR)
    stored.status, stored.report_date = "final", datetime.date(2025, 12, 5)
    report = assemble_plan_report(
        plan=dak_nong_figures, year=YEAR, report=stored, today=datetime.date(2025, 12, 5)
    )
    htx = next(t for t in report.targets if t.text == "360 hợp tác xã")
    assert htx.value == D(320) and isinstance(htx.value, D)
    assert isinstance(htx.share, D) and htx.unit == ""
    assert htx.planned == D(360) and isinstance(htx.planned, D)
    assert report.header.date == datetime.date(2025, 12, 5)  # a final report: its day
    assert report.header.place == "Lâm Đồng"
    assert (report.period.start, report.period.end) == (
        datetime.date(2024, 12, 15),
        datetime.date(2025, 12, 14),
    )
    assert all(isinstance(c.count, int) for c in report.timeliness_counts)
    text = pdf_text(render_pdf("reports/plan_report.html", {"r": report}))
    assert "Lâm Đồng, ngày 05 tháng 12 năm 2025" in text
    assert "88,9%" in text and "14.500" in text


def test_consolidated_header_is_the_issuing_body_s_and_writes_the_number_once(dak_nong):
    """The consolidated report is issued by a real body (it read "CỔNG THEO DÕI KINH TẾ TẬP
    THỂ", "Số: /Số: /BC-TH", "Việt Nam" before)."""
    from plans.models import Agency
    from reports.assembly import assemble_consolidated

    issuer = Agency.objects.get(name="Ủy ban nhân dân tỉnh Lâm Đồng")
    report = assemble_consolidated(plans=[dak_nong], year=YEAR, issuer=issuer)
    assert report.header.code == "BC-UBND" and report.header.number == ""
    text = pdf_text(render_pdf("reports/consolidated_report.html", {"c": report}))
    assert "/BC-UBND" in text and text.count("Số:") == 1
    assert "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in text and "Lâm Đồng, ngày" in text
    assert "Việt Nam, ngày" not in text and "CỔNG THEO DÕI" not in text


def test_a_cycle_in_hand_edited_successors_does_not_hang_the_recipient_note(dak_nong):
    """The note follows plans.models' one successor chain, which stops at a cycle (the copy
    in the assembly looped for ever)."""
    import datetime

    named = dak_nong.report_issuer
    other = named.successor
    assert other is not None
    other.successor, other.successor_from = named, datetime.date(2025, 8, 1)
    other.save()
    report = assemble_plan_report(plan=dak_nong, year=2026)
    assert report.recipient.note.count("(từ ngày") >= 2


def test_document_dates_and_excel_number_formats():
    import datetime

    from common.formatting import vn_date, vn_number_format, vn_place_date

    assert vn_place_date("Đắk Nông", datetime.date(2025, 12, 5)) == (
        "Đắk Nông, ngày 05 tháng 12 năm 2025"
    )
    assert (
        vn_place_date("Kon Tum", datetime.date(2022, 2, 7)) == "Kon Tum, ngày 07 tháng 02 năm 2022"
    )
    assert vn_date(datetime.date(2023, 3, 5)) == "05/3/2023"
    assert vn_number_format(D(14000)) == "[$-42A]#,##0"
    assert vn_number_format(D("12.50")) == "[$-42A]#,##0.0"
    assert vn_number_format(88.25) == "[$-42A]#,##0.00"
    assert vn_number_format(7) == "[$-42A]#,##0"
