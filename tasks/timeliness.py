"""Task timeliness in the Government Office's terms. Pure functions, no database.

* A task with an overall deadline (a year, a range of years, a quarter, a half-year, a
  month, a date: ``Deadline.due_date()``) is *completed on time* when the lead agency's
  report says completed on or before the last day (``completed_on``, else the day it was
  submitted), *completed late* after it; not completed: *within the deadline* until the
  last day, *overdue* after it; *not yet due* for a year before the deadline's first year
  (a "trước ngày …" deadline has none: it is reported on every year until completed).
* Recurring tasks ("Thường xuyên", "Hằng năm", "Hằng quý", "Định kỳ 6 tháng", "Năm 2025 và
  các năm tiếp theo"; and tasks whose deadline is not stated or not understood) are never
  overdue as a whole but must be reported every year: a year's report submitted by the
  due date (a recurring phrase's own "trước ngày 15/12", else the plan's, else 15/12)
  counts as on time, after it as late; a report still missing after the due date is
  overdue. A task "from a year onward" is *not yet due* before that year.

These functions are the definition. ``tasks.selectors.overdue_q`` is their SQL translation
(the "overdue" filter, the leadership dashboard): change both together;
``tests/tasks/test_rules_agree.py`` checks on generated data that they select the same tasks.
"""

import datetime
from dataclasses import dataclass

from plans.models import yearly_due_date

from .choices import ReportProgress, Timeliness
from .deadlines import OVERALL_KINDS, Deadline


@dataclass(frozen=True)
class LeadReport:
    """What timeliness needs of a lead agency's submitted (or accepted) report."""

    year: int
    progress: str
    completed_on: datetime.date | None
    submitted_on: datetime.date | None
    accepted: bool = True


def report_due_date(
    deadline: Deadline, year: int, plan_due: tuple[int, int] | None = None
) -> datetime.date:
    """When a year's report on the task is due: a recurring phrase's own date ("trước ngày
    20/10 hằng năm"), else the plan's (``Plan.report_due``), else 15/12 (one rule for the
    date: ``plans.models.yearly_due_date``). The last day of an overall deadline ("trước
    ngày 30/6/2025") is the task's, not its yearly report's."""
    if deadline.is_recurring and deadline.due_day is not None and deadline.due_month is not None:
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
    due = deadline.due_date()
    decisive = _decisive_report(deadline, reports, year)
    if due is not None:
        if decisive is not None:
            done_on = decisive.completed_on or decisive.submitted_on
            return Timeliness.COMPLETED_ON_TIME if done_on <= due else Timeliness.COMPLETED_LATE
        if not _started(deadline, year):
            return Timeliness.NOT_YET_DUE
        return Timeliness.WITHIN_DEADLINE if today <= due else Timeliness.OVERDUE
    if not _started(deadline, year):
        return Timeliness.NOT_YET_DUE
    if decisive is not None:
        due = report_due_date(deadline, year, plan_due)
        on_time = decisive.submitted_on <= due
        return Timeliness.COMPLETED_ON_TIME if on_time else Timeliness.COMPLETED_LATE
    due = report_due_date(deadline, year, plan_due)
    return Timeliness.WITHIN_DEADLINE if today <= due else Timeliness.OVERDUE


def awaiting_review(deadline: Deadline, reports: list[LeadReport], *, year: int) -> bool:
    """Whether the task's state in ``year`` rests on a lead report the plan's staff have
    not accepted yet ("chờ duyệt"). The state still counts the submission date."""
    decisive = _decisive_report(deadline, reports, year)
    return decisive is not None and not decisive.accepted


def _decisive_report(deadline: Deadline, reports: list[LeadReport], year: int):
    """The submitted lead report the task's state in ``year`` rests on, if any: for an
    overall deadline the first report saying completed (in ``year`` or before), for any
    other task the year's first report."""
    submitted = [r for r in reports if r.submitted_on is not None]
    if deadline.due_date() is not None:
        completed = [
            r for r in submitted if r.progress == ReportProgress.COMPLETED and r.year <= year
        ]
        return min(completed, key=lambda r: r.completed_on or r.submitted_on, default=None)
    if not _started(deadline, year):
        return None
    this_year = [r for r in submitted if r.year == year]
    return min(this_year, key=lambda r: r.submitted_on, default=None)


def task_expects_report(deadline: Deadline, year: int, *, completed_before: bool) -> bool:
    """Whether the lead agency owes a report on the task for ``year``."""
    if not _started(deadline, year):
        return False
    return not (deadline.kind in OVERALL_KINDS and completed_before)


def _started(deadline: Deadline, year: int) -> bool:
    """Whether ``year`` is within the task's years: from the deadline's first year, if it
    has one ("Năm 2025", "Từ năm 2025"; not "Trước ngày 30/6/2025")."""
    return deadline.year_from is None or year >= deadline.year_from
