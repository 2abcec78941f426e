"""The SQL and Python forms of the task rules agree on generated data.

Each rule has one Python definition and one SQL translation: which reports count
(``TaskReport.is_counted`` / ``TaskReport.objects.counted()``) and which tasks are overdue
(``task_status`` / ``overdue_q``). The data here is generated to cover every case: every
deadline kind, plans with and without their own due date, lead and cooperating reports in
every state and progress, several years and several "today"s.
"""

import datetime
import itertools
import random

import pytest
from django.utils import timezone

from plans.choices import LocalityLevel, PlanKind
from plans.models import Agency, Locality, Plan
from tasks.choices import AssignmentRole, ReportProgress, ReportState, Timeliness
from tasks.models import Task, TaskAssignment, TaskReport, TaskSection
from tasks.selectors import overdue_q, plan_completeness, task_queryset, task_status
from tasks.services import task_apply_deadline
from tasks.timeliness import task_expects_report

D = datetime.date
PHRASES = [
    "Thường xuyên",
    "Hàng năm",
    "Hằng năm (trước ngày 20/10)",
    "Trước ngày 15 tháng 12 hàng năm",
    "",
    "không rõ thời hạn",
    "Năm 2023",
    "Năm 2025",
    "Năm 2024-2025",
    "Năm 2024-2027",
    "quý II-2025",
    "quý IV-2024",
    # the forms of issue 13: a last day stored whole, no first year, a first year only
    "6 tháng đầu năm 2025",
    "6 tháng cuối năm 2024",
    "Tháng 6/2025",
    "Trước 30/6/2025",
    "hoàn thành trước tháng 6/2025",
    "Chậm nhất ngày 20/10/2024",
    "Đầu năm 2024",
    "Năm 2025 và các năm tiếp theo",
    "Từ năm 2025, hằng năm trước ngày 20/10",
    "Hằng quý",
    "Định kỳ 6 tháng",
    "Sau khi Luật Hợp tác xã 2023 được ban hành",
]
YEARS = [2023, 2024, 2025, 2026]


@pytest.fixture
def generated(db):
    """Two plans (one names its own due date, 1/11; one does not) whose tasks cover every
    deadline phrase, each with a random mix of lead and cooperating reports."""
    rng = random.Random(20251215)
    locality = Locality.objects.create(
        code="rules-agree", name="Tỉnh Thử", level=LocalityLevel.PROVINCE
    )
    lead, other, partner = (
        Agency.objects.create(name=name, kind="department", locality=locality)
        for name in ["Sở Một", "Sở Hai", "Sở Ba"]
    )
    plans = []
    for slug, due in [("rules-own-date", (1, 11)), ("rules-default-date", (None, None))]:
        plan = Plan.objects.create(
            slug=slug,
            kind=PlanKind.PLAN,
            number=f"1/{slug}",
            title=slug,
            issuing_body=lead,
            level=LocalityLevel.PROVINCE,
            locality=locality,
            start_year=2023,
            report_due_day=due[0],
            report_due_month=due[1],
        )
        plans.append(plan)
        section = TaskSection.objects.create(plan=plan, number="I", title="Nhiệm vụ", order=1)
        number = itertools.count(1)
        for phrase in PHRASES:
            for _copy in range(4):
                task = Task(
                    plan=plan,
                    section=section,
                    number=str(next(number)),
                    order=0,
                    description=phrase or "—",
                    deadline_text=phrase,
                )
                task_apply_deadline(task=task)
                task.save()
                leads = [lead] if rng.random() < 0.8 else [lead, other]
                for order, agency in enumerate(leads):
                    TaskAssignment.objects.create(
                        task=task, agency=agency, role=AssignmentRole.LEAD, order=order
                    )
                TaskAssignment.objects.create(
                    task=task, agency=partner, role=AssignmentRole.PARTNER, order=9
                )
                for year in rng.sample(YEARS, rng.randint(0, 3)):
                    for agency, role in [
                        *((a, AssignmentRole.LEAD) for a in leads),
                        (
                            partner,
                            AssignmentRole.PARTNER,
                        ),
                    ]:
                        if rng.random() < 0.3:
                            continue
                        _report(rng, task, year, agency, role)
    return plans


def _report(rng, task, year, agency, role):
    state = rng.choice(ReportState.values)
    progress = rng.choice(ReportProgress.values)
    submitted = None
    if state != ReportState.DRAFT and rng.random() < 0.9:
        submitted = timezone.make_aware(
            datetime.datetime(year, rng.choice([6, 10, 11, 12, 12]), rng.randint(1, 28), 9)
        )
    completed_on = None
    if progress == ReportProgress.COMPLETED and rng.random() < 0.6:
        completed_on = D(year, rng.randint(1, 12), rng.randint(1, 28))
    return TaskReport.objects.create(
        task=task,
        year=year,
        agency=agency,
        role=role,
        state=state,
        progress=progress,
        submitted_at=submitted,
        completed_on=completed_on,
    )


