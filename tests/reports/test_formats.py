"""Reports an official can sign: every seed plan's report read back from its PDF (pypdf),
Word file (python-docx) and workbook (openpyxl); the reporting chain; State and Party
formats; drafts without day, month or number; the outline; agency and consolidated
reports."""

import datetime
import io
import re
import unicodedata

import docx
import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from plans import chain
from plans.models import Agency, Plan
from reports.assembly import assemble_agency_report, assemble_consolidated, assemble_plan_report
from reports.docx import render_plan_docx
from reports.pdf import render_pdf
from reports.services import annual_report_finalise, annual_report_for, report_file
from reports.xlsx import render_plan_xlsx
from tasks.choices import ReportState
from tasks.models import Task, TaskReport
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2025
SLUGS = ["binh-phuoc", "yen-bai", "go-cong-tay", "dak-nong", "kon-tum"]
PARTY_PLANS = {"yen-bai", "go-cong-tay", "kon-tum"}  # Thành ủy, Huyện ủy, Tỉnh ủy
OUTLINE = [
    "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
    "II. KẾT QUẢ THỰC HIỆN",
    "1. Kết quả thực hiện các chỉ tiêu",
    "2. Kết quả thực hiện các nhiệm vụ, giải pháp",
    "III. ĐÁNH GIÁ CHUNG",
    "2. Hạn chế, tồn tại và nguyên nhân",
    f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {YEAR + 1}",
    "V. ĐỀ XUẤT, KIẾN NGHỊ",
    "PHỤ LỤC I",
    "PHỤ LỤC II",
]


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts += [p.text for p in cell.paragraphs]
                for inner in cell.tables:
                    parts += [c.text for r in inner.rows for c in r.cells]
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", " ".join(parts)))


