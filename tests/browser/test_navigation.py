"""Each role's first screen and header links, in a real browser."""

import pytest

from tests.browser.test_figures import login
from tests.conftest import make_user

pytestmark = pytest.mark.browser

EXPECTED = {
    "anonymous": ({"Kế hoạch", "Đăng nhập"}, "Tình hình từng kế hoạch"),
    "agency": ({"Kế hoạch", "Nhiệm vụ", "Nhiệm vụ của tôi"}, "Nhiệm vụ của tôi"),
    "plan_staff": ({"Kế hoạch", "Nhiệm vụ", "Báo cáo"}, "Kế hoạch bạn theo dõi"),
    "leadership": ({"Kế hoạch", "Nhiệm vụ", "Báo cáo"}, "Tình hình báo cáo năm"),
    "admin": ({"Kế hoạch", "Nhiệm vụ", "Báo cáo", "Quản trị"}, "Tình hình báo cáo năm"),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_first_screen_and_header_per_role(browser, portal, role):
    from plans.models import Agency, Plan

    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if role == "anonymous":
        page.goto(portal.url + "/")
    else:
        extra = {}
        if role == "agency":
            extra["agency"] = Agency.objects.get(
                locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh"
            )
        if role == "plan_staff":
            extra["plans"] = [Plan.objects.get(slug="dak-nong")]
        if role == "admin":
            extra.update(is_staff=True, is_superuser=True)
        make_user(f"nav-{role}", role, **extra)
        login(page, portal, f"nav-{role}")
    links, heading = EXPECTED[role]
    nav = set(page.locator("header nav a").all_inner_texts())
    assert links <= nav, nav
    if role != "admin":
        assert "Quản trị" not in nav
    if role in ("anonymous", "agency"):
        assert "Báo cáo" not in nav
    assert heading in page.locator("main").inner_text()
    # the search box works from every page
    page.fill("#site-search", "chuyển đổi số")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/tim-kiem/" in url)
    assert "Đẩy mạnh chuyển đổi số" in page.locator("main").inner_text()
    context.close()
