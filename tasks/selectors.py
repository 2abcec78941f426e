"""Reads for tasks: querysets carry their joins; timeliness is computed from prefetched
lead reports, never one query per row."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from common.formatting import vn_sort_key
from plans.groups import GroupMembers, groups_members
from plans.models import PlanYear

from .choices import AssignmentRole, ReportProgress, ReportState, Timeliness
from .models import CompletenessSummary, Task, TaskAssignment, TaskReport, TaskSection
from .timeliness import (
    LeadReport,
    awaiting_review,
    report_due_date,
    task_expects_report,
    task_timeliness,
)


def task_queryset() -> QuerySet[Task]:
    return (
        Task.objects.filter(is_active=True)
        .select_related("plan", "plan__locality", "section")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("agency__locality").order_by(
                    "order"
                ),
            ),
            Prefetch(
                "reports",
                queryset=TaskReport.objects.lead()
                .counted()
                .only("id", "task_id", "year", "progress", "completed_on", "submitted_at", "state")
                .order_by("-year", "pk"),  # not the model's order: it joins five tables
                to_attr="lead_reports",
            ),
        )
        .order_by("list_key", "pk")  # place (Vietnamese order), plan, section, task
    )


def plan_has_task_table(plan) -> bool:
    """Whether the plan has a current section or task: importing then needs a choice."""
    return (
        TaskSection.objects.filter(plan=plan, is_active=True).exists()
        or Task.objects.filter(plan=plan, is_active=True).exists()
    )


def plan_sections(plan) -> list[TaskSection]:
    """The plan's sections in their order, retired ones last, each with ``task_count``
    (its current tasks)."""
    sections = (
        TaskSection.objects.filter(plan=plan)
        .annotate(task_count=Count("tasks", filter=Q(tasks__is_active=True)))
        .order_by("-is_active", "order", "pk")
    )
    return list(sections)


def agency_tasks(*, agency) -> QuerySet[Task]:
    """Tasks an agency leads or cooperates on, itself or as a member of a group named on
    the task (``plans.groups``), with ``is_lead`` annotated: its own role where it is named
    on the task, else its group's."""
    direct = TaskAssignment.objects.filter(task=OuterRef("pk"), agency=agency)
    groups = agency.reporting_ids() - {agency.pk}
    via = TaskAssignment.objects.filter(task=OuterRef("pk"), agency_id__in=groups)
    is_lead = Q(Exists(direct.filter(role=AssignmentRole.LEAD))) | (
        ~Q(Exists(direct)) & Q(Exists(via.filter(role=AssignmentRole.LEAD)))
    )
    # The tasks from the agency's assignments (an index), not an EXISTS tried on every
    # task of the country.
    named = TaskAssignment.objects.filter(agency_id__in={agency.pk, *groups}).values("task_id")
    return (
        task_queryset()
        .filter(pk__in=named)
        .annotate(is_lead=ExpressionWrapper(is_lead, output_field=BooleanField()))
    )


def task_group_members(task, *, year: int) -> list[GroupMembers]:
    """The members of each group named on the task, as of the year's due date (for the
    task's page)."""
    groups = [a.agency for a in task.assignments.all() if a.agency.is_group]
    found = groups_members(groups, on=task.plan.report_due_date(year))
    return [found[g.pk] for g in groups]


def overdue_q(today: datetime.date, *, year: int | None = None) -> Q:
    """The SQL form of "overdue": the tasks whose :func:`task_status` for ``year`` (this
    year unless given) on ``today`` is ``Timeliness.OVERDUE``. A line-by-line translation
    of :func:`tasks.timeliness.task_timeliness`, which stays the definition;
    ``tests/tasks/test_rules_agree.py`` checks the two agree on generated data.

    * A task with an overall deadline is overdue once its last day has passed, unless the
      lead agency reported it completed in ``year`` or before (or ``year`` is before the
      deadline's first year).
    * Any other task is overdue once the yearly due date of ``year`` has passed (a
      recurring phrase's date, else the plan's, else 15/12) without a lead report for
      ``year`` (unless ``year`` is before its first year: "Từ năm 2025").

    Only reports that count and have been submitted (a submission date) are read, as
    :func:`lead_reports` gives them to the Python rule; the task's row holds what they say
    (``Task.lead_completed_year``, ``Task.lead_reported_years``, kept from the reports by
    :func:`tasks.models.refresh_lead_state`), so no report is searched.
    """
    year = today.year if year is None else year
    started = Q(deadline_year_from__isnull=True) | Q(deadline_year_from__lte=year)
    # not completed in ``year`` or before, as two ranges of an index
    not_completed = Q(lead_completed_year__isnull=True) | Q(lead_completed_year__gt=year)
    overall_overdue = Q(deadline_due__lt=today) & started & not_completed
    reported = Q(lead_reported_years__contains=Task.years_key(year))
    yearly_overdue = _yearly_due_passed(today, year) & started & ~reported
    return overall_overdue | yearly_overdue


