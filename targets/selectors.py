"""Reads for targets and figures."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from plans.models import Plan
from plans.places import Place, PlaceIndex, figure_place, plan_places
from plans.years import figure_years

from .models import Figure, FigureSheet, Indicator, IndicatorDefinition, Target


@dataclass(frozen=True)
class EntryIndicators:
    """What an entry page asks for: counts and directly typed values (``inputs``: the
    indicators the plans target first, then the standard statistics), and the shares and
    averages computed from them (``derived``). ``targeted`` holds the ids of the first
    group."""

    inputs: list[Indicator]
    derived: list[Indicator]
    targeted: frozenset[int] = frozenset()

    @property
    def groups(self) -> list[tuple[str, list[Indicator]]]:
        first = [i for i in self.inputs if i.pk in self.targeted]
        rest = [i for i in self.inputs if i.pk not in self.targeted]
        return [
            (name, items) for name, items in (("targets", first), ("statistics", rest)) if items
        ]


def definitions_in_force(indicators, year: int) -> dict[int, str]:
    """Each indicator's definition for ``year`` (the text in force then, else its
    description), in one query."""
    indicators = list(indicators)
    texts = {i.pk: i.description for i in indicators}
    latest: dict[int, int] = {}
    rows = IndicatorDefinition.objects.filter(
        indicator__in=indicators, from_year__lte=year
    ).values_list("indicator_id", "from_year", "text")
    for indicator_id, from_year, text in rows:
        if from_year >= latest.get(indicator_id, 0):
            latest[indicator_id] = from_year
            texts[indicator_id] = text
    return texts


def _order(indicator):
    return (indicator.order, indicator.code)


def _entry_indicators(targeted_indicators, *, statistics: bool) -> EntryIndicators:
    inputs, derived = {}, {}

    def add(indicator):
        if indicator.is_derived:
            derived[indicator.pk] = indicator
            inputs.setdefault(indicator.numerator.pk, indicator.numerator)
            inputs.setdefault(indicator.denominator.pk, indicator.denominator)
        else:
            inputs.setdefault(indicator.pk, indicator)

    for indicator in targeted_indicators:
        add(indicator)
    targeted = frozenset(inputs)
    if statistics:
        for indicator in Indicator.objects.filter(
            in_statistics=True, is_active=True
        ).select_related("numerator", "denominator"):
            add(indicator)
    first = sorted((i for i in inputs.values() if i.pk in targeted), key=_order)
    rest = sorted((i for i in inputs.values() if i.pk not in targeted), key=_order)
    return EntryIndicators(first + rest, sorted(derived.values(), key=_order), targeted)


def plan_indicators(*, plan: Plan) -> EntryIndicators:
    """The indicators a plan's targets need (no other statistics)."""
    targeted = Indicator.objects.filter(targets__plan=plan).select_related(
        "numerator", "denominator"
    )
    return _entry_indicators(set(targeted), statistics=False)


def place_indicators(*, place: Place) -> EntryIndicators:
    """What a place's entry page asks for: the indicators targeted by the plans reading it
    (by the plans of its former localities too, for a whole locality), then the standard
    statistics."""
    readers = [place.reader.pk] if place.area else list(place.locality.figure_reader_ids())
    targeted = Indicator.objects.filter(targets__plan__locality_id__in=readers).select_related(
        "numerator", "denominator"
    )
    entry = _entry_indicators(set(targeted), statistics=True)
    return entry


def _place_filter(place: Place) -> Q:
    return Q(locality=place.locality, year=place.year) & (
        Q(area=place.area) if place.area else Q(area__isnull=True)
    )


def place_figures(*, places: list[Place]) -> dict[tuple[str, int], Figure]:
    """The figures of several places (each year its own place), keyed by (code, year)."""
    if not places:
        return {}
    condition = Q()
    for place in places:
        condition |= _place_filter(place)
    figures = Figure.objects.filter(condition).select_related("indicator", "entered_by")
    return {(f.indicator.code, f.year): f for f in figures}


