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
from tasks.choices import AssignmentRole
from tasks.deadlines import parse_deadline
from tasks.models import Task, TaskAssignment, TaskSection
from tasks.selectors import plan_completeness, task_status
from tasks.timeliness import report_due_date
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
