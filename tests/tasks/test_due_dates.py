"""The yearly report's due date: one rule (``plans.models.Plan.report_due_date``, with
the task's own phrase before it in ``tasks.timeliness.report_due_date``) wherever a date
is shown or compared."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from plans.choices import LocalityLevel, PlanKind
from plans.models import REPORT_DUE, Agency, Locality, Plan
from tasks.choices import AssignmentRole, ReportProgress, Timeliness
from tasks.deadlines import parse_deadline
from tasks.models import Task, TaskAssignment, TaskSection
from tasks.selectors import plan_completeness, task_status
from tasks.timeliness import LeadReport, report_due_date, task_expects_report, task_timeliness
from tests.conftest import make_user

D = datetime.date


def _plan(due_day=None, due_month=None, *, slug="due-plan"):
    locality = Locality.objects.create(code=slug, name="Tỉnh Hạn", level=LocalityLevel.PROVINCE)
    agency = Agency.objects.create(name="Sở Hạn", kind="department", locality=locality)
    plan = Plan.objects.create(
        slug=slug,
        kind=PlanKind.PLAN,
        number="9/KH",
        title="Kế hoạch",
        issuing_body=agency,
        level=LocalityLevel.PROVINCE,
        locality=locality,
        start_year=2024,
        report_due_day=due_day,
        report_due_month=due_month,
    )
    section = TaskSection.objects.create(plan=plan, number="I", title="Nhiệm vụ")
    task = Task.objects.create(
        plan=plan, section=section, number="1", description="Báo cáo", deadline_kind="yearly"
    )
    TaskAssignment.objects.create(task=task, agency=agency, role=AssignmentRole.LEAD)
    return plan, agency, task


def test_a_plan_without_a_date_is_due_on_15_12():
    """Nghị định 09/2019: a year's data runs to 14/12; the plans ask before 15/12."""
    assert REPORT_DUE == (15, 12)
    plan = Plan(start_year=2024)
    assert plan.report_due_date(2025) == D(2025, 12, 15)
    assert plan.report_due is None


def test_a_plan_names_its_own_date_and_a_day_past_the_months_end_is_its_last():
    assert Plan(report_due_day=1, report_due_month=11).report_due_date(2025) == D(2025, 11, 1)
    assert Plan(report_due_day=31, report_due_month=11).report_due_date(2025) == D(2025, 11, 30)
    assert Plan(report_due_day=29, report_due_month=2).report_due_date(2025) == D(2025, 2, 28)
    # half a date is no date
    assert Plan(report_due_day=1).report_due_date(2025) == D(2025, 12, 15)


def test_the_phrase_comes_before_the_plan():
    yearly = parse_deadline("Hằng năm (trước ngày 20/10)")
    assert report_due_date(yearly, 2025, (1, 11)) == D(2025, 10, 20)
    assert report_due_date(parse_deadline("Hàng năm"), 2025, (1, 11)) == D(2025, 11, 1)
    assert report_due_date(parse_deadline("Hàng năm"), 2025, None) == D(2025, 12, 15)


@pytest.mark.django_db
def test_half_a_plan_date_falls_back_to_15_12_in_the_status_too():
    plan, _agency, task = _plan(due_day=1)
    assert task_status(task, year=2025, today=D(2025, 12, 15)) == "within_deadline"
    assert plan_completeness(plan=plan, year=2025, today=D(2025, 12, 1)).due == D(2025, 12, 15)


