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
    reminder already sent (:class:`ReminderSent`) is left out. Final years and groups of
    bodies (who have no users) are left out."""
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
        for row in completeness.missing:
            if row.agency.is_group:
                continue
            by_due: dict[datetime.date, list] = {}
            for task in row.tasks_missing:
                by_due.setdefault(task_report_due(task, year), []).append(task)
            for due, tasks in sorted(by_due.items()):
                days_left = (due - today).days
                applicable = [day for day in days if 0 <= days_left <= day]
                if not applicable:
                    continue
                reminder = Reminder(
                    completeness.plan, row.agency, year, due, days_left, min(applicable), tasks
                )
                if reminder.key not in sent:
                    reminders.append(reminder)
    return reminders
