"""Plans at every level: a national Party resolution (Nghị quyết 20-NQ/TW) and a commune's
plan get their kind and level in every label, and nothing on their pages, reports or
permissions assumes a province."""

import datetime
import re

import pytest
from django.urls import reverse

from plans.choices import AgencyKind, LocalityLevel, PlanKind
from plans.models import Agency, Locality
from reports.assembly import assemble_plan_report
from reports.docx import render_plan_docx
from reports.pdf import render_pdf
from tests import factories as f
from tests.reports.test_formats import docx_text, pdf_text

pytestmark = pytest.mark.django_db
YEAR = 2025
PROVINCE_WORD = re.compile(r"\btỉnh\b", re.IGNORECASE)


@pytest.fixture
def national_plan():
    plan = f.PlanFactory(
        slug="toan-quoc-20-nq-tw",
        kind=PlanKind.RESOLUTION,
        number="20-NQ/TW",
        title="Về tiếp tục đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể trong "
        "giai đoạn mới",
        locality=Locality.objects.get(code="toan-quoc"),
        level=LocalityLevel.NATIONAL,
        issuing_body=Agency.objects.get(name="Ban Chấp hành Trung ương"),
        issued_on=datetime.date(2022, 6, 16),
        start_year=2022,
        report_due_day=None,
        report_due_month=None,
    )
    f.TaskFactory(plan=plan, leads=[Agency.objects.get(name="Bộ Tài chính")])
    return plan


@pytest.fixture
def commune_plan():
    commune = Locality.objects.create(
        code="xa-tan-lap",
        name="Tân Lập",
        level=LocalityLevel.COMMUNE,
        parent=Locality.objects.get(code="dong-nai"),
    )
    committee = Agency.objects.create(
        name="Ủy ban nhân dân xã Tân Lập", kind=AgencyKind.PEOPLES_COMMITTEE, locality=commune
    )
    plan = f.PlanFactory(
        slug="xa-tan-lap-12-kh-ubnd",
        number="12/KH-UBND",
        locality=commune,
        level=LocalityLevel.COMMUNE,
        issuing_body=committee,
        issued_on=datetime.date(2025, 8, 1),
        start_year=2025,
    )
    f.TaskFactory(plan=plan, leads=[committee])
    return plan


def main_text(response) -> str:
    """The page's own text: choosers (which list the bodies of every place) left out."""
    page = response.content.decode()
    start = page.find('<main id="main"')
    main = page[start : page.index("</main>")] if start >= 0 else page  # the preview: all
    main = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", main)
    main = re.sub(r"(?s)<select\b.*?</select>", " ", main)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_national_resolution_is_named_by_its_kind_and_level(client, national_plan):
    assert national_plan.heading == "Nghị quyết số 20-NQ/TW"
    assert national_plan.place_label == "Toàn quốc"
    assert str(national_plan.locality) == "Toàn quốc"
    home = main_text(client.get(reverse("home")))
    assert "Toàn quốc" in home and "Tỉnh Toàn quốc" not in home
    page = main_text(client.get(national_plan.get_absolute_url()))
    assert "Nghị quyết số 20-NQ/TW" in page and "Kế hoạch số" not in page
    assert not PROVINCE_WORD.search(page), page


def test_every_kind_has_its_document_name():
    for kind in PlanKind:
        plan = f.PlanFactory.build(kind=kind, number="1")
        assert plan.heading.endswith(" số 1") and "(" not in plan.heading


def test_the_national_resolution_s_pages_and_report_never_say_province(client, national_plan):
    staff = f.plan_staff(national_plan, agency=None)
    client.force_login(staff)
    pages = [
        national_plan.get_absolute_url(),
        reverse("reports:report_edit", args=[national_plan.slug, YEAR]),
        reverse("reports:report_preview", args=[national_plan.slug, YEAR]),
        reverse("tasks:completeness", args=[national_plan.slug, YEAR]),
        reverse("tasks:task_manage", args=[national_plan.slug]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = main_text(response)
        assert not PROVINCE_WORD.search(text), (url, PROVINCE_WORD.search(text))
    for fmt in ("pdf", "docx"):
        response = f.download(
            client, reverse("reports:report_download", args=[national_plan.slug, YEAR, fmt])
        )
        assert response.status_code == 200, fmt


def test_a_central_party_resolution_s_report_has_the_party_header(national_plan):
    report = assemble_plan_report(plan=national_plan, year=YEAR)
    assert report.header.format == "party"
    assert (report.header.parent_body, report.header.issuing_body) == (
        "",
        "BAN CHẤP HÀNH TRUNG ƯƠNG",
    )
    assert report.header.place == "Hà Nội"
    assert report.signature.authority == "T/M BAN CHẤP HÀNH TRUNG ƯƠNG"
    assert report.recipients[-1] == "Lưu Văn phòng Trung ương Đảng."
    for kind, text in {
        "pdf": pdf_text(render_pdf("reports/plan_report.html", {"r": report})),
        "docx": docx_text(render_plan_docx(report)),
    }.items():
        assert re.search(r"BAN CHẤP HÀNH TRUNG ƯƠNG \*", text), kind
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text, kind
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" not in text, kind
        assert re.search(r"Số\s+-BC/TW", text), kind
        assert "Nghị quyết số 20-NQ/TW" in text, kind
        assert not PROVINCE_WORD.search(text), (kind, PROVINCE_WORD.search(text))


def test_a_commune_plan_is_the_commune_s_own(client, commune_plan):
    assert commune_plan.place_label == "Xã Tân Lập"
    page = main_text(client.get(commune_plan.get_absolute_url()))
    assert "Xã Tân Lập" in page
    assert not PROVINCE_WORD.search(page), page
    report = assemble_plan_report(plan=commune_plan, year=YEAR)
    assert report.header.format == "state"
    assert report.header.issuing_body == "ỦY BAN NHÂN DÂN XÃ TÂN LẬP"
    assert report.header.place == "Tân Lập"
    assert report.signature.authority == "TM. ỦY BAN NHÂN DÂN"
    text = pdf_text(render_pdf("reports/plan_report.html", {"r": report}))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert not PROVINCE_WORD.search(text), PROVINCE_WORD.search(text)


def test_the_commune_plan_s_staff_edit_it_and_nobody_else(client, commune_plan, dak_nong):
    staff = f.plan_staff(commune_plan)
    client.force_login(staff)
    assert client.get(reverse("plan_edit", args=[commune_plan.slug])).status_code == 200
    assert client.get(reverse("plan_edit", args=["dak-nong"])).status_code == 403
    assert (
        client.get(reverse("reports:report_edit", args=[commune_plan.slug, YEAR])).status_code
        == 200
    )
