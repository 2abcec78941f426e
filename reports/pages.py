"""Page data for the report pages, as plain data."""

import datetime

from django.db.models import Count

from plans.years import consolidated_years, reporting_years
from tasks.choices import ReportState
from tasks.models import TaskReport

from .choices import BuildStatus
from .models import AnnualReport, BuiltReportFile


def report_index_rows(plans, *, today: datetime.date) -> tuple[list[dict], list[int]]:
    """Each plan with its years (newest first) and the stored report of each, if any, and
    the years whose PDF the worker is building; and every year any of the plans reports
    on (newest first)."""
    stored = {(r.plan_id, r.year): r for r in AnnualReport.objects.filter(plan__in=plans)}
    building = set(
        BuiltReportFile.objects.filter(
            plan__in=plans, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]
        ).values_list("plan_id", "year")
    )
    rows = [
        {
            "plan": plan,
            "years": [
                (year, stored.get((plan.pk, year)))
                for year in reversed(reporting_years(plan, today=today))
            ],
            "building": {year for plan_id, year in building if plan_id == plan.pk},
        }
        for plan in plans
    ]
    years = list(reversed(consolidated_years(plans, today=today)))
    return rows, years


def finalise_locks(*, plan, year: int) -> dict:
    """What finalising the year's report locks, for the confirmation page: the year's
    task reports by state (``total``, ``accepted``, ``submitted`` still awaiting review,
    ``unsent`` drafts and returned reports, which can no longer be sent)."""
    counts = dict(
        TaskReport.objects.filter(task__plan=plan, year=year)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "total": sum(counts.values()),
        "accepted": counts.get(ReportState.ACCEPTED, 0),
        "submitted": counts.get(ReportState.SUBMITTED, 0),
        "unsent": counts.get(ReportState.DRAFT, 0) + counts.get(ReportState.RETURNED, 0),
    }
