"""Nghị quyết 20-NQ/TW entered as a national plan through the portal's own pages, as a
new plan-staff user would: the document (a mistake first), its 2030 targets, and its 2025
report (preview, PDF and Word); nothing on the way says "Tỉnh".

The plan's tasks are not entered here: a new plan's first section cannot yet be created
outside the admin (issue 13, item 2)."""

import io
import re
import unicodedata

import docx
import pytest
from pypdf import PdfReader

from tests.browser.test_figures import login, shot
from tests.conftest import make_user
from tests.factories import run_report_worker

pytestmark = pytest.mark.browser
YEAR = 2025
PROVINCE_WORD = re.compile(r"\btỉnh\b", re.IGNORECASE)
# Nghị quyết 20-NQ/TW, II.2 (targets to 2030): indicator, "khoảng" value, as written.
TARGETS_2030 = [
    ("Số tổ hợp tác", "140.000", "Có khoảng 140.000 tổ hợp tác"),
    ("Số thành viên tổ hợp tác", "2.000.000", "với 2 triệu thành viên"),
    ("Số hợp tác xã", "45.000", "Có khoảng 45.000 hợp tác xã"),
    ("Số thành viên hợp tác xã", "8.000.000", "với 8 triệu thành viên"),
    ("Số liên hiệp hợp tác xã", "340", "Có khoảng 340 liên hiệp hợp tác xã"),
    (
        "Số hợp tác xã thành viên của liên hiệp hợp tác xã",
        "1.700",
        "với 1.700 hợp tác xã thành viên",
    ),
]


# Nghị quyết 20-NQ/TW, IV (tổ chức thực hiện): two tasks, each with its lead body.
TASKS = [
    ("Tổng kết, đánh giá việc thi hành Luật Hợp tác xã năm 2023", "Bộ Tài chính", "Năm 2025"),
    ("Ban hành chính sách hỗ trợ phát triển kinh tế tập thể", "Chính phủ", "Hằng năm"),
]


def own_text(page) -> str:
    """The page's main text without its choosers (which list every place's bodies)."""
    return page.evaluate(
        """() => { const main = document.querySelector('main').cloneNode(true);
                   main.querySelectorAll('select').forEach(s => s.remove());
                   return main.innerText; }"""
    )


def assert_no_province(page, where):
    text = own_text(page)
    assert not PROVINCE_WORD.search(text), (where, PROVINCE_WORD.search(text))


def pdf_text(data: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def download(page, link_name) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).first.click()
    return open(info.value.path(), "rb").read()


def download_built(page, link_name) -> bytes:
    """A file the background worker builds: the link opens the progress page; once the
    worker has run, "Kiểm tra lại" (or the page's own reload) downloads it. Back to the
    page of the link afterwards."""
    back = page.url
    page.get_by_role("link", name=link_name, exact=True).first.click()
    assert "Đang tạo báo cáo" in page.locator("main").inner_text()
    run_report_worker()
    with page.expect_download() as info:
        page.get_by_role("link", name="Kiểm tra lại").click()
    page.goto(back)
    return open(info.value.path(), "rb").read()


