"""Queues and states: the review queue of plan staff, returned reports in the agency's
"Nhiệm vụ của tôi", every reportable year from the task page, "chờ duyệt" until accepted,
the confirmation before finalising, and no link a role cannot use."""

import datetime
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.views import View

from plans.years import reporting_years
from tasks.choices import Timeliness
from tasks.deadlines import parse_deadline
from tasks.models import Task, TaskReport
from tasks.services import task_report_review
from tasks.timeliness import LeadReport, awaiting_review, task_timeliness
from tests import factories as f
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
D = datetime.date


def dak_nong_task(code) -> Task:
    section, number = code.split(".")
    return Task.objects.get(plan__slug="dak-nong", section__number=section, number=number)


@pytest.fixture
def queue_world(db):
    """A plan with a submitted, a draft, an accepted and a returned report; another plan
    with a submitted report; a final year with a submitted report."""
    plan, other_plan = f.PlanFactory(), f.PlanFactory()
    agency = f.AgencyFactory(locality=plan.locality)
    waiting = f.TaskReportFactory(
        task=f.TaskFactory(plan=plan, leads=[agency]), agency=agency, submitted=True, year=YEAR
    )
    f.TaskReportFactory(task=f.TaskFactory(plan=plan, leads=[agency]), agency=agency, year=YEAR)
    f.TaskReportFactory(
        task=f.TaskFactory(plan=plan, leads=[agency]), agency=agency, accepted=True, year=YEAR
    )
    returned = f.TaskReportFactory(
        task=f.TaskFactory(plan=plan, leads=[agency]), agency=agency, returned=True, year=YEAR
    )
    in_final_year = f.TaskReportFactory(
        task=waiting.task, agency=agency, submitted=True, year=YEAR - 1
    )
    f.PlanYearFactory(plan=plan, year=YEAR - 1, final=True)
    elsewhere = f.TaskReportFactory(task=f.TaskFactory(plan=other_plan), submitted=True, year=YEAR)
    return {
        "plan": plan,
        "other_plan": other_plan,
        "agency": agency,
        "waiting": waiting,
        "returned": returned,
        "in_final_year": in_final_year,
        "elsewhere": elsewhere,
        "staff": f.plan_staff(plan),
        "agency_user": f.agency_user(agency),
    }


def test_the_review_queue_lists_the_submitted_reports_of_the_staffs_plans(client, queue_world):
    """Only submitted reports, only the staff's plans, never a final year's."""
    client.force_login(queue_world["staff"])
    response = client.get(reverse("tasks:review_queue"))
    assert response.status_code == 200
    assert list(response.context["queue"]) == [queue_world["waiting"]]
    page = response.content.decode()
    assert queue_world["waiting"].task.get_absolute_url() in page


def test_an_administrator_sees_every_plans_queue(client, queue_world):
    client.force_login(f.admin())
    queue = set(client.get(reverse("tasks:review_queue")).context["queue"])
    assert {queue_world["waiting"], queue_world["elsewhere"]} <= queue
    assert queue_world["in_final_year"] not in queue


def test_the_queue_of_one_plan_and_of_a_plan_one_does_not_follow(client, queue_world):
    client.force_login(queue_world["staff"])
    url = reverse("tasks:review_queue")
    one = client.get(url, {"plan": queue_world["plan"].slug})
    assert list(one.context["queue"]) == [queue_world["waiting"]]
    assert client.get(url, {"plan": queue_world["other_plan"].slug}).status_code == 404
    assert client.get(url, {"plan": "<x>"}).status_code == 400


def test_the_menu_counts_the_queue_and_the_returned_reports(client, queue_world):
    client.force_login(queue_world["staff"])
    page = client.get(reverse("tasks:task_list")).content.decode()
    assert re.search(r'cho-duyet/">[^<]*<span class="count">1<', page)
    client.force_login(queue_world["agency_user"])
    page = client.get(reverse("tasks:task_list")).content.decode()
    assert re.search(r'cua-toi/">[^<]*<span class="count"[^>]*>1<', page)
    assert "cho-duyet/" not in page


