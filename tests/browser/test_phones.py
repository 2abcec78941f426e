"""On a 360 × 640 phone screen each role's first page shows its work on the first screen:
the header is one line with its menu folded, the filters fold away, and an empty filter
choice reads "Tất cả"."""

import pytest

from tests.browser.test_figures import login, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 640}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def starts_on_first_screen(locator, line=30) -> bool:
    """The element's first line is on the first screen (a task's row is as tall as its
    description)."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + line <= PHONE["height"]


def test_an_agency_sees_its_first_task_on_the_first_screen(phone, portal):
    from plans.models import Agency

    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    make_user("phone-agency", "agency", agency=skhdt, first_name="Chuyên viên Sở KH&ĐT")
    login(phone, portal, "phone-agency")
    assert phone.locator("h1").inner_text() == "Nhiệm vụ của tôi"
    header = phone.locator("header.site-header").bounding_box()
    assert header["height"] <= 80, header  # the portal's name and "Danh mục"
    assert not phone.locator("header nav").is_visible()  # the menu is folded
    assert not phone.locator("form.filters").is_visible()  # so are the filters
    first_task = phone.locator("main table tbody tr").first.locator("td").first
    assert first_task.inner_text() == "II.2"
    assert starts_on_first_screen(first_task), first_task.bounding_box()
    shot(phone, "phone-my-tasks")

    phone.get_by_text("Bộ lọc", exact=True).click()
    plan = phone.get_by_label("Kế hoạch", exact=True)
    assert plan.locator("option").first.inner_text() == "Tất cả"
    phone.get_by_text("Danh mục", exact=True).click()
    assert phone.locator("header nav").get_by_role("link", name="Nhiệm vụ của tôi").is_visible()


def test_plan_staff_see_their_plans_on_the_first_screen(phone, portal):
    from plans.models import Plan

    make_user("phone-staff", "plan_staff", plans=[Plan.objects.get(slug="dak-nong")])
    login(phone, portal, "phone-staff")
    heading = phone.locator("#staff-h")
    assert on_first_screen(heading), heading.bounding_box()
    first_plan = phone.locator("#staff-h ~ h3 a").first
    assert on_first_screen(first_plan), first_plan.bounding_box()
    shot(phone, "phone-staff")


def test_leadership_see_the_reporting_table_on_the_first_screen(phone, portal):
    make_user("phone-leader", "leadership")
    login(phone, portal, "phone-leader")
    first_plan = phone.locator("#lead-h ~ .table-wrap tbody tr th").first
    assert on_first_screen(first_plan), first_plan.bounding_box()
    shot(phone, "phone-leadership")


def test_on_a_wide_screen_nothing_is_folded(page, portal):
    make_user("wide-leader", "leadership")
    login(page, portal, "wide-leader")
    page.goto(portal.url + "/nhiem-vu/")
    assert page.locator("header nav").is_visible()
    assert page.locator("form.filters").is_visible()
    assert not page.get_by_text("Danh mục", exact=True).is_visible()


def test_on_a_phone_filters_with_an_error_stay_open(phone, portal):
    """A plan chosen outside the place chosen: the list is empty and the reason, under the
    plan select, is on the screen, not in the folded filters."""
    from plans.models import Locality, Plan

    make_user("phone-leader-filters", "leadership")
    login(phone, portal, "phone-leader-filters")
    place = Locality.objects.get(code="dak-nong")
    outside = Plan.objects.get(slug="yen-bai")
    phone.goto(f"{portal.url}/nhiem-vu/?place={place.pk}&plan={outside.pk}")
    assert phone.locator("form.filters").is_visible()
    assert phone.get_by_text("Kế hoạch này không thuộc Đắk Nông").is_visible()
    shot(phone, "phone-filter-error")


def test_a_long_word_searched_does_not_widen_the_page(phone, portal):
    phone.goto(portal.url + "/tim-kiem/?q=" + "a" * 100)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
