"""Page data for the figure pages, as plain data: the views only pass it on."""

from dataclasses import dataclass

from common.formatting import vn_number
from plans.years import year_is_final

from . import selectors
from .excel import figure_template_xlsx
from .models import Figure, FigureSheet
from .progress import indicator_value
from .services import FigureInput


@dataclass
class FigureEntryPage:
    """What the figure page of a plan and year shows: the indicators entered and derived,
    the figures of the year and the two before it, the sheet (its version) and whether
    the year is final."""

    plan: object
    year: int
    inputs: list
    derived: list
    years: list[int]
    figures: dict[tuple[str, int], Figure]
    sheet: FigureSheet | None
    is_final: bool

    @property
    def version(self) -> int:
        return self.sheet.version if self.sheet else 0


def figure_entry_page(*, plan, year: int) -> FigureEntryPage:
    entry = selectors.plan_indicators(plan=plan)
    years = [year - 2, year - 1, year]
    return FigureEntryPage(
        plan=plan,
        year=year,
        inputs=entry.inputs,
        derived=entry.derived,
        years=years,
        figures=selectors.plan_figures(plan=plan, years=years),
        sheet=selectors.figure_sheet(plan=plan, year=year),
        is_final=year_is_final(plan=plan, year=year),
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
    fresh = figure_entry_page(plan=page.plan, year=page.year)
    data = data.copy()
    data["version"] = str(fresh.version)
    for indicator in page.inputs:
        figure = fresh.figures.get((indicator.code, page.year))
        data[f"seen_{indicator.code}"] = str(figure.value) if figure else ""
    return data


def targets_by_indicator(*, plan) -> dict[int, list]:
    by_indicator: dict[int, list] = {}
    for target in selectors.target_list(plan=plan):
        if target.indicator_id:
            by_indicator.setdefault(target.indicator_id, []).append(target)
    return by_indicator


def figure_entry_rows(page: FigureEntryPage, form) -> dict:
    """The table rows: each entered indicator with its fields, last years' figures and
    targets; each derived indicator with its computed values."""
    by_indicator = targets_by_indicator(plan=page.plan)
    values = {key: f.value for key, f in page.figures.items()}
    rows = [
        {
            "indicator": indicator,
            "fields": fields,
            "previous": [page.figures.get((indicator.code, y)) for y in page.years[:-1]],
            "targets": by_indicator.get(indicator.id, []),
            "current": page.figures.get((indicator.code, page.year)),
        }
        for indicator, fields in form.rows()
    ]
    derived_rows = [
        {
            "indicator": indicator,
            "values": [indicator_value(indicator, y, values) for y in page.years],
            "targets": by_indicator.get(indicator.id, []),
        }
        for indicator in page.derived
    ]
    return {"rows": rows, "derived_rows": derived_rows}


def figure_template(*, plan, year: int) -> bytes:
    """The Excel template of a plan's figures for a year, pre-filled."""
    page = figure_entry_page(plan=plan, year=year)
    return figure_template_xlsx(
        plan=plan,
        year=year,
        indicators=page.inputs,
        figures=selectors.plan_figures(plan=plan, years=[year - 1, year]),
        targets_by_indicator=targets_by_indicator(plan=plan),
        version=page.version,
    )
