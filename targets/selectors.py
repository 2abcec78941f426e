"""Reads for targets and figures."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from plans.models import Plan

from .models import Figure, FigureSheet, Indicator, Target


@dataclass(frozen=True)
class EntryIndicators:
    """What a plan's entry page asks for: counts and directly typed shares (``inputs``), and
    the shares computed from them (``derived``)."""

    inputs: list[Indicator]
    derived: list[Indicator]


def plan_indicators(*, plan: Plan) -> EntryIndicators:
    targeted = {
        t.indicator
        for t in Target.objects.filter(plan=plan, indicator__isnull=False).select_related(
            "indicator__numerator", "indicator__denominator"
        )
    }
    inputs, derived = set(), set()
    for indicator in targeted:
        if indicator.is_derived:
            derived.add(indicator)
            inputs.update([indicator.numerator, indicator.denominator])
        else:
            inputs.add(indicator)
    order = lambda i: (i.order, i.code)  # noqa: E731
    return EntryIndicators(sorted(inputs, key=order), sorted(derived, key=order))


def plan_figures(*, plan: Plan, years: list[int] | None = None) -> dict[tuple[str, int], Figure]:
    """The plan's figures keyed by (indicator code, year)."""
    figures = Figure.objects.filter(plan=plan).select_related("indicator", "entered_by")
    if years is not None:
        figures = figures.filter(year__in=years)
    return {(f.indicator.code, f.year): f for f in figures}


def figure_values(*, plan: Plan) -> dict[tuple[str, int], Decimal]:
    return {
        (code, year): value
        for code, year, value in Figure.objects.filter(plan=plan).values_list(
            "indicator__code", "year", "value"
        )
    }


def figure_sheet(*, plan: Plan, year: int) -> FigureSheet | None:
    return FigureSheet.objects.filter(plan=plan, year=year).first()


def figure_history(*, plan: Plan, year: int, limit: int = 50) -> list[dict]:
    """Recent changes to a plan's figures for a year: who, when, old and new value, reason."""
    records = list(
        Figure.history.filter(plan=plan, year=year)
        .select_related("history_user", "indicator")
        .order_by("-history_date", "-history_id")[: limit * 2]
    )
    previous = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        record.old_value = previous.get(record.id)
        previous[record.id] = None if record.history_type == "-" else record.value
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    return [
        {
            "when": r.history_date,
            "user": r.history_user,
            "indicator": r.indicator,
            "old": r.old_value,
            "new": None if r.history_type == "-" else r.value,
            "kind": r.history_type,
            "reason": r.history_change_reason or "",
            "note": r.note,
        }
        for r in records[:limit]
    ]


def target_list(*, plan: Plan) -> QuerySet[Target]:
    return plan.targets.select_related(
        "indicator", "indicator__numerator", "indicator__denominator", "parent"
    ).order_by("is_yearly", "milestone_year", "order")