def test_the_queue_page_counts_the_queue_once_for_itself_and_the_menu(client, queue_world):
    """The page's count is the badge's (one count, not two); a plan's queue is not the
    user's, so there the badge counts the user's whole queue."""
    staff = queue_world["staff"]
    staff.plans.add(queue_world["other_plan"])
    client.force_login(staff)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("tasks:review_queue")).content.decode()
    assert re.search(r'cho-duyet/">[^<]*<span class="count">2<', page)
    counts = [q for q in ctx.captured_queries if 'FROM "tasks_taskreport"' in q["sql"]]
    assert len([q for q in counts if "COUNT(" in q["sql"]]) == 1

    one = client.get(reverse("tasks:review_queue"), {"plan": queue_world["plan"].slug})
    assert len(one.context["queue"]) == 1
    assert re.search(r'cho-duyet/">[^<]*<span class="count">2<', one.content.decode())


def test_the_staff_home_page_and_the_plan_page_show_the_queue(client, queue_world):
    client.force_login(queue_world["staff"])
    home = client.get(reverse("home"))
    assert home.context["review_queue"]["count"] == 1
    assert list(home.context["review_queue"]["reports"]) == [queue_world["waiting"]]
    assert "1 báo cáo đang chờ anh/chị duyệt" in home.content.decode()
    plan_page = client.get(queue_world["plan"].get_absolute_url()).content.decode()
    link = reverse("tasks:review_queue") + f"?plan={queue_world['plan'].slug}"
    assert link in plan_page
    assert "1 báo cáo nhiệm vụ đang chờ duyệt" in plan_page


def test_returned_reports_lead_my_tasks_with_the_reviewers_comment(client, queue_world):
    client.force_login(queue_world["agency_user"])
    response = client.get(reverse("tasks:my_tasks"))
    assert list(response.context["returned"]) == [queue_world["returned"]]
    page = response.content.decode()
    returned = queue_world["returned"]
    assert page.index("Bổ sung số liệu") < page.index('class="filters"')
    assert reverse("tasks:report_edit", args=[returned.task_id, returned.year]) in page
    home = client.get(reverse("home")).content.decode()
    assert "Bổ sung số liệu" in home


def test_returned_and_reviewed_reports_leave_the_queues(client, queue_world):
    staff = queue_world["staff"]
    task_report_review(report=queue_world["waiting"], user=staff, accept=True, comment="")
    client.force_login(staff)
    assert not client.get(reverse("tasks:review_queue")).context["queue"]


def test_the_task_page_reaches_every_reporting_year(client, agency_user):
    """The agency reaches its report of every year of the plan, not only this year's."""
    task = dak_nong_task("I.3")  # led by Liên minh Hợp tác xã tỉnh
    client.force_login(agency_user)
    page = client.get(task.get_absolute_url()).content.decode()
    for year in reporting_years(task.plan):
        assert reverse("tasks:report_edit", args=[task.pk, year]) in page, year


def test_the_task_page_offers_no_report_link_to_others(client, leader):
    task = dak_nong_task("I.3")
    client.force_login(leader)
    page = client.get(task.get_absolute_url()).content.decode()
    assert reverse("tasks:report_edit", args=[task.pk, YEAR]) not in page


def test_a_submitted_report_is_awaiting_review_until_accepted(client, queue_world):
    """The state reads "chờ duyệt", and the task's status says so beside it; the status
    still counts the day it was submitted."""
    waiting = queue_world["waiting"]
    client.force_login(queue_world["agency_user"])
    page = client.get(waiting.task.get_absolute_url()).content.decode()
    assert "Đã gửi, chờ duyệt" in page
    section = page[page.index(f'id="year-{YEAR}"') :]
    heading = section[: section.index("</h3>")]
    assert "Hoàn thành đúng hạn" in heading and "chờ duyệt" in heading
    task_report_review(report=waiting, user=queue_world["staff"], accept=True, comment="")
    page = client.get(waiting.task.get_absolute_url()).content.decode()
    section = page[page.index(f'id="year-{YEAR}"') :]
    heading = section[: section.index("</h3>")]
    assert "Hoàn thành đúng hạn" in heading and "chờ duyệt" not in heading
    assert "Đã gửi, chờ duyệt" not in section[: section.index("</section>")]