def _yearly_due_passed(today: datetime.date, year: int) -> Q:
    """Tasks without an overall deadline whose yearly report for ``year`` was due before
    ``today``: the SQL form of ``today > report_due_date(...)``, comparing the stored
    month × 100 + day (``Task.yearly_due``: the phrase's date, else the plan's, else
    15/12) within the year."""
    if year > today.year:
        return Q(pk__in=[])
    if year < today.year:
        return Q(yearly_due__isnull=False)
    return Q(yearly_due__lt=today.month * 100 + today.day)


def lead_reports(task) -> list[LeadReport]:
    reports = getattr(task, "lead_reports", None)
    if reports is None:
        reports = task.reports.lead().counted()
    return [
        LeadReport(
            r.year,
            r.progress,
            r.completed_on,
            timezone.localtime(r.submitted_at).date() if r.submitted_at else None,
            accepted=r.state == ReportState.ACCEPTED,
        )
        for r in reports
    ]


def task_status(task, *, year: int, today: datetime.date) -> str:
    return task_timeliness(
        task.deadline, lead_reports(task), year=year, today=today, plan_due=task.plan.report_due
    )


def task_awaiting_review(task, *, year: int) -> bool:
    """Whether the task's state in ``year`` rests on a lead report not yet accepted."""
    return awaiting_review(task.deadline, lead_reports(task), year=year)


QUEUE_COUNTED = 99
"""How far the menu's badge and the home page's panel count the review queue: beyond, they
say "99+" / "more than 99" (an exact count of a national queue of 10 000 reports took 3 ms
of every page)."""


def menu_count(found: int) -> int | str:
    """What the menu's badge says of a queue of ``found`` reports (counted to
    ``QUEUE_COUNTED + 1`` at least): a page that counted the user's whole queue puts it in
    its context as ``menu_review_count``, and the badge does not count again."""
    return found if found <= QUEUE_COUNTED else f"{QUEUE_COUNTED}+"


REVIEW_ROW_FIELDS = (
    *("year", "role", "submitted_at", "task", "agency", "agency__name"),
    *("task__number", "task__description", "task__section__number", "task__plan"),
    *("task__plan__number", "task__plan__locality", "task__plan__locality__name"),
)
"""What a row of the review queue reads (``QuerySet.only``): the tasks' and plans' long
texts are not read for it."""


def review_queue(*, plans) -> QuerySet[TaskReport]:
    """Submitted task reports waiting for review on ``plans`` (a Plan queryset), oldest
    submission first; years already final are left out (nothing can be reviewed there).

    Built for a national queue of thousands: the reports come from the index of those
    waiting, and no condition joins every report to its task (a scan of the country's
    tasks for each count). Retired tasks and final years are few: their tasks are found
    from them and left out; an unfiltered ``plans`` (an administrator's: every plan) adds
    no condition at all."""
    queue = TaskReport.objects.filter(state=ReportState.SUBMITTED).exclude(
        task_id__in=Task.objects.filter(is_active=False).values("pk")
    )
    if plans.query.has_filters():
        queue = queue.filter(task_id__in=Task.objects.filter(plan__in=plans).values("pk"))
    closed = PlanYear.objects.filter(
        is_final=True, year=OuterRef("year"), plan__tasks=OuterRef("task_id")
    )
    return (
        queue.exclude(Exists(closed))
        .select_related("task__plan__locality", "task__section", "agency")
        .order_by("submitted_at", "pk")
    )