def xlsx_text(data: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    values = [str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value]
    return re.sub(r"\s+", " ", " ".join(values))


def three_formats(plan: Plan, report=None) -> dict[str, str]:
    content = assemble_plan_report(plan=plan, year=YEAR, report=report)
    return {
        "pdf": pdf_text(render_pdf("reports/plan_report.html", {"r": content})),
        "docx": docx_text(render_plan_docx(content)),
        "xlsx": xlsx_text(render_plan_xlsx(content)),
    }


@pytest.mark.parametrize("slug", SLUGS)
def test_every_plan_s_report_is_in_its_issuer_s_format_in_all_three_files(slug):
    plan = Plan.objects.get(slug=slug)
    for kind, text in three_formats(plan).items():
        if slug in PARTY_PLANS:
            assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text, kind
            assert "Độc lập - Tự do - Hạnh phúc" not in text, kind
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text, kind
            assert re.search(r"Số\s+-BC/TU", text), kind  # a hyphen, no colon, no number
            assert "Số:" not in text, kind
            assert "T/M BAN THƯỜNG VỤ" in text or kind == "xlsx", kind
        else:
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, kind
            assert "Độc lập - Tự do - Hạnh phúc" in text, kind
            assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text, kind
            assert re.search(r"Số:\s+/BC-", text), kind
        # a draft for signature: day and month blank, the year written
        assert re.search(rf"ngày\s+tháng\s+năm {YEAR}", text), kind
        assert "DỰ THẢO" in text, kind


@pytest.mark.parametrize("slug", SLUGS)
def test_the_outline_is_in_the_pdf_and_the_word_file(slug):
    formats = three_formats(Plan.objects.get(slug=slug))
    for kind in ("pdf", "docx"):
        positions = [formats[kind].find(title) for title in OUTLINE]
        assert all(p >= 0 for p in positions), (kind, OUTLINE[positions.index(-1)])
        assert positions == sorted(positions), kind


def test_party_headers_name_the_party_organisation_above_the_committee():
    kon_tum = assemble_plan_report(plan=Plan.objects.get(slug="kon-tum"), year=2024)
    assert (kon_tum.header.parent_body, kon_tum.header.issuing_body) == (
        "ĐẢNG BỘ TỈNH KON TUM",
        "TỈNH ỦY",
    )
    assert kon_tum.header.place == "Kon Tum"
    # after the merger both the issuer and the place follow Quảng Ngãi
    merged = assemble_plan_report(plan=Plan.objects.get(slug="kon-tum"), year=YEAR)
    assert merged.header.parent_body == "ĐẢNG BỘ TỈNH QUẢNG NGÃI"
    assert merged.header.place == "Quảng Ngãi"
    district = assemble_plan_report(plan=Plan.objects.get(slug="go-cong-tay"), year=2024)
    assert (district.header.parent_body, district.header.issuing_body) == (
        "ĐẢNG BỘ TỈNH TIỀN GIANG",
        "HUYỆN ỦY GÒ CÔNG TÂY",
    )
    assert district.signature.authority == "T/M BAN THƯỜNG VỤ"
    assert district.recipients[-1] == "Lưu Văn phòng Huyện ủy."


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_no_report_is_addressed_below_its_issuer(slug, year):
    plan = Plan.objects.get(slug=slug)
    report = assemble_plan_report(plan=plan, year=year)
    date = datetime.date(year, 12, 31)
    by_name = {a.name: a for a in Agency.objects.select_related("locality", "parent")}
    for name in report.recipient.names:
        assert not chain.addressee_problem(report.issuer, by_name[name], date), name
    for agency in {a for t in Task.objects.filter(plan=plan) for a in t.lead_agencies}:
        if agency.is_group:
            continue
        own = assemble_agency_report(plan=plan, agency=agency, year=year)
        for name in own.recipient.names:
            assert not chain.addressee_problem(own.agency, by_name[name], date), name


def test_a_people_s_committee_is_not_addressed_to_its_own_department():
    dak_nong = Plan.objects.get(slug="dak-nong")
    ubnd = Agency.objects.get(name="Ủy ban nhân dân tỉnh Lâm Đồng")
    department = Agency.objects.get(name="Sở Tài chính tỉnh Lâm Đồng")
    date = datetime.date(YEAR, 12, 31)
    assert chain.addressee_problem(ubnd, department, date)
    assert not chain.addressee_problem(department, ubnd, date)
    # a plan chain drawn for the department, reissued by the People's Committee: the
    # department drops out rather than be addressed downwards
    dak_nong.report_issuer = ubnd
    dak_nong.save()
    dak_nong.report_addressees.add(department)
    report = assemble_plan_report(plan=dak_nong, year=YEAR)
    assert department.name not in report.recipient.names
    assert report.header.issuing_body == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert report.signature.authority == "TM. ỦY BAN NHÂN DÂN"


def test_a_new_kind_of_body_gets_its_own_defaults():
    national = f.LocalityFactory(level="national", name="Toàn quốc 2", code="tq-2")
    ministry = f.AgencyFactory(
        name="Bộ Nông nghiệp và Môi trường", kind="ministry", locality=national
    )
    plan = f.PlanFactory(issuing_body=ministry, locality=national, level="national")
    report = assemble_plan_report(plan=plan, year=YEAR)
    assert report.header.format == "state"
    assert report.header.code == "BC-BNNMT"
    assert report.header.place == "Hà Nội"
    assert (report.signature.deputy, report.signature.title) == ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")
    assert "BAN THƯỜNG VỤ" not in report.signature.authority


def test_the_final_file_bears_the_day_it_was_finalised_and_its_number(
    plan_staff, settings, tmp_path
):
    from unittest import mock

    settings.MEDIA_ROOT = str(tmp_path)
    plan = Plan.objects.get(slug="kon-tum")
    report = annual_report_for(plan=plan, year=YEAR)
    report.number = "152"
    report.save()
    with mock.patch(
        "reports.services.timezone.localdate", return_value=datetime.date(2025, 12, 10)
    ):
        annual_report_finalise(report=report, user=plan_staff)
    report.refresh_from_db()
    assert report.report_date == datetime.date(2025, 12, 10)
    text = pdf_text(report_file(plan=plan, year=YEAR, report=report, kind="pdf"))
    assert "Quảng Ngãi, ngày 10 tháng 12 năm 2025" in text
    assert "Số 152-BC/TU" in text and "DỰ THẢO" not in text
    word = docx_text(report_file(plan=plan, year=YEAR, report=report, kind="docx"))
    assert "Số 152-BC/TU" in word and "ngày 10 tháng 12 năm 2025" in word


def test_targets_in_the_workbook_are_numbers_beside_their_comparator():
    plan = Plan.objects.get(slug="binh-phuoc")
    content = assemble_plan_report(plan=plan, year=YEAR)
    workbook = openpyxl.load_workbook(io.BytesIO(render_plan_xlsx(content)))
    ws = workbook["Chỉ tiêu"]
    header = next(r for r in ws.iter_rows() if r[0].value == "TT")
    columns = [c.value for c in header]
    planned = columns.index("Giá trị kế hoạch")
    rows = [r for r in ws.iter_rows(min_row=header[0].row + 1) if r[0].value]
    numeric = [r for r in rows if r[planned].value not in (None, "")]
    assert len(numeric) >= len(rows) // 2
    for row in numeric:
        assert row[planned].data_type == "n", row[1].value
    about = next(r for r in numeric if str(r[3].value).startswith("khoảng"))
    assert about[columns.index("So sánh")].value == "khoảng"


def test_the_generated_text_says_the_change_and_the_share_of_the_target(plan_staff):
    from decimal import Decimal as D

    from targets.services import FigureInput, figures_save

    plan = Plan.objects.get(slug="dak-nong")
    for year, count in ((2024, 276), (YEAR, 295)):
        figures_save(
            plan=plan,
            year=year,
            user=plan_staff,
            version=0,
            values={"htx_count": FigureInput(D(count))},
        )
    content = assemble_plan_report(plan=plan, year=YEAR)
    targets = content.sections[1].subsections[0]
    assert targets.field == "targets_text" and targets.generated
    sentence = next(p for p in targets.paragraphs if "hợp tác xã" in p and "295" in p)
    assert "tăng 19 HTX (6,9%) so với năm 2024" in sentence
    assert "đạt 81,9% chỉ tiêu năm 2030" in sentence


def test_staff_keep_their_own_text_per_year_and_an_unchanged_text_follows_the_data(
    client, plan_staff
):
    plan = Plan.objects.get(slug="dak-nong")
    client.force_login(plan_staff)
    url = reverse("reports:report_edit", args=[plan.slug, YEAR])
    form = client.get(url).context["form"]
    generated = form.initial["leadership"]
    assert generated.startswith(f"Năm {YEAR}, thực hiện Kế hoạch số 127/KH-UBND")
    data = {name: form[name].value() or "" for name in form.fields}
    data["reporting_body"] = ""
    data["next_year"] = "Tập trung hoàn thành các nhiệm vụ còn lại."
    assert client.post(url, data).status_code == 302
    stored = annual_report_for(plan=plan, year=YEAR)
    assert stored.next_year == "Tập trung hoàn thành các nhiệm vụ còn lại."
    assert stored.leadership == ""  # left as generated: keeps following the data
    text = pdf_text(report_file(plan=plan, year=YEAR, report=stored, kind="pdf"))
    assert "Tập trung hoàn thành các nhiệm vụ còn lại." in text


def test_an_agency_reports_to_the_coordinating_body_in_its_own_format(client):
    plan = Plan.objects.get(slug="dak-nong")
    agency = Agency.objects.get(name="Sở Kế hoạch và Đầu tư", locality__code="dak-nong")
    content = assemble_agency_report(plan=plan, agency=agency, year=2024)
    assert content.header.issuing_body == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
    assert content.recipient.names == []  # it is the coordinating body: to the issuer?
    liên_minh = Agency.objects.get(name="Liên minh Hợp tác xã tỉnh", locality__code="dak-nong")
    own = assemble_agency_report(plan=plan, agency=liên_minh, year=2024)
    assert own.recipient.names == ["Sở Kế hoạch và Đầu tư"]
    assert own.header.code == "BC-LMHTX"
    assert own.signature.authority == "TM. BAN CHẤP HÀNH"
    user = f.agency_user(liên_minh)
    client.force_login(user)
    url = reverse("reports:agency_report", args=[plan.slug, 2024, liên_minh.pk, "docx"])
    text = docx_text(client.get(url).content)
    assert "Kính gửi: Sở Kế hoạch và Đầu tư" in text
    other = f.agency_user(Agency.objects.get(name="Sở Nội vụ", locality__code="dak-nong"))
    client.force_login(other)
    assert client.get(url).status_code == 403


def test_an_agency_report_is_dated_when_all_its_reports_are_in():
    plan = Plan.objects.get(slug="dak-nong")
    agency = Agency.objects.get(name="Liên minh Hợp tác xã tỉnh", locality__code="dak-nong")
    tasks = [t for t in Task.objects.filter(plan=plan) if agency in t.lead_agencies]
    assert assemble_agency_report(plan=plan, agency=agency, year=YEAR).header.is_draft
    sent = datetime.datetime(2025, 12, 3, 10, 0, tzinfo=datetime.UTC)
    for task in tasks:
        TaskReport.objects.create(
            task=task,
            year=YEAR,
            agency=agency,
            role="lead",
            done="Đã thực hiện.",
            state=ReportState.SUBMITTED,
            submitted_at=sent,
        )
    content = assemble_agency_report(plan=plan, agency=agency, year=YEAR)
    assert content.submitted == content.expected
    assert content.header.date == datetime.date(2025, 12, 3)


def test_a_consolidated_report_counts_each_place_once():
    from decimal import Decimal as D

    from plans.places import plan_place
    from reports.assembly import SUMMARY_INDICATORS
    from targets.models import Figure, Indicator

    plans = list(Plan.objects.order_by("slug"))
    government = Agency.objects.get(name="Chính phủ")
    # a second plan of Đắk Nông's place: it reads the same figure (figures belong to places)
    second = f.PlanFactory(locality=Plan.objects.get(slug="dak-nong").locality, slug="dn-2")
    htx = Indicator.objects.get(code="htx_count")
    for plan in [*plans, second]:
        f.TargetFactory(plan=plan, indicator=htx)
        place = plan_place(plan, YEAR)
        Figure.objects.get_or_create(
            locality=place.locality,
            area=place.area,
            indicator=htx,
            year=YEAR,
            defaults={"value": D(100)},
        )
    report = assemble_consolidated(plans=[*plans, second], year=YEAR, issuer=government)
    column = [code for code, _label in SUMMARY_INDICATORS].index("htx_count")
    # Yên Bái city lies in Yên Bái province, which has no plan of its own here: counted;
    # the second Đắk Nông plan: not counted again.
    counted = [row.plan for row in report.summary if row.counted]
    assert len(counted) == 5
    assert report.totals[column] == D(500)
    assert report.header.issuing_body == "CHÍNH PHỦ" and report.header.place == "Hà Nội"


def test_the_consolidated_report_of_a_province_covers_its_places():
    from reports.assembly import consolidated_plans

    lam_dong = Agency.objects.get(name="Ủy ban nhân dân tỉnh Lâm Đồng")
    plans = consolidated_plans(issuer=lam_dong, year=YEAR)
    assert [p.slug for p in plans] == ["dak-nong"]
    assert consolidated_plans(issuer=lam_dong, year=2024) == []  # before the merger


def test_an_agency_downloads_its_own_reports_from_my_tasks(client):
    agency = Agency.objects.get(name="Liên minh Hợp tác xã tỉnh", locality__code="dak-nong")
    client.force_login(f.agency_user(agency))
    html = client.get(reverse("tasks:my_tasks")).content.decode()
    for kind in ("docx", "pdf"):
        url = reverse("reports:agency_report", args=["dak-nong", YEAR, agency.pk, kind])
        assert url in html
    assert client.get(url).status_code == 200


def test_the_admin_refuses_an_addressee_below_the_issuer():
    from django.forms.models import model_to_dict

    from portal.admin import PlanAdminForm

    plan = Plan.objects.get(slug="binh-phuoc")  # issued by the UBND tỉnh
    department = Agency.objects.get(name="Sở Kế hoạch và Đầu tư", locality__code="binh-phuoc")
    data = {k: v for k, v in model_to_dict(plan).items() if v is not None}
    data["implements"] = [d.pk for d in plan.implements.all()]
    data["report_addressees"] = [department.pk]
    form = PlanAdminForm(data=data, instance=plan)
    assert not form.is_valid()
    assert "report_addressees" in form.errors
    data["report_addressees"] = [a.pk for a in plan.report_addressees.all()]
    assert PlanAdminForm(data=data, instance=plan).is_valid()


def test_an_appendix_says_which_report_it_belongs_to_in_the_pdf_and_the_word_file():
    formats = three_formats(Plan.objects.get(slug="binh-phuoc"))
    for kind in ("pdf", "docx"):
        assert re.search(
            rf"\(Kèm theo Báo cáo số\s+/BC-UBND ngày\s+/\s+/{YEAR} của Ủy ban nhân dân tỉnh",
            formats[kind],
        ), kind


def test_a_group_of_bodies_has_no_report_of_its_own(client, plan_staff):
    """ "Các Sở, Ban, ngành" is listed as owing reports, but no one can issue a report for
    a group: no download link, and its URL is 404."""
    group = Agency.objects.get(name="Các Sở, Ban, ngành", locality__code="dak-nong")
    client.force_login(plan_staff)
    html = client.get(reverse("reports:report_edit", args=["dak-nong", YEAR])).content.decode()
    url = reverse("reports:agency_report", args=["dak-nong", YEAR, group.pk, "pdf"])
    assert "Các Sở, Ban, ngành" in html and url not in html
    assert client.get(url).status_code == 404
