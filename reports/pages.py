"""Page data for the report pages, as plain data."""

import datetime

from plans.years import consolidated_years, reporting_years

from .models import AnnualReport


def report_index_rows(plans, *, today: datetime.date) -> tuple[list[dict], list[int]]:
    """Each plan with its years (newest first) and the stored report of each, if any; and
    every year any of the plans reports on (newest first)."""
    stored = {(r.plan_id, r.year): r for r in AnnualReport.objects.filter(plan__in=plans)}
    rows = [
        {
            "plan": plan,
            "years": [
                (year, stored.get((plan.pk, year)))
                for year in reversed(reporting_years(plan, today=today))
            ],
        }
        for plan in plans
    ]
    years = list(reversed(consolidated_years(plans, today=today)))
    return rows, years
