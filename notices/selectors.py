"""Which reminders are due: agencies whose reports on the tasks they lead are still
missing, a configured number of days before the reports' due date."""

import datetime
from dataclasses import dataclass, field

from plans.models import Plan, PlanYear
from tasks.selectors import plans_completeness, task_report_due

from .models import ReminderSent


@dataclass
class Reminder:
    """One message to one agency: its missing reports of one plan due on one day."""

    plan: Plan
    agency: object
    year: int
    due: datetime.date
    days_left: int
    days_before: int
    tasks: list = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.plan.pk, self.agency.pk, self.year, self.due, self.days_before)


def reminders_due(*, today: datetime.date, days: list[int]) -> list[Reminder]:
    """The reminders to send on ``today``: for each lead agency with reports of this year
    still missing, per plan and due date (a task's own date, else the plan's, else 15/12),
    when the date is at most one of ``days`` away. Of those days the smallest that applies
    names the reminder, so a run that missed a day sends one reminder, not several; a
    reminder already sent (:class:`ReminderSent`) is left out. Final years are left out; a
    group of bodies (which has no users) is not reminded, its members are, each of its own
    missing reports (``plans.groups``)."""
    year = today.year
    final = set(PlanYear.objects.filter(year=year, is_final=True).values_list("plan_id", flat=True))
    plans = [
        plan
        for plan in Plan.objects.select_related("locality").order_by("slug")
        if plan.pk not in final and plan.start_year <= year
    ]
    sent = {
        (r.plan_id, r.agency_id, r.year, r.due_on, r.days_before)
        for r in ReminderSent.objects.filter(year=year)
    }
    reminders = []
    for completeness in plans_completeness(plans=plans, year=year, today=today):
        for agency, tasks_missing in _owing(completeness):
            by_due: dict[datetime.date, list] = {}
            for task in tasks_missing:
                by_due.setdefault(task_report_due(task, year), []).append(task)
            for due, tasks in sorted(by_due.items()):
                days_left = (due - today).days
                applicable = [day for day in days if 0 <= days_left <= day]
                if not applicable:
                    continue
                reminder = Reminder(
                    completeness.plan, agency, year, due, days_left, min(applicable), tasks
                )
                if reminder.key not in sent:
                    reminders.append(reminder)
    return reminders


def _owing(completeness) -> list[tuple]:
    """[(agency, tasks whose report it still owes)…]: the lead agencies, and for a group
    of bodies its members; an agency owing as itself and as a member is reminded once."""
    owing: dict[int, tuple] = {}
    for row in completeness.missing:
        rows = row.member_rows.values() if row.is_group else [row]
        for each in rows:
            if each.state != "missing":
                continue
            _agency, tasks = owing.setdefault(each.agency.pk, (each.agency, []))
            tasks.extend(t for t in each.tasks_missing if t not in tasks)
    return list(owing.values())
