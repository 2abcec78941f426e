"""A plan's years: which years it keeps reports and figures for, and whether a year is
final (the one rule every path that writes a year's data asks: figures, task reports and
their reviews, uploads, the report, the admin).

Reporting years run from the plan's start year to the current year: task reports, the
annual report and its downloads, completeness, ``build_report``. Figures go further back:
the plan's base year (by default the year before it starts) is the baseline its targets'
progress is measured from (``targets.progress``), so :func:`figure_years` starts there.

A year becomes final when its annual report is finalised, and only an administrator's
reopening, with a reason, makes it editable again. Writers call :func:`year_ensure_open`
inside their transaction: the year's row is then locked until they commit, so a
finalisation cannot slip in between the check and the write.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Plan, PlanYear


def reporting_years(plan: Plan, *, today: datetime.date | None = None) -> range:
    """Years the plan keeps reports for: its start year to this year."""
    return range(plan.start_year, _this_year(today) + 1)


def figure_years(plan: Plan, *, today: datetime.date | None = None) -> range:
    """Years a plan reads figures for: its base year (by default the year before it
    starts), then its reporting years."""
    return range(plan.baseline_year, _this_year(today) + 1)


def consolidated_years(plans: Iterable[Plan], *, today: datetime.date | None = None) -> range:
    """Years a consolidated report of several plans covers: any of their reporting years."""
    starts = [plan.start_year for plan in plans]
    if not starts:
        return range(0)
    return range(min(starts), _this_year(today) + 1)


def _this_year(today: datetime.date | None) -> int:
    return (today or timezone.localdate()).year


class YearIsFinal(ValidationError):
    """The year's report has been finalised: its data cannot change."""

    def __init__(self, year: int):
        super().__init__(
            _(
                "The report for %(year)s has been finalised: the year's figures and task "
                "reports are locked. An administrator can reopen the year."
            )
            % {"year": year},
            code="year_final",
        )
        self.year = year


def year_is_final(*, plan: Plan, year: int) -> bool:
    return PlanYear.objects.filter(plan=plan, year=year, is_final=True).exists()


def final_plans(*, plans: Iterable[Plan], year: int) -> set[int]:
    """The ids of those plans whose ``year`` is final (one query)."""
    return set(
        PlanYear.objects.filter(plan__in=list(plans), year=year, is_final=True).values_list(
            "plan_id", flat=True
        )
    )


def final_years(*, plan: Plan) -> set[int]:
    return set(PlanYear.objects.filter(plan=plan, is_final=True).values_list("year", flat=True))


def _locked_row(plan: Plan, year: int) -> PlanYear:
    return PlanYear.objects.select_for_update().get_or_create(plan=plan, year=year)[0]


def year_ensure_open(*, plan: Plan, year: int) -> None:
    """Raise :class:`YearIsFinal` if the year is final. Call it inside the writer's
    transaction: the year's row stays locked until the caller commits, so every writer of
    a plan's year (and its finalisation) queues behind the others: this row is the lock
    of the year's data."""
    if _locked_row(plan, year).is_final:
        raise YearIsFinal(year)


@transaction.atomic
def plan_year_close(*, plan: Plan, year: int, user, reason: str) -> PlanYear:
    """Make the year final (its report has been finalised)."""
    row = _locked_row(plan, year)
    if row.is_final:
        raise YearIsFinal(year)
    row.is_final = True
    row.reason = reason[:255]
    row._history_user = user
    row._change_reason = reason
    row.save()
    return row


@transaction.atomic
def plan_year_reopen(*, plan: Plan, year: int, user, reason: str) -> PlanYear:
    """An administrator reopens a final year, giving the reason the history keeps."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."))
    row = _locked_row(plan, year)
    if not row.is_final:
        raise ValidationError(_("This report is not finalised."))
    row.is_final = False
    row.reason = reason.strip()[:255]
    row._history_user = user
    row._change_reason = reason.strip()
    row.save()
    return row
