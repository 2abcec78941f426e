"""A staff member enters Đắk Nông's 2025 figures in a real browser."""

import os
from decimal import Decimal as D

import pytest

from tests.conftest import TEST_PASSWORD, make_user
from tests.factories import figures_of

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def login(page, portal, username):
    page.goto(portal.url + "/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def test_staff_enters_figures_errors_then_saves_and_a_stale_save_is_refused(browser, portal):
    from plans.models import Plan

    dak_nong = Plan.objects.get(slug="dak-nong")
    make_user("canbo-a", "plan_staff", plans=[dak_nong], first_name="Cán bộ A")
    make_user("canbo-b", "plan_staff", plans=[dak_nong], first_name="Cán bộ B")
    first = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    second = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page, other = first.new_page(), second.new_page()
    login(page, portal, "canbo-a")
    login(other, portal, "canbo-b")
    url = portal.url + "/ke-hoach/dak-nong/so-lieu/2025/"

    page.goto(url)
    other.goto(url)  # B opens the same page before A saves
    page.get_by_label("Số hợp tác xã", exact=True).fill("320")
    page.get_by_label("Số thành viên hợp tác xã", exact=True).fill("14.000")
    page.get_by_label("Tỷ lệ nữ giám đốc hợp tác xã, liên hiệp hợp tác xã", exact=True).fill("130")
    page.get_by_label("Số liên hiệp hợp tác xã", exact=True).fill("hai")
    page.get_by_role("button", name="Lưu toàn bộ số liệu").click()
    alert = page.locator(".errors[role=alert]").first.inner_text()
    assert "Chưa lưu gì" in alert
    assert (
        "không phải là số" in page.locator("tr.has-error").nth(0).inner_text()
        or "không phải là số" in page.content()
    )
    assert "từ 0 đến 100" in page.content()
    assert page.get_by_label("Số thành viên hợp tác xã", exact=True).input_value() == "14.000"
    assert not figures_of(dak_nong).filter().exists()
    shot(page, "figures-errors")

    page.get_by_label("Tỷ lệ nữ giám đốc hợp tác xã, liên hiệp hợp tác xã", exact=True).fill("12,5")
    page.get_by_label("Số liên hiệp hợp tác xã", exact=True).fill("2")
    page.get_by_role("button", name="Lưu toàn bộ số liệu").click()
    assert "đã được lưu" in page.locator(".messages").inner_text()
    assert figures_of(dak_nong).get(indicator__code="htx_members").value == D(14000)
    shot(page, "figures-saved")

    # B's page is stale: B's save is refused and shows A's change
    other.get_by_label("Số hợp tác xã", exact=True).fill("330")
    other.get_by_role("button", name="Lưu toàn bộ số liệu").click()
    refusal = other.locator(".errors[role=alert]").first.inner_text()
    assert "người khác đã lưu" in other.content()
    assert "Cán bộ A" in other.content()
    assert refusal
    assert figures_of(dak_nong).get(indicator__code="htx_count").value == D(320)
    assert other.get_by_label("Số hợp tác xã", exact=True).input_value() == "330"
    # B decides, having seen A's values, and saves again
    other.get_by_role("button", name="Lưu toàn bộ số liệu").click()
    assert "đã được lưu" in other.locator(".messages").inner_text()
    history = other.locator("#history-heading + div table").inner_text()
    assert "Cán bộ A" in history and "Cán bộ B" in history

    # progress on the plan page reflects the figures
    page.goto(portal.url + "/ke-hoach/dak-nong/")
    row = page.locator("tr", has_text="360 hợp tác xã").first
    assert "330 (2025)" in row.inner_text()
    shot(page, "plan-progress")
    first.close()
    second.close()