def returned_reports(*, agency) -> QuerySet[TaskReport]:
    """An agency's reports returned for revision, the latest return first, with the
    reviewer's comment (``review_comment``)."""
    return (
        TaskReport.objects.filter(agency=agency, state=ReportState.RETURNED, task__is_active=True)
        .select_related("task__plan__locality", "task__section")
        .order_by("-updated_at", "pk")
    )


def task_report_due(task, year: int) -> datetime.date:
    """When the lead agency's report on ``task`` for ``year`` is due (the phrase's date,
    else the plan's, else 15/12)."""
    return report_due_date(task.deadline, year, task.plan.report_due)


@dataclass
class AgencyCompleteness:
    """A lead agency's reports of the year. For a group of bodies (``group`` set) the
    members' reports: ``member_rows`` has one row per member that owes one, and the
    group's counts are their sums; a group without members owes one report per task,
    which nobody can send until its members are in the portal."""

    agency: object
    expected: int = 0
    submitted: int = 0
    late: int = 0
    tasks_missing: list = field(default_factory=list)
    group: GroupMembers | None = None
    member_rows: dict = field(default_factory=dict)

    @property
    def state(self) -> str:
        if self.submitted >= self.expected:
            return "late" if self.late else "complete"
        return "missing"

    @property
    def owes_nothing(self) -> bool:
        """No report owed: a group whose members are all named on its tasks, where each
        reports in its own role. Neither sent nor missing (its ``state`` counts it sent)."""
        return self.expected == 0

    @property
    def is_group(self) -> bool:
        return self.group is not None

    @property
    def members_total(self) -> int:
        return len(self.member_rows)

    @property
    def members_reported(self) -> int:
        return sum(1 for r in self.member_rows.values() if r.state != "missing")

    @property
    def members_missing(self) -> list:
        return [r.agency for r in self.member_rows.values() if r.state == "missing"]

    def count(self, report, task, due: datetime.date) -> None:
        """Count one report owed on ``task``: ``report`` is the counted one, or ``None``."""
        self.expected += 1
        if report is None:
            if task not in self.tasks_missing:
                self.tasks_missing.append(task)
            return
        self.submitted += 1
        if report.submitted_at and timezone.localtime(report.submitted_at).date() > due:
            self.late += 1


@dataclass
class Completeness:
    plan: object
    year: int
    due: datetime.date
    days_left: int
    agencies: list[AgencyCompleteness]

    @property
    def rate(self) -> int:
        total = sum(a.expected for a in self.agencies)
        done = sum(min(a.submitted, a.expected) for a in self.agencies)
        return round(100 * done / total) if total else 100

    @property
    def complete(self):
        return [a for a in self.agencies if a.state == "complete"]

    @property
    def late(self):
        return [a for a in self.agencies if a.state == "late"]

    @property
    def missing(self):
        return [a for a in self.agencies if a.state == "missing"]


def plans_completeness(*, plans, year: int, today: datetime.date) -> list[Completeness]:
    """Completeness of several plans for ``year`` in one pass (four queries, and three
    for the groups' members per due date of the plans)."""
    plans = list(plans)
    tasks_by_plan = {plan.pk: [] for plan in plans}
    for task in (
        task_queryset()
        .filter(plan__in=plans)
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=TaskReport.objects.filter(role=AssignmentRole.LEAD, year=year),
                to_attr="year_reports",
            )
        )
    ):
        tasks_by_plan[task.plan_id].append(task)
    groups_by_date: dict[datetime.date, dict] = {}
    for plan in plans:
        groups = groups_by_date.setdefault(plan.report_due_date(year), {})
        for task in tasks_by_plan[plan.pk]:
            groups.update(
                (a.agency_id, a.agency)
                for a in task.assignments.all()
                if a.role == AssignmentRole.LEAD and a.agency.is_group
            )
    members = {
        date: groups_members(groups.values(), on=date) for date, groups in groups_by_date.items()
    }
    return [
        _completeness(
            plan, tasks_by_plan[plan.pk], year, today, members[plan.report_due_date(year)]
        )
        for plan in plans
    ]


