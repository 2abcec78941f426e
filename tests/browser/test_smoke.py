"""A person's first steps in the portal, in a real browser."""

import re

import pytest

from tests.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_home_page_lists_the_five_plans(page, portal):
    page.goto(portal.url + "/")
    assert page.locator("h1").inner_text() == "Kế hoạch phát triển kinh tế tập thể"
    rows = page.locator("main table tbody tr")
    assert rows.count() == 5
    text = page.locator("main table").inner_text()
    for locality in ["Bình Phước", "Yên Bái", "Gò Công Tây", "Đắk Nông", "Kon Tum"]:
        assert locality in text


def test_visitor_follows_a_plan_link(page, portal):
    page.goto(portal.url + "/")
    page.get_by_role("link", name="127/KH-UBND").click()
    page.wait_for_url(re.compile(r"/ke-hoach/dak-nong/$"))
    assert "Kế hoạch số 127/KH-UBND" in page.locator("h1").inner_text()
    assert "Nhiệm vụ được giao (26)" in page.locator("#tasks-heading").inner_text()


def test_admin_logs_in_and_opens_a_plan(page, portal):
    make_user("quantri-test", "admin", is_staff=True, is_superuser=True)
    page.goto(portal.url + "/admin/")
    page.fill("#id_username", "quantri-test")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.locator("a[href='/admin/plans/plan/']").first.click()
    page.get_by_role("link", name="127/KH-UBND").click()
    assert page.locator("#id_number").input_value() == "127/KH-UBND"
    assert "Bảo đảm trên 60% tổ chức kinh tế tập thể" in page.content()


def test_wrong_password_gets_a_vietnamese_message(page, portal):
    page.goto(portal.url + "/dang-nhap/")
    page.fill("#id_username", "nobody")
    page.fill("#id_password", "wrong")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "tên đăng nhập và mật khẩu" in page.locator("[role=alert]").inner_text().lower()
