"""Task timeliness in the Government Office's terms. Pure functions, no database.

* A task with an overall deadline (a year, a range of years, a quarter) is *completed on
  time* when the lead agency's report says completed on or before the last day
  (``completed_on``, else the day it was submitted), *completed late* after it; not
  completed: *within the deadline* until the last day, *overdue* after it; *not yet due*
  for a year before the deadline's first year.
* "Thường xuyên" / "Hàng năm" tasks (and tasks whose deadline is not stated) are never
  overdue as a whole but must be reported every year: a year's report submitted by the
  due date (the phrase's own "trước ngày 15/12", else the plan's, else 15/12) counts as
  on time, after it as late; a report still missing after the due date is overdue.

These functions are the definition. ``tasks.selectors.overdue_q`` is their SQL translation
(the "overdue" filter, the leadership dashboard): change both together;
``tests/tasks/test_rules_agree.py`` checks on generated data that they select the same tasks.
"""

import datetime
from dataclasses import dataclass

from plans.models import yearly_due_date

from .choices import DeadlineKind, ReportProgress, Timeliness
from .deadlines import Deadline

OVERALL = (DeadlineKind.YEAR, DeadlineKind.YEAR_RANGE, DeadlineKind.QUARTER)


@dataclass(frozen=True)
class LeadReport:
    """What timeliness needs of a lead agency's submitted (or accepted) report."""

    year: int
    progress: str
    completed_on: datetime.date | None
    submitted_on: datetime.date | None


def report_due_date(
    deadline: Deadline, year: int, plan_due: tuple[int, int] | None = None
) -> datetime.date:
    """When a year's report on the task is due: the phrase's own date ("trước ngày 20/10
    hằng năm"), else the plan's (``Plan.report_due``), else 15/12 (one rule for the date:
    ``plans.models.yearly_due_date``)."""
    if deadline.due_day is not None and deadline.due_month is not None:
        return yearly_due_date(year, (deadline.due_day, deadline.due_month))
    return yearly_due_date(year, plan_due)


def task_timeliness(
    deadline: Deadline,
    reports: list[LeadReport],
    *,
    year: int,
    today: datetime.date,
    plan_due: tuple[int, int] | None = None,
) -> str:
    """The task's state as seen in ``year`` (for a report of that year) on ``today``."""
    submitted = [r for r in reports if r.submitted_on is not None]
    if deadline.kind in OVERALL and deadline.due_date() is not None:
        due = deadline.due_date()
        completed = [
            r for r in submitted if r.progress == ReportProgress.COMPLETED and r.year <= year
        ]
        if completed:
            first = min(completed, key=lambda r: r.completed_on or r.submitted_on)
            done_on = first.completed_on or first.submitted_on
            return Timeliness.COMPLETED_ON_TIME if done_on <= due else Timeliness.COMPLETED_LATE
        if year < deadline.year_from:
            return Timeliness.NOT_YET_DUE
        return Timeliness.WITHIN_DEADLINE if today <= due else Timeliness.OVERDUE
    due = report_due_date(deadline, year, plan_due)
    this_year = [r for r in submitted if r.year == year]
    if this_year:
        first = min(this_year, key=lambda r: r.submitted_on)
        return (
            Timeliness.COMPLETED_ON_TIME
            if first.submitted_on <= due
            else (Timeliness.COMPLETED_LATE)
        )
    return Timeliness.WITHIN_DEADLINE if today <= due else Timeliness.OVERDUE


def task_expects_report(deadline: Deadline, year: int, *, completed_before: bool) -> bool:
    """Whether the lead agency owes a report on the task for ``year``."""
    if deadline.kind in OVERALL:
        return year >= deadline.year_from and not completed_before
    return True