@pytest.mark.django_db
def test_the_agency_home_page_shows_the_plans_own_due_date(monkeypatch):
    """An agency whose open task belongs to a plan due 1/11 is told 01/11, not 15/12."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: D(2025, 9, 1))
    _unused, agency, _task = _plan(1, 11)
    client = Client()
    client.force_login(make_user("due-agency", Role.AGENCY, agency=agency))
    panel = client.get(reverse("home")).context["agency"]
    assert panel["due"] == D(2025, 11, 1)


# The deadline kinds of issue 13 (table rows 5-7 and 11-19 of tasks/deadlines.py): their
# last day, their yearly report's date, and when they are not yet due.

T = Timeliness


def _done(year, on, progress=ReportProgress.COMPLETED):
    return LeadReport(year, progress, on if progress == ReportProgress.COMPLETED else None, on)


def _status(phrase, reports, *, year, today, plan_due=None):
    return task_timeliness(
        parse_deadline(phrase), reports, year=year, today=today, plan_due=plan_due
    )


@pytest.mark.parametrize(
    ("phrase", "last_day"),
    [
        ("Trước 30/6/2025", D(2025, 6, 30)),
        ("Trước ngày 30 tháng 6 năm 2025", D(2025, 6, 30)),
        ("chậm nhất ngày 15/12/2025", D(2025, 12, 15)),
        ("hoàn thành trước tháng 6/2025", D(2025, 5, 31)),
        ("Chậm nhất tháng 6/2025", D(2025, 6, 30)),
        ("6 tháng đầu năm 2025", D(2025, 6, 30)),
        ("nửa cuối năm 2025", D(2025, 12, 31)),
        ("Quý I-II/2025", D(2025, 6, 30)),
        ("Tháng 6/2025", D(2025, 6, 30)),
        ("tháng 2 năm 2024", D(2024, 2, 29)),
        ("Đầu năm 2025", D(2025, 3, 31)),
        ("Cuối năm 2025", D(2025, 12, 31)),
    ],
)
def test_an_overall_deadline_is_met_on_its_last_day_and_missed_the_day_after(phrase, last_day):
    """Completed on the last day is on time, the day after late; not completed, the task
    is within the deadline on its last day and overdue the day after."""
    year = last_day.year
    after = last_day + datetime.timedelta(days=1)
    assert _status(phrase, [_done(year, last_day)], year=year, today=after) == (T.COMPLETED_ON_TIME)
    late = [_done(after.year, after)]
    assert _status(phrase, late, year=after.year, today=after) == T.COMPLETED_LATE
    assert _status(phrase, [], year=year, today=last_day) == T.WITHIN_DEADLINE
    assert _status(phrase, [], year=after.year, today=after) == T.OVERDUE


def test_a_before_deadline_has_no_first_year_a_period_has_one():
    """ "Trước 30/6/2025" is worked on (and reported on) from the plan's start; "6 tháng
    đầu năm 2025" and "Tháng 6/2025" are not due before 2025."""
    before = parse_deadline("Trước 30/6/2025")
    assert _status("Trước 30/6/2025", [], year=2024, today=D(2024, 12, 20)) == (T.WITHIN_DEADLINE)
    assert task_expects_report(before, 2024, completed_before=False)
    assert not task_expects_report(before, 2026, completed_before=True)
    for phrase in ["6 tháng đầu năm 2025", "Tháng 6/2025"]:
        assert _status(phrase, [], year=2024, today=D(2024, 12, 20)) == T.NOT_YET_DUE
        assert not task_expects_report(parse_deadline(phrase), 2024, completed_before=False)
        assert task_expects_report(parse_deadline(phrase), 2025, completed_before=False)


def test_the_last_day_of_an_overall_deadline_is_not_its_yearly_report_date():
    """A task due 30/6/2025 still reports each year on the plan's date (else 15/12); only
    a recurring phrase names the yearly report's date."""
    before = parse_deadline("Trước ngày 30/6/2025")
    assert report_due_date(before, 2024, (1, 11)) == D(2024, 11, 1)
    assert report_due_date(before, 2024, None) == D(2024, 12, 15)
    onward = parse_deadline("Từ năm 2025, hằng năm trước ngày 20/10")
    assert report_due_date(onward, 2026, (1, 11)) == D(2026, 10, 20)


@pytest.mark.parametrize(
    "phrase",
    ["Năm 2025 và các năm tiếp theo", "từ năm 2025 trở đi", "Từ năm 2025"],
)
def test_from_a_year_onward_recurs_every_year_from_that_year(phrase):
    """Not due (nor expected) before its first year; from then on a yearly task: due by
    the plan's date, else 15/12, every year, even after a report said completed."""
    deadline = parse_deadline(phrase)
    assert deadline.is_recurring and deadline.due_date() is None
    assert _status(phrase, [], year=2024, today=D(2025, 3, 1)) == T.NOT_YET_DUE
    assert not task_expects_report(deadline, 2024, completed_before=False)
    assert _status(phrase, [], year=2025, today=D(2025, 12, 15)) == T.WITHIN_DEADLINE
    assert _status(phrase, [], year=2025, today=D(2025, 12, 16)) == T.OVERDUE
    assert _status(phrase, [], year=2025, today=D(2025, 11, 2), plan_due=(1, 11)) == T.OVERDUE
    reported = [_done(2025, D(2025, 12, 1))]
    assert _status(phrase, reported, year=2025, today=D(2026, 1, 5)) == T.COMPLETED_ON_TIME
    assert task_expects_report(deadline, 2030, completed_before=True)
    assert _status(phrase, reported, year=2026, today=D(2026, 12, 16)) == T.OVERDUE


@pytest.mark.parametrize(
    "phrase",
    [
        "Hằng quý",
        "Định kỳ 6 tháng",
        "Hằng năm, trước ngày 15/12",
        "Sau khi Luật Hợp tác xã 2023 được ban hành",
        "theo tiến độ của Bộ Kế hoạch và Đầu tư",
    ],
)
def test_quarterly_half_yearly_and_conditional_tasks_report_every_year(phrase):
    """The portal's reports are yearly: a quarterly or six-monthly task, and a conditional
    one (kept as written, flagged), reports every year by the yearly date."""
    deadline = parse_deadline(phrase)
    assert deadline.due_date() is None
    assert task_expects_report(deadline, 2020, completed_before=True)
    assert _status(phrase, [], year=2025, today=D(2025, 12, 15)) == T.WITHIN_DEADLINE
    assert _status(phrase, [], year=2025, today=D(2025, 12, 16)) == T.OVERDUE
