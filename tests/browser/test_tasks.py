"""Đắk Nông's Sở KH&ĐT reports on a task in a real browser; the plan's staff return it."""

import os
import re

import pytest
from django.utils import timezone

from plans.models import Agency, Plan
from tasks.models import TaskReport
from tests.browser.test_figures import login, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser
YEAR = timezone.localdate().year


def test_agency_reports_with_evidence_and_staff_return_it(browser, portal, tmp_path):
    dak_nong = Plan.objects.get(slug="dak-nong")
    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    alliance = Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh")
    make_user("skhdt-b", "agency", agency=skhdt, first_name="Chuyên viên Sở KH&ĐT")
    make_user("lmhtx-b", "agency", agency=alliance)
    make_user("canbo-b", "plan_staff", plans=[dak_nong], first_name="Cán bộ theo dõi")
    evidence = tmp_path / "ke-hoach-chuyen-doi-so.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

    agency = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = agency.new_page()
    login(page, portal, "skhdt-b")
    assert page.locator("h1").inner_text() == "Nhiệm vụ của tôi"
    codes = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert sorted(codes) == ["II.2", "II.3", "II.4"]
    shot(page, "my-tasks")

    page.locator("tr", has_text="Đẩy mạnh chuyển đổi số").get_by_role(
        "link", name=f"Báo cáo năm {YEAR}"
    ).click()
    page.get_by_role("button", name="Gửi báo cáo").click()  # empty submission
    assert "Hãy nêu kết quả thực hiện" in page.content()
    assert not TaskReport.objects.exists()
    page.get_by_label("Tiến độ").select_option("completed")
    page.get_by_label("Kết quả thực hiện").fill("UBND tỉnh đã ban hành kế hoạch chuyển đổi số HTX.")
    page.get_by_label("Sản phẩm đã hoàn thành").fill("Kế hoạch số 45/KH-UBND ngày 02/4/2025")
    page.get_by_label("Thêm tệp minh chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert "Báo cáo của đơn vị đã được gửi" in page.locator(".messages").inner_text()
    report = TaskReport.objects.get()
    assert report.state == "submitted" and report.evidence.count() == 1
    shot(page, "report-submitted")

    staff = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    other = staff.new_page()
    login(other, portal, "canbo-b")
    other.goto(portal.url + f"/nhiem-vu/ke-hoach/dak-nong/tinh-hinh-bao-cao/{YEAR}/")
    # The department's own row (a group's row may name it among its members yet to report).
    row = other.locator("tbody tr").filter(
        has=other.locator("th", has_text=re.compile(r"^Sở Kế hoạch và Đầu tư"))
    )
    assert "1" in row.locator("td").nth(1).inner_text()  # one report submitted
    shot(other, "completeness")
    other.goto(portal.url + report.task.get_absolute_url())
    other.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Đề nghị bổ sung kinh phí thực hiện.")
    other.get_by_role("button", name="Trả lại để bổ sung").click()
    assert "Đã ghi nhận ý kiến xử lý" in other.locator(".messages").inner_text()
    report.refresh_from_db()
    assert report.state == "returned"

    page.reload()
    assert "Đề nghị bổ sung kinh phí thực hiện." in page.content()
    assert page.get_by_label("Kết quả thực hiện").is_enabled()

    intruder = browser.new_context(locale="vi-VN")
    third = intruder.new_page()
    login(third, portal, "lmhtx-b")
    response = third.goto(portal.url + f"/nhiem-vu/{report.task_id}/bao-cao/{YEAR}/")
    assert response.status == 403
    for context in (agency, staff, intruder):
        context.close()
    assert os.path.exists(evidence)