def test_the_task_list_says_awaiting_review(client, queue_world):
    client.force_login(queue_world["staff"])
    response = client.get(reverse("tasks:task_list"), {"plan": queue_world["plan"].pk})
    rows = {
        row.record.pk: row.get_cell_value("status")
        for row in response.context["table"].page.object_list
    }
    assert "chờ duyệt" in rows[queue_world["waiting"].task_id]
    assert "chờ duyệt" not in rows[queue_world["returned"].task_id]


@pytest.mark.parametrize(
    ("phrase", "report", "expected_status", "expected_waiting"),
    [
        # a yearly task: the year's first report decides, on its submission date
        ("Hằng năm", LeadReport(2025, "in_progress", None, D(2025, 12, 1), False),
         Timeliness.COMPLETED_ON_TIME, True),
        ("Hằng năm", LeadReport(2025, "in_progress", None, D(2025, 12, 1), True),
         Timeliness.COMPLETED_ON_TIME, False),
        ("Hằng năm", LeadReport(2025, "in_progress", None, D(2025, 12, 20), False),
         Timeliness.COMPLETED_LATE, True),
        # an overall deadline: only a report saying completed decides
        ("Năm 2025", LeadReport(2025, "completed", D(2025, 6, 1), D(2025, 6, 2), False),
         Timeliness.COMPLETED_ON_TIME, True),
        ("Năm 2025", LeadReport(2025, "in_progress", None, D(2025, 6, 2), False),
         Timeliness.WITHIN_DEADLINE, False),
    ],
)  # fmt: skip
def test_awaiting_review_follows_the_report_the_status_rests_on(
    phrase, report, expected_status, expected_waiting
):
    deadline = parse_deadline(phrase)
    today = D(2025, 12, 25) if report.submitted_on.month == 12 else D(2025, 7, 1)
    assert task_timeliness(deadline, [report], year=2025, today=today) == expected_status
    assert awaiting_review(deadline, [report], year=2025) is expected_waiting


# ---------------------------------------------------------------- finalising


def test_finalising_asks_first_and_says_what_it_locks(client, plan_staff, dak_nong):
    task = dak_nong_task("II.3")
    f.TaskReportFactory(task=task, agency=task.lead_agencies[0], submitted=True, year=YEAR)
    client.force_login(plan_staff)
    url = reverse("reports:report_edit", args=["dak-nong", YEAR])
    data = {"difficulties": "Thiếu vốn.", "number_suffix": "BC-UBND", "finalise": "1"}
    asked = client.post(url, data)
    assert asked.status_code == 200
    assert [t.name for t in asked.templates][0] == "reports/report_finalise.html"
    page = unescape(asked.content.decode())
    assert "số liệu năm" in page and "báo cáo nhiệm vụ" in page and "PDF" in page
    assert asked.context["locks"]["submitted"] == 1
    assert not dak_nong.annual_reports.filter(year=YEAR).exists()
    # the confirmation carries the input; "back" returns to the form with it, unsaved
    assert 'value="Thiếu vốn."' in page
    back = client.post(url, {**data, "back": "1"})
    assert back.status_code == 200 and back.context["form"]["difficulties"].value() == "Thiếu vốn."
    assert not dak_nong.annual_reports.filter(year=YEAR).exists()
    client.post(url, {**data, "confirm": "1"})
    report = dak_nong.annual_reports.get(year=YEAR)
    assert report.is_final and report.difficulties == "Thiếu vốn."


# ---------------------------------------------------------------- links


