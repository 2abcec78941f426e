"""Đắk Nông's staff import, through the portal's pages, a task table numbered like the
plan's own (I.1, I.2, II.1…): the preview shows the collisions, nothing happens before a
choice, and appending adds the rows in new sections after the plan's 26 tasks."""

import io

import openpyxl
import pytest

from plans.models import Plan
from tasks.models import Task
from tests.browser.test_accessibility import violations
from tests.browser.test_figures import login, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser

ROWS = [
    ["PHỤ LỤC: NHIỆM VỤ BỔ SUNG NĂM 2026"],
    [],
    [
        "TT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Sản phẩm hoàn thành",
        "Thời gian hoàn thành",
        "Ghi chú",
    ],
    ["I. Tuyên truyền, nâng cao nhận thức (bổ sung)"],
    [1, "Tuyên truyền mô hình HTX kiểu mới trên báo, đài", "Sở TT&TT", "Liên minh HTX tỉnh",
     "Chuyên mục", "Hằng năm", None],
    [2, "Biên soạn tài liệu hỏi đáp về Luật HTX 2023", "Liên minh Hợp tác xã tỉnh", "Sở Tư pháp",
     "Tài liệu", "Quý II/2026", None],
    ["II. Hỗ trợ phát triển HTX (bổ sung)"],
    [1, "Hỗ trợ HTX nông nghiệp ứng dụng công nghệ cao", "Sở NN&PTNT", "Sở KH&ĐT",
     "Báo cáo", "Trước 30/6/2026", "Ưu tiên HTX mới"],
    [2, "Xây dựng cơ sở dữ liệu về HTX", "Sở Kế hoạch và Đầu tư", "Sở TT&TT",
     "Phần mềm", "Năm 2026", None],
]  # fmt: skip


def workbook(path):
    wb = openpyxl.Workbook()
    for row in ROWS:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_staff_append_a_colliding_table_to_dak_nong(browser, portal, tmp_path):
    dak_nong = Plan.objects.get(slug="dak-nong")
    make_user("canbo-nhap", "plan_staff", plans=[dak_nong], first_name="Cán bộ nhập bảng")
    before = Task.objects.filter(plan=dak_nong, is_active=True).count()
    assert before == 26
    upload = workbook(tmp_path / "nhiem-vu-bo-sung.xlsx")

    # axe-core is injected as a script the Content-Security-Policy would refuse
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, portal, "canbo-nhap")
    page.goto(portal.url + "/nhiem-vu/ke-hoach/dak-nong/")
    page.get_by_role("link", name="Nhập bảng nhiệm vụ (.xlsx)").click()
    page.get_by_label("Bảng nhiệm vụ (.xlsx)").set_input_files(str(upload))
    page.get_by_role("button", name="Tải lên và xem trước").click()

    preview = page.locator("main")
    assert "4 dòng trùng TT với dòng của kế hoạch" in preview.inner_text()
    assert page.locator("tr.collides").count() == 4
    assert "Biên soạn tài liệu hỏi đáp về Luật HTX 2023" in preview.inner_text()
    assert "Ưu tiên HTX mới" in preview.inner_text()  # the note column
    assert "I → VI" in preview.inner_text()
    shot(page, "task-import-preview")
    assert violations(page) == []

    # no choice: a form error, the preview kept, nothing imported
    page.get_by_role("button", name="Nhập 4 nhiệm vụ").click()
    assert "Hãy chọn cách nhập bảng" in page.locator("main").inner_text()
    assert "Hỗ trợ HTX nông nghiệp ứng dụng công nghệ cao" in page.locator("main").inner_text()
    assert Task.objects.filter(plan=dak_nong).count() == 26

    page.get_by_label("Nối thêm: các phần của bảng đặt sau phần cuối cùng của kế hoạch").check()
    page.get_by_label("Tạo các đơn vị này").check()  # Sở Tư pháp is new in Đắk Nông
    page.get_by_role("button", name="Nhập 4 nhiệm vụ").click()
    page.wait_for_url("**/nhiem-vu/ke-hoach/dak-nong/")
    assert "4 nhiệm vụ đã được thêm" in page.locator(".messages").inner_text()
    shot(page, "task-import-appended")

    assert Task.objects.filter(plan=dak_nong, is_active=True).count() == 26 + 4
    codes = page.locator("#tasks ~ .table-wrap tbody tr td:first-child").all_inner_texts()
    assert codes[-4:] == ["VI.1", "VI.2", "VII.1", "VII.2"]
    assert Task.objects.get(plan=dak_nong, section__number="I", number="1").description.startswith(
        "Triển khai"
    )
    assert violations(page) == []  # the manage page with its sections
    context.close()
