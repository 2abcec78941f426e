"""The home page per role, search, and the friendly error pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Agency
from tests import factories as f
from tests.conftest import make_user
from tests.factories import plan_place_url

pytestmark = pytest.mark.django_db


def test_public_home_shows_plans_and_progress_only(client):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "Tình hình từng kế hoạch" in html
    assert len(response.context["overview"]) == 5
    assert "leadership" not in response.context and "staff" not in response.context
    assert "Tình hình báo cáo năm" not in html


def test_leadership_home_shows_reporting_and_overdue_tasks(client, leader):
    client.force_login(leader)
    response = client.get(reverse("home"))
    panel = response.context["leadership"]
    assert len(panel["completeness"]) == 5
    overdue = dict((p.slug, n) for p, n in panel["overdue"])
    assert overdue["dak-nong"] >= 3  # rows due in 2023 with no completion report
    assert "Nhiệm vụ quá hạn" in response.content.decode()


def test_staff_home_shows_what_is_missing(client, plan_staff):
    client.force_login(plan_staff)
    response = client.get(reverse("home"))
    rows = response.context["staff"]
    assert [r["plan"].slug for r in rows] == ["dak-nong"]
    assert rows[0]["total"] == len(rows[0]["missing"])  # nothing entered yet
    assert "Nhập số liệu năm" in response.content.decode()


def test_agency_home_lists_open_tasks(client):
    agency = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    client.force_login(make_user("skhdt-home", "agency", agency=agency))
    response = client.get(reverse("home"))
    assert response.context["agency"]["count"] == 3
    assert len(response.context["agency"]["open"]) == 3


def test_home_query_count_is_bounded(client, leader, django_assert_max_num_queries):
    """Cold, the page computes and stores each plan's reporting rate and progress (a read,
    the data's queries and a write for each: 20 before the progress was stored); warm, it
    reads what it stored."""
    client.force_login(leader)
    with django_assert_max_num_queries(22):
        client.get(reverse("home"))
    with django_assert_max_num_queries(10):
        client.get(reverse("home"))


@pytest.mark.parametrize(
    ("q", "section", "expected"),
    [
        ("127/KH", "plans", "127/KH-UBND"),
        ("nữ giám đốc", "targets", "Tỷ lệ nữ giám đốc"),
        ("chuyển đổi số", "tasks", "Đẩy mạnh chuyển đổi số"),
        ("Liên minh Hợp tác xã", "agencies", "Liên minh Hợp tác xã tỉnh"),
    ],
)
def test_search_across_plans_targets_tasks_agencies(client, q, section, expected):
    response = client.get(reverse("search"), {"q": q})
    found = [
        str(
            getattr(o, "text", None)
            or getattr(o, "description", None)
            or getattr(o, "number", None)
            if section != "agencies"
            else o.name
        )
        for o in response.context["results"][section]
    ]
    assert any(expected in f for f in found), found


def test_short_search_asks_for_more(client):
    assert client.get(reverse("search"), {"q": "a"}).context["results"] is None


def test_404_and_403_pages_are_vietnamese_with_a_way_back(client, agency_user, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert 'href="/"' in response.content.decode()
    client.force_login(agency_user)
    response = client.get(reverse("reports:report_index"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_expired_session_on_a_form_gets_a_clear_message(client, plan_staff):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(plan_staff)
    response = csrf_client.post(
        plan_place_url("targets:figure_entry", "dak-nong", 2025), {"version": 0}
    )
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_a_long_review_queue_is_counted_to_99(client, plan_staff, dak_nong):
    """The panel counts as the menu's badge does ("99+"): beyond, it says "more than"."""
    client.force_login(plan_staff)
    pairs = [(t, y) for y in (2022, 2023, 2024, 2025) for t in dak_nong.tasks.order_by("pk")]
    assert len(pairs) >= 100
    for task, year in pairs[:99]:
        f.TaskReportFactory(task=task, year=year, submitted=True)

    html = client.get(reverse("home")).content.decode()
    assert "99 báo cáo đang chờ anh/chị duyệt" in html and "Hơn 99" not in html

    f.TaskReportFactory(task=pairs[99][0], year=pairs[99][1], submitted=True)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("home")).content.decode()
    assert "Hơn 99 báo cáo đang chờ anh/chị duyệt" in html
    assert '<span class="count">99+' in html  # the menu's badge
    counts = [
        q for q in ctx.captured_queries if 'COUNT(*) FROM (SELECT "tasks_taskreport"' in q["sql"]
    ]
    assert len(counts) == 1, "the badge reads the panel's count"
