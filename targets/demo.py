"""Plausible demo figures for 2022–2025, marked ``is_demo`` and shown as demo data.

Deterministic: every indicator moves from a share of its nearest target towards it, with
a per-indicator pace so that some targets are on track and some behind. Saved through
``figures_save`` so the demo data passes the same checks as typed data.
"""

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from plans.models import Plan
from plans.places import plan_place

from .models import Figure, FigureSheet, Target
from .selectors import plan_indicators
from .services import FigureInput, figures_save
from .validation import MEMBERS_OF

DEMO_YEARS = [2022, 2023, 2024, 2025]
DEFAULT_COUNTS = {"kttt_count": 450, "htx_rated": 0, "kttt_rated": 0}


def _pace(code: str, slug: str) -> Decimal:
    digest = hashlib.sha256(f"{slug}:{code}".encode()).digest()[0]
    return Decimal(60 + digest % 35) / 100  # 0.60 – 0.94 of the target by 2025


def _path(target: Decimal, pace: Decimal, year: int, whole: bool) -> Decimal:
    start = target * pace * Decimal("0.8")
    end = target * pace * Decimal("1.1") if pace > Decimal("0.85") else target * pace
    value = start + (end - start) * (year - DEMO_YEARS[0]) / (DEMO_YEARS[-1] - DEMO_YEARS[0])
    return value.quantize(Decimal("1") if whole else Decimal("0.1"), ROUND_HALF_UP)


def _nearest_targets(plan: Plan) -> dict[str, Target]:
    nearest = {}
    for target in Target.objects.filter(plan=plan, indicator__isnull=False).select_related(
        "indicator"
    ):
        key = target.indicator.code
        rank = 0 if target.is_yearly else target.milestone_year
        if key not in nearest or rank < nearest[key][0]:
            nearest[key] = (rank, target)
    return {code: target for code, (_rank, target) in nearest.items()}


def demo_values(plan: Plan) -> dict[int, dict[str, Decimal]]:
    """Year → {indicator code: value} for a plan's entry indicators."""
    entry = plan_indicators(plan=plan)
    targets = _nearest_targets(plan)
    years = [y for y in DEMO_YEARS if y >= plan.start_year - 1]
    result = {year: {} for year in years}
    for year in years:
        values = result[year]
        for indicator in entry.inputs:
            code = indicator.code
            target = targets.get(code)
            if target is None:
                continue
            if target.newly_founded or indicator.is_flow:
                per_year = (
                    target.value
                    if target.is_yearly
                    else target.value / (target.milestone_year - plan.start_year + 1)
                )
                pace = _pace(code, plan.slug) + Decimal("0.2")
                values[code] = (per_year * pace).quantize(Decimal("1"), ROUND_HALF_UP)
                if year < plan.start_year:
                    values.pop(code)
            else:
                values[code] = _path(target.value, _pace(code, plan.slug), year, indicator.is_count)
        # an organisation has at least one member
        for orgs, members in MEMBERS_OF:
            if orgs in values and members in values:
                values[members] = max(values[members], values[orgs])
        # computed shares: pick a denominator, then the numerator from the share's path
        for indicator in entry.derived:
            target = targets[indicator.code]
            numerator, denominator = indicator.numerator.code, indicator.denominator.code
            if denominator not in values or denominator not in targets:
                base = values.get("htx_count") or Decimal(DEFAULT_COUNTS.get(denominator) or 120)
                values[denominator] = (base * Decimal("0.85")).quantize(Decimal("1"))
            share = _path(target.value, _pace(indicator.code, plan.slug), year, False)
            share = min(share, Decimal(100))
            values[numerator] = (values[denominator] * share / 100).quantize(
                Decimal("1"), ROUND_HALF_UP
            )
        for part, whole in (
            ("htx_effective", "htx_count"),
            ("htx_hightech", "htx_count"),
            ("htx_rated", "htx_count"),
            ("kttt_effective", "kttt_count"),
            ("htx_good_fair", "htx_rated"),
            ("kttt_good_fair", "kttt_rated"),
        ):
            if part in values and whole in values and values[part] > values[whole]:
                values[part] = values[whole]
    return result


@transaction.atomic
def demo_figures_create(*, user=None) -> int:
    """Create demo figures for every place a plan reads that has none (figures belong to
    places: a second plan of a locality reads the first one's); returns the number saved."""
    saved = 0
    for plan in Plan.objects.all():
        for year, values in demo_values(plan).items():
            place = plan_place(plan, year)
            where = {"locality": place.locality, "area": place.area, "year": year}
            if not values or Figure.objects.filter(**where).exists():
                continue
            sheet = FigureSheet.objects.filter(**where).first()
            status = "estimated" if year == DEMO_YEARS[-1] else "final"
            figures_save(
                place=place,
                year=year,
                values={
                    code: FigureInput(value=v, status=status, source="Dữ liệu minh họa")
                    for code, v in values.items()
                },
                user=user,
                version=sheet.version if sheet else 0,
                confirm_warnings=True,
                reason="Dữ liệu minh họa",
                is_demo=True,
            )
            saved += len(values)
    return saved