def test_counted_reports_agree_in_sql_and_python(generated):
    """``TaskReport.objects.counted()`` selects exactly the reports whose ``is_counted`` is
    true: submitted and accepted, not drafts nor reports returned for revision."""
    reports = list(TaskReport.objects.filter(task__plan__in=generated))
    assert {r.state for r in reports} == set(ReportState.values)
    in_sql = set(TaskReport.objects.filter(task__plan__in=generated).counted())
    assert in_sql == {r for r in reports if r.is_counted}
    assert {r.state for r in in_sql} == {ReportState.SUBMITTED, ReportState.ACCEPTED}


@pytest.mark.parametrize("year", YEARS)
def test_completeness_counts_the_reports_sql_counts(generated, year):
    """A plan's completeness (computed in Python with ``is_counted``) finds, for each lead
    agency, exactly the reports the SQL form counts on the tasks that expect one."""
    today = D(year, 12, 31)
    for plan in generated:
        completeness = plan_completeness(plan=plan, year=year, today=today)
        assert completeness.agencies
        for row in completeness.agencies:
            expected = {
                t.pk
                for t in task_queryset().filter(plan=plan, assignments__agency=row.agency)
                if any(
                    a.agency_id == row.agency.pk for a in t.assignments.all() if a.role == "lead"
                )
                and task_expects_report(
                    t.deadline,
                    year,
                    completed_before=any(
                        r.progress == ReportProgress.COMPLETED and r.year < year
                        for r in t.lead_reports
                    ),
                )
            }
            counted = set(
                TaskReport.objects.lead()
                .counted()
                .filter(task__in=expected, year=year, agency=row.agency)
                .values_list("task_id", flat=True)
            )
            assert row.expected == len(expected)
            assert row.submitted == len(counted)
            assert {t.pk for t in row.tasks_missing} == expected - counted


TODAYS = [
    D(2023, 6, 30),
    D(2024, 1, 2),
    D(2024, 3, 31),
    D(2024, 4, 1),
    D(2024, 10, 20),
    D(2024, 10, 21),
    D(2024, 11, 1),
    D(2024, 11, 2),
    D(2024, 12, 15),
    D(2024, 12, 16),
    D(2025, 5, 31),
    D(2025, 6, 1),
    D(2025, 6, 30),
    D(2025, 7, 1),
    D(2025, 10, 20),
    D(2025, 10, 21),
    D(2025, 12, 16),
    D(2025, 12, 31),
    D(2026, 1, 1),
    D(2026, 3, 31),
    D(2026, 12, 20),
    D(2028, 1, 1),
]


@pytest.mark.parametrize("today", TODAYS)
def test_the_overdue_filter_selects_the_tasks_whose_status_is_overdue(generated, today):
    """``overdue_q`` (the "overdue" filter, the leadership dashboard) selects exactly the
    tasks whose row shows "Not completed, overdue" this year: every deadline kind, the
    phrase's, the plan's or the default yearly due date, reports of every state."""
    tasks = task_queryset().filter(plan__in=generated)
    in_sql = set(tasks.filter(overdue_q(today)).values_list("pk", flat=True))
    in_python = {
        t.pk for t in tasks if task_status(t, year=today.year, today=today) == Timeliness.OVERDUE
    }
    assert in_sql == in_python


def test_the_generated_tasks_are_overdue_in_every_way(generated):
    """The data above is worth testing on: yearly tasks past the phrase's, the plan's and
    the default due date, and tasks past an overall deadline, all turn up overdue."""
    tasks = list(task_queryset().filter(plan__in=generated))
    overdue = {
        t.deadline_text
        for today in TODAYS
        for t in tasks
        if task_status(t, year=today.year, today=today) == Timeliness.OVERDUE
    }
    assert overdue == set(PHRASES)


@pytest.mark.parametrize("year", YEARS)
def test_overdue_in_another_year_agrees_too(generated, year):
    """Seen for another year's report (the report pages look back), the two forms agree."""
    today = D(2026, 2, 1)
    tasks = task_queryset().filter(plan__in=generated)
    in_sql = set(tasks.filter(overdue_q(today, year=year)).values_list("pk", flat=True))
    in_python = {
        t.pk for t in tasks if task_status(t, year=year, today=today) == Timeliness.OVERDUE
    }
    assert in_sql == in_python
