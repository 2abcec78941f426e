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


def plan_progress(*, plan: Plan, as_of_year: int):
    """Targets with their progress attached (``target.progress``) and one chart per
    numeric indicator that has figures. Two queries."""
    from .charts import progress_chart
    from .progress import indicator_value, target_progress

    targets = list(target_list(plan=plan))
    values = figure_values(plan=plan)
    has_demo = Figure.objects.filter(plan=plan, is_demo=True).exists()
    for target in targets:
        target.progress = target_progress(
            target, values, start_year=plan.start_year, as_of_year=as_of_year
        )
    charts = []
    seen = set()
    for target in targets:
        indicator = target.indicator
        if indicator is None or indicator.pk in seen or target.is_yearly:
            continue
        seen.add(indicator.pk)
        same = [t for t in targets if t.indicator_id == indicator.pk and not t.is_yearly]
        years = range(plan.start_year - 1, as_of_year + 1)
        if indicator.is_flow:
            series, running = {}, 0
            for year in range(plan.start_year, as_of_year + 1):
                if (indicator.code, year) in values:
                    running += values[(indicator.code, year)]
                    series[year] = running
        else:
            series = {
                y: v for y in years if (v := indicator_value(indicator, y, values)) is not None
            }
        if not series:
            continue
        lines = []
        for t in same:
            p = t.progress
            if p.baseline_year is None:
                continue
            lines.append(
                (
                    p.baseline_year,
                    p.baseline,
                    t.milestone_year,
                    t.value,
                    f"{t.milestone_label}: {t.value_label}",
                )
            )
        title = indicator.name + (" (cộng dồn)" if indicator.is_flow else "")
        charts.append(progress_chart(indicator, series, lines, title=title))
    return targets, charts, has_demo
