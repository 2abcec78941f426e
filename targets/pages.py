"""Page data for the figure pages, as plain data: the views only pass it on."""

from dataclasses import dataclass

from common.formatting import vn_number
from plans.places import Place, PlaceIndex, areas_in, entry_years, figure_place, reading_plans
from plans.years import final_plans

from . import selectors
from .excel import figure_template_xlsx
from .models import Figure, FigureSheet, Target
from .progress import indicator_value
from .services import FigureInput


@dataclass
class FigureEntryPage:
    """What the figure page of a place and year shows (:mod:`plans.places`): the
    indicators entered and derived, grouped (the plans' targets first, then the standard
    statistics), the figures of the year and the two before it (for the same territory),
    the sheet (its version), the plans reading the figures and whether the year is final."""

    place: Place
    inputs: list
    derived: list
    groups: list
    years: list[int]
    figures: dict[tuple[str, int], Figure]
    sheet: FigureSheet | None
    plans: list
    final_plans: list
    areas: list
    entry_years: list[int]

    @property
    def year(self) -> int:
        return self.place.year

    @property
    def is_final(self) -> bool:
        return bool(self.final_plans)

    @property
    def version(self) -> int:
        return self.sheet.version if self.sheet else 0


def figure_entry_page(
    *, place: Place, index: PlaceIndex | None = None, years: list[int] | None = None
) -> FigureEntryPage:
    entry = selectors.place_indicators(place=place)
    year = place.year
    columns = [year - 2, year - 1, year]  # the years shown side by side
    plans = list(reading_plans(place))
    final = final_plans(plans=plans, year=year)
    index = index or PlaceIndex.of_place(place)
    return FigureEntryPage(
        place=place,
        inputs=entry.inputs,
        derived=entry.derived,
        groups=entry.groups,
        years=columns,
        figures=selectors.place_figures(
            places=[figure_place(place.reader, y) for y in columns[:-1]] + [place]
        ),
        sheet=selectors.figure_sheet(place=place),
        plans=plans,
        final_plans=[p for p in plans if p.pk in final],
        areas=areas_in(place.locality, year, index) if place.area is None else [],
        entry_years=years if years is not None else entry_years(place, index=index),
    )


def figure_entry_initial(page: FigureEntryPage) -> dict:
    """The form's initial values: the year's stored figures, as the page writes them."""
    initial = {"version": page.version}
    for indicator in page.inputs:
        figure = page.figures.get((indicator.code, page.year))
        if figure is not None:
            code = indicator.code
            initial[f"v_{code}"] = vn_number(figure.value)
            initial[f"s_{code}"] = figure.status
            initial[f"n_{code}"] = figure.note
            initial[f"src_{code}"] = figure.source
            initial[f"seen_{code}"] = str(figure.value)
    return initial


def figure_entry_inputs(cleaned_data: dict, inputs) -> dict[str, FigureInput]:
    """The values a submitted figure form asks to save, per indicator code."""
    return {
        i.code: FigureInput(
            value=cleaned_data[f"v_{i.code}"],
            status=cleaned_data[f"s_{i.code}"],
            note=cleaned_data[f"n_{i.code}"].strip(),
            source=cleaned_data[f"src_{i.code}"].strip(),
        )
        for i in inputs
    }


def figure_entry_seen(cleaned_data: dict, inputs) -> dict:
    """The values the user saw when the page was opened (the stale-save check)."""
    return {i.code: cleaned_data[f"seen_{i.code}"] for i in inputs}


def figure_entry_refreshed(data, page: FigureEntryPage):
    """A copy of submitted form data carrying the current version and values, after
    someone else saved: submitting it again is a deliberate overwrite."""
    fresh = figure_entry_page(place=page.place)
    data = data.copy()
    data["version"] = str(fresh.version)
    for indicator in page.inputs:
        figure = fresh.figures.get((indicator.code, page.year))
        data[f"seen_{indicator.code}"] = str(figure.value) if figure else ""
    return data


def targets_by_indicator(*, plans) -> dict[int, list]:
    """The targets of the plans reading a place, per indicator (one query)."""
    by_indicator: dict[int, list] = {}
    targets = Target.objects.filter(plan__in=plans, indicator__isnull=False).select_related(
        "indicator", "plan"
    )
    for target in targets.order_by("plan__slug", "is_yearly", "milestone_year", "order"):
        by_indicator.setdefault(target.indicator_id, []).append(target)
    return by_indicator


def figure_entry_rows(page: FigureEntryPage, form) -> dict:
    """The table rows: each entered indicator with its fields, last years' figures and
    targets; each derived indicator with its computed values."""
    by_indicator = targets_by_indicator(plans=page.plans)
    values = {key: f.value for key, f in page.figures.items()}
    group_of = {i.pk: name for name, items in page.groups for i in items}
    definitions = selectors.definitions_in_force(page.inputs + page.derived, page.year)
    rows = [
        {
            "indicator": indicator,
            "fields": fields,
            "previous": [page.figures.get((indicator.code, y)) for y in page.years[:-1]],
            "targets": by_indicator.get(indicator.id, []),
            "current": page.figures.get((indicator.code, page.year)),
            "group": group_of.get(indicator.pk, "statistics"),
            "definition": definitions.get(indicator.pk, ""),
        }
        for indicator, fields in form.rows()
    ]
    row_groups = [
        (name, [row for row in rows if row["group"] == name])
        for name in ("targets", "statistics")
        if any(row["group"] == name for row in rows)
    ]
    derived_rows = [
        {
            "indicator": indicator,
            "values": [indicator_value(indicator, y, values) for y in page.years],
            "targets": by_indicator.get(indicator.id, []),
        }
        for indicator in page.derived
    ]
    return {"rows": rows, "row_groups": row_groups, "derived_rows": derived_rows}


def figure_template(*, place: Place) -> bytes:
    """The Excel template of a place's figures for a year, pre-filled."""
    page = figure_entry_page(place=place)
    return figure_template_xlsx(
        place=place,
        indicators=page.inputs,
        figures=page.figures,
        targets_by_indicator=targets_by_indicator(plans=page.plans),
        version=page.version,
    )