@dataclass
class CompletenessRate:
    """A plan's reporting rate for a year, without the detail (:class:`Completeness`)."""

    plan: object
    year: int
    due: datetime.date
    days_left: int
    expected: int
    received: int
    agencies_missing: int

    @property
    def rate(self) -> int:
        return round(100 * self.received / self.expected) if self.expected else 100


def plans_completeness_rates(*, plans, year: int, today: datetime.date) -> list[CompletenessRate]:
    """Each plan's reporting rate for ``year``, from its stored summary when current
    (``CompletenessSummary``): one query; the plans without one are computed by
    :func:`plans_completeness` and their summaries stored."""
    plans = list(plans)
    since = timezone.now() - datetime.timedelta(minutes=settings.KTTT_COMPLETENESS_MAX_AGE_MINUTES)
    stored = {
        s.plan_id: s
        for s in CompletenessSummary.objects.filter(
            plan__in=plans, year=year, computed_at__gte=since
        )
    }
    todo = [plan for plan in plans if plan.pk not in stored]
    if todo:
        now = timezone.now()
        computed = [
            CompletenessSummary(
                plan=c.plan,
                year=year,
                expected=sum(a.expected for a in c.agencies),
                received=sum(min(a.submitted, a.expected) for a in c.agencies),
                agencies_missing=len(c.missing),
                computed_at=now,
            )
            for c in plans_completeness(plans=todo, year=year, today=today)
        ]
        CompletenessSummary.objects.bulk_create(
            computed,
            update_conflicts=True,
            unique_fields=["plan", "year"],
            update_fields=["expected", "received", "agencies_missing", "computed_at"],
        )
        stored.update((s.plan_id, s) for s in computed)
    rates = []
    for plan in plans:
        summary, due = stored[plan.pk], plan.report_due_date(year)
        rates.append(
            CompletenessRate(
                plan,
                year,
                due,
                (due - today).days,
                summary.expected,
                summary.received,
                summary.agencies_missing,
            )
        )
    return rates


def plan_completeness(*, plan, year: int, today: datetime.date) -> Completeness:
    """Which lead agencies have submitted their reports for ``year`` (like DHIS2's
    reporting rate), which are missing, which were late; days left to the plan's date."""
    return plans_completeness(plans=[plan], year=year, today=today)[0]


def _completeness(plan, tasks, year: int, today: datetime.date, members) -> Completeness:
    rows: dict[int, AgencyCompleteness] = {}
    for task in tasks:
        deadline = task.deadline
        completed_before = any(
            r.progress == ReportProgress.COMPLETED and r.year < year for r in task.lead_reports
        )
        if not task_expects_report(deadline, year, completed_before=completed_before):
            continue
        due = task_report_due(task, year)
        counted = {r.agency_id: r for r in task.year_reports if r.is_counted}
        named = {a.agency_id for a in task.assignments.all()}
        for assignment in task.assignments.all():
            if assignment.role != AssignmentRole.LEAD:
                continue
            row = rows.setdefault(assignment.agency_id, AgencyCompleteness(assignment.agency))
            group = members.get(assignment.agency_id)
            if group is None:
                row.count(counted.get(assignment.agency_id), task, due)
                continue
            row.group = group
            # A member named on the task itself reports there, in its own role.
            owing = [m for m in group.members if m.pk not in named]
            if not group.members:  # nobody can send it until the members are entered
                row.count(None, task, due)
            for member in owing:
                report = counted.get(member.pk)
                row.member_rows.setdefault(member.pk, AgencyCompleteness(member)).count(
                    report, task, due
                )
                row.count(report, task, due)
    due = plan.report_due_date(year)
    agencies = sorted(
        rows.values(), key=lambda r: (r.state != "missing", vn_sort_key(r.agency.name))
    )
    return Completeness(plan, year, due, (due - today).days, agencies)


TIMELINESS_CSS = {
    Timeliness.COMPLETED_ON_TIME: "achieved",
    Timeliness.COMPLETED_LATE: "on_track",
    Timeliness.WITHIN_DEADLINE: "no_data",
    Timeliness.OVERDUE: "behind",
    Timeliness.NOT_YET_DUE: "no_data",
}