def test_a_national_resolution_entered_in_the_portal_reports_for_2025(browser, portal):
    from plans.models import Plan

    make_user("canbo-tw", "plan_staff", first_name="Chuyên viên Văn phòng Trung ương")
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page, portal, "canbo-tw")

    # The document, with the level wrong first.
    page.goto(portal.url + "/")
    page.get_by_role("link", name="Thêm kế hoạch").click()
    page.get_by_label("Loại văn bản").select_option(label="Nghị quyết")
    page.get_by_label("Số, ký hiệu").fill("20-NQ/TW")
    page.get_by_label("Trích yếu").fill(
        "Nghị quyết Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII về tiếp tục "
        "đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể trong giai đoạn mới"
    )
    page.get_by_label("Cơ quan ban hành").select_option(
        label="Ban Chấp hành Trung ương – Toàn quốc"
    )
    page.get_by_label(re.compile(r"^Cấp")).select_option(label="Tỉnh")
    page.get_by_label("Địa phương").select_option(label="Toàn quốc")
    page.get_by_label("Ngày ban hành").fill("16/6/2022")
    page.get_by_label("Địa danh").fill("Hà Nội")
    page.get_by_label("Năm bắt đầu").fill("2022")
    page.get_by_label("Năm gốc").fill("2021")
    page.get_by_role("button", name="Lưu").click()
    assert "Toàn quốc không thuộc cấp đã chọn" in page.locator("main").inner_text()
    assert page.get_by_label("Số, ký hiệu").input_value() == "20-NQ/TW"  # input kept
    assert not Plan.objects.filter(number="20-NQ/TW").exists()
    page.get_by_label(re.compile(r"^Cấp")).select_option(label="Toàn quốc")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/ke-hoach/toan-quoc-20-nq-tw/")
    assert page.locator("h1").inner_text() == "Nghị quyết số 20-NQ/TW"
    assert "Đã lưu Nghị quyết số 20-NQ/TW" in page.locator(".messages").inner_text()
    assert_no_province(page, "plan page")
    shot(page, "national-plan")

    # Its 2030 targets, from the plan's page.
    for indicator, value, text in TARGETS_2030:
        page.get_by_role("link", name="Thêm chỉ tiêu").first.click()
        page.get_by_label("Năm mốc").fill("2030")
        page.get_by_label("Chỉ số").select_option(label=indicator)
        page.get_by_label("So sánh").select_option(label="khoảng")
        page.get_by_label("Giá trị", exact=True).fill(value)
        page.get_by_label("Chỉ tiêu (nguyên văn)").fill(text)
        page.get_by_label("Lý do thay đổi (lưu vào lịch sử)").fill("Theo Nghị quyết 20-NQ/TW")
        page.get_by_role("button", name="Lưu").click()
        assert "Chỉ tiêu đã được lưu" in page.locator(".messages").inner_text(), indicator
    plan = Plan.objects.get(slug="toan-quoc-20-nq-tw")
    assert plan.targets.count() == 6
    assert "140.000" in page.locator("main").inner_text()
    assert_no_province(page, "plan page with targets")

    # Two tasks, the first creating the plan's first section, all on the portal's pages.
    for number, (text, lead, deadline) in enumerate(TASKS, start=1):
        page.goto(portal.url + "/ke-hoach/toan-quoc-20-nq-tw/")
        page.get_by_role("link", name="Quản lý nhiệm vụ").click()
        page.get_by_role("link", name="Thêm nhiệm vụ").first.click()
        if number == 1:
            page.get_by_label("Phần mới: tên phần").fill("Nhiệm vụ, giải pháp chủ yếu")
        else:
            page.get_by_label("Phần", exact=True).select_option(index=1)
        page.get_by_label(re.compile(r"^Số thứ tự \(TT\)")).fill(str(number))
        page.get_by_label(re.compile(r"^Nhiệm vụ")).fill(text)
        page.get_by_label(re.compile(r"^Thời gian hoàn thành")).fill(deadline)
        page.get_by_label(re.compile(r"^Đơn vị chủ trì")).select_option(label=lead)
        page.get_by_label("Lý do thay đổi (lưu vào lịch sử)").fill("Theo Nghị quyết 20-NQ/TW")
        page.get_by_role("button", name="Lưu").click()
        assert page.locator(".errors").count() == 0, page.locator(".errors").all_inner_texts()
    assert plan.tasks.count() == 2 and plan.task_sections.count() == 1
    page.goto(portal.url + "/ke-hoach/toan-quoc-20-nq-tw/")
    assert TASKS[1][0] in page.locator("main").inner_text()
    assert_no_province(page, "plan page with tasks")

    # The 2025 report: its page, the preview, the PDF and the Word file.
    page.goto(portal.url + f"/bao-cao/toan-quoc-20-nq-tw/{YEAR}/")
    assert "Hướng dẫn 36-HD/VPTW" in page.locator("main").inner_text()  # Party format
    assert_no_province(page, "report page")
    pdf = pdf_text(download_built(page, "PDF"))
    assert "BAN CHẤP HÀNH TRUNG ƯƠNG" in pdf and "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf
    assert re.search(r"Số\s+-BC/TW", pdf) and "Hà Nội, ngày" in pdf
    assert "Nghị quyết số 20-NQ/TW" in pdf and "140.000" in pdf and "8.000.000" in pdf
    assert not PROVINCE_WORD.search(pdf), PROVINCE_WORD.search(pdf)
    word = docx.Document(io.BytesIO(download(page, "Word")))
    word_text = " ".join(p.text for p in word.paragraphs)
    assert "Nghị quyết số 20-NQ/TW" in word_text
    assert not PROVINCE_WORD.search(word_text)
    page.get_by_role("link", name="Xem trước").click()
    assert "BAN CHẤP HÀNH TRUNG ƯƠNG" in page.content()
    shot(page, "national-report-preview")
    context.close()
