"""Page data for the report pages, as plain data."""

from .models import AnnualReport


def report_index_rows(plans, *, this_year: int) -> tuple[list[dict], list[int]]:
    """Each plan with its years (newest first) and the stored report of each, if any; and
    every year any of the plans reports on (newest first)."""
    stored = {(r.plan_id, r.year): r for r in AnnualReport.objects.filter(plan__in=plans)}
    rows = [
        {
            "plan": plan,
            "years": [
                (year, stored.get((plan.pk, year)))
                for year in reversed(range(plan.start_year, this_year + 1))
            ],
        }
        for plan in plans
    ]
    years = list(range(min(p.start_year for p in plans), this_year + 1))[::-1]
    return rows, years