HREF = re.compile(r'<a [^>]*href="(/[^"#]*)"')
GET_FORM = re.compile(r'<form (?:(?!method="post")[^>])*action="(/[^"#]*)"')
POST_FORM = re.compile(r'<form [^>]*method="post"[^>]*action="(/[^"#]*)"')


def links(html: str) -> set[tuple[str, str]]:
    """The page's links and forms as (method, URL), the admin's and static files aside."""
    found = {("get", u) for u in HREF.findall(html) + GET_FORM.findall(html)}
    found |= {("post", u) for u in POST_FORM.findall(html)}
    return {
        (method, unescape(url))
        for method, url in found
        if not url.startswith(("/static/", "/admin/"))
    }


@pytest.fixture
def link_world(dak_nong, plan_staff, agency_user, leader, admin_user):
    """The seeded plans, Liên minh HTX's submitted and returned reports (so the review
    form and the returned list show), and a user of each role."""
    submitted = dak_nong_task("I.3")
    returned = dak_nong_task("II.12")
    agency = agency_user.agency
    f.TaskReportFactory(task=submitted, agency=agency, submitted=True, year=YEAR)
    f.TaskReportFactory(task=returned, agency=agency, returned=True, year=YEAR)
    other_staff = make_user("other-staff", "plan_staff", plans=[f.PlanFactory()])
    pages = [
        reverse("home"),
        dak_nong.get_absolute_url(),
        reverse("tasks:task_list"),
        submitted.get_absolute_url(),
        returned.get_absolute_url(),
        reverse("tasks:my_tasks"),
        reverse("tasks:review_queue"),
        reverse("tasks:completeness", args=["dak-nong", YEAR]),
        reverse("tasks:report_edit", args=[submitted.pk, YEAR]),
        reverse("reports:report_index"),
        reverse("reports:report_edit", args=["dak-nong", YEAR]),
        reverse("search") + "?q=hợp tác xã",
    ]
    users = {
        "agency": agency_user,
        "plan_staff": plan_staff,
        "other_staff": other_staff,
        "leadership": leader,
        "admin": admin_user,
        "anonymous": None,
    }
    return pages, users


@pytest.mark.parametrize(
    "role", ["anonymous", "agency", "plan_staff", "other_staff", "leadership", "admin"]
)
def test_no_role_sees_a_link_it_gets_a_403_on(client, link_world, role, monkeypatch):
    """Every link and form on the pages a role can open leads somewhere the role may go:
    each is followed with the permission checks of the views, and the views' own work
    (PDFs, pages) replaced by an empty answer once they have been passed."""
    pages, users = link_world
    if users[role] is not None:
        client.force_login(users[role])
    found = set()
    for page in pages:
        response = client.get(page, follow=True)
        if response.status_code == 200:
            found |= links(response.content.decode())
    assert found, role
    monkeypatch.setattr(View, "dispatch", lambda self, request, *a, **k: HttpResponse("ok"))
    refused = []
    for method, link in sorted(found):
        if urlsplit(link).path == reverse("logout"):
            continue
        response = getattr(client, method)(link)
        if response.status_code in (403, 405):
            refused.append(f"{method.upper()} {link} ({response.status_code})")
    assert not refused, f"{role} sees links it cannot use: {refused}"


def test_an_administrators_queue_is_every_plans_without_retired_tasks_or_final_years(
    client, queue_world, admin_user
):
    """The administrator's queue (every plan: no plan condition in its query) leaves out
    what the staff's leaves out: a final year's report and a retired task's."""
    retired = f.TaskReportFactory(
        task=f.TaskFactory(plan=queue_world["other_plan"], is_active=False),
        submitted=True,
        year=YEAR,
    )
    client.force_login(admin_user)
    queue = list(client.get(reverse("tasks:review_queue")).context["queue"])
    assert queue_world["waiting"] in queue and queue_world["elsewhere"] in queue
    assert queue_world["in_final_year"] not in queue
    assert retired not in queue
    assert retired.pk in TaskReport.objects.filter(state="submitted").values_list("pk", flat=True)