def previous_figures(place: Place) -> dict[tuple[str, int], Figure]:
    """The figures of the year before, for the same territory: a former locality's part of
    2025 compares with the former locality's own 2024 figures."""
    return place_figures(places=[figure_place(place.reader, place.year - 1)])


def plan_figures(*, plan: Plan, years: list[int] | None = None) -> dict[tuple[str, int], Figure]:
    """The figures a plan reads, keyed by (indicator code, year): its locality's, and after
    a merger its part of the successor's (:mod:`plans.places`). One query."""
    if years is None:
        years = list(figure_years(plan))
    places = plan_places(plan, years)
    figures = (
        Figure.objects.filter(year__in=years)
        .filter(Q(locality=plan.locality, area__isnull=True) | Q(area=plan.locality))
        .select_related("indicator", "entered_by")
    )
    wanted = {(p.year, p.locality.pk, p.area.pk if p.area else None) for p in places.values()}
    return {
        (f.indicator.code, f.year): f
        for f in figures
        if (f.year, f.locality_id, f.area_id) in wanted
    }


def figure_values(*, plan: Plan) -> dict[tuple[str, int], Decimal]:
    return {key: f.value for key, f in plan_figures(plan=plan).items()}


def plans_figure_values(plans) -> dict[int, dict[tuple[str, int], Decimal]]:
    """For many plans at once, each plan's values keyed by (code, year): the localities
    that hold their figures (a query per generation of mergers), then the figures (one),
    whatever the number of plans."""
    locality_ids = {p.locality_id for p in plans}
    index = PlaceIndex.around({p.locality for p in plans}, formers=False)
    columns = ("locality_id", "area_id", "indicator__code", "year", "value")
    # Two indexed searches joined by UNION ALL: with OR, SQLite scans every figure.
    wholes = Figure.objects.filter(locality_id__in=locality_ids, area__isnull=True)
    parts = Figure.objects.filter(area_id__in=locality_ids)
    rows = (
        wholes.order_by()
        .values_list(*columns)
        .union(parts.order_by().values_list(*columns), all=True)
    )
    by_place: dict[tuple, dict] = {}
    for locality_id, area_id, code, year, value in rows:
        by_place.setdefault((locality_id, area_id, year), {})[(code, year)] = value
    values: dict[int, dict] = {}
    years = {y for (_l, _a, y) in by_place}
    for plan in plans:
        own: dict = {}
        for year in years:
            own.update(by_place.get((*index.key(plan.locality_id, year), year), {}))
        values[plan.pk] = own
    return values


def figure_sheet(*, place: Place) -> FigureSheet | None:
    return FigureSheet.objects.filter(
        locality=place.locality, area=place.area, year=place.year
    ).first()


def figure_history(*, place: Place, limit: int = 50) -> list[dict]:
    """Recent changes to a place's figures for a year: who, when, old and new value, reason."""
    records = list(
        Figure.history.filter(locality=place.locality, area=place.area, year=place.year)
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
    figures = plan_figures(plan=plan)
    values = {key: f.value for key, f in figures.items()}
    has_demo = any(f.is_demo for f in figures.values())
    for target in targets:
        target.progress = target_progress(
            target,
            values,
            start_year=plan.start_year,
            base_year=plan.baseline_year,
            as_of_year=as_of_year,
        )
    charts = []
    seen = set()
    for target in targets:
        indicator = target.indicator
        if indicator is None or indicator.pk in seen or target.is_yearly:
            continue
        seen.add(indicator.pk)
        same = [t for t in targets if t.indicator_id == indicator.pk and not t.is_yearly]
        years = range(plan.baseline_year, as_of_year + 1)
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
            if p.baseline_year is None or p.baseline is None:
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


def merged_places(*, plan: Plan, years) -> list[Place]:
    """The years in which a plan reads its part of another locality's figures (after a
    merger), one place per distinct host: what the plan page says about its figures."""
    seen, out = set(), []
    for place in plan_places(plan, years).values():
        if place.area is not None and place.locality.pk not in seen:
            seen.add(place.locality.pk)
            out.append(place)
    return out
