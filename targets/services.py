"""Writes for figures and targets. All-or-nothing: a save either passes every check and
writes every value, or raises and writes nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from common.limits import too_long
from plans.models import Plan
from plans.places import Place, entry_years, plan_place, reading_plans
from plans.years import YearIsFinal, figure_years, year_ensure_open

from .choices import FigureStatus
from .models import Figure, FigureSheet, Indicator, Target
from .selectors import previous_figures
from .validation import Problem, big_change_warnings, consistency_problems, value_problems


@dataclass(frozen=True)
class FigureInput:
    value: Decimal | None
    status: str = "estimated"
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Change:
    """A value someone else saved since the user opened the form."""

    indicator: Indicator
    seen: Decimal | None
    current: Decimal | None
    by: object
    at: object


class FiguresError(Exception):
    """Nothing was saved."""


class FiguresLocked(FiguresError):
    """The year is final (its report was finalised)."""


@dataclass
class FiguresStale(FiguresError):
    changes: list[Change]


@dataclass
class FiguresInvalid(FiguresError):
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    general: list[str] = field(default_factory=list)


def place_ensure_open(place: Place) -> None:
    """Raise :class:`FiguresLocked` if a plan reading the place has finalised the year.
    Inside the caller's transaction: each reading plan's year row stays locked until it
    commits (``plans.years.year_ensure_open``)."""
    for plan in reading_plans(place):
        try:
            year_ensure_open(plan=plan, year=place.year)
        except YearIsFinal as exc:
            message = _(
                "The figures for %(year)s of %(place)s are locked: the report of %(plan)s "
                "for that year has been finalised. An administrator can reopen the year."
            ) % {"year": place.year, "place": place.label, "plan": plan}
            raise FiguresLocked(message) from exc


@transaction.atomic
def figures_save(
    *,
    year: int,
    values: dict[str, FigureInput],
    user,
    version: int,
    place: Place | None = None,
    plan: Plan | None = None,
    seen: dict[str, Decimal | None] | None = None,
    confirm_warnings: bool = False,
    reason: str = "",
    is_demo: bool = False,
) -> FigureSheet:
    """Save a place's figures for a year, all or nothing (``plan``: the place the plan
    reads that year, :mod:`plans.places`).

    ``values`` maps indicator codes to inputs (``value=None`` clears a figure). ``version``
    is the sheet version the user's form was built from: if another save happened since,
    :class:`FiguresStale` lists what changed (compared with ``seen``, the values the user
    was shown). Consistency errors and unconfirmed >50 % moves raise
    :class:`FiguresInvalid`.
    """
    if place is None:
        if plan is None:
            raise TypeError("figures_save needs a place or a plan")
        years = figure_years(plan)
        if year not in years:
            raise FiguresInvalid(
                general=[
                    _("Figures can be entered for %(first)s to %(last)s only.")
                    % {"first": years[0], "last": years[-1]}
                ]
            )
        place = plan_place(plan, year)
    elif year != place.year or year not in entry_years(place):
        raise FiguresInvalid(general=[_("No figures are kept for this year.")])
    place_ensure_open(place)
    where = {"locality": place.locality, "area": place.area, "year": year}
    FigureSheet.objects.get_or_create(**where)
    sheet = FigureSheet.objects.select_for_update().get(**where)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    unknown = set(values) - set(indicators)
    if unknown:
        raise FiguresInvalid(general=[_("Unknown indicators: %s") % ", ".join(sorted(unknown))])
    existing = {
        f.indicator.code: f
        for f in Figure.objects.select_for_update(of=("self",))
        .filter(**where)
        .select_related("indicator", "entered_by")
    }
    if sheet.version != version:
        raise FiguresStale(changes=_changes_since(seen or {}, existing, indicators))

    errors: dict[str, list[str]] = {}
    for code, item in values.items():
        problems = value_problems(
            item.value, is_count=indicators[code].is_count, is_share=indicators[code].is_share
        )
        problems += too_long(Figure, note=item.note, source=item.source).values()
        if item.status not in FigureStatus.values:
            problems.append(_("Unknown status."))
        if problems:
            errors.setdefault(code, []).extend(problems)
        if indicators[code].is_derived:
            errors.setdefault(code, []).append(_("This share is computed, not entered."))
    merged = {code: f.value for code, f in existing.items()}
    merged.update({code: item.value for code, item in values.items()})
    all_names = dict(Indicator.objects.values_list("code", "name"))
    for problem in consistency_problems(merged, all_names):
        errors.setdefault(problem.code, []).append(problem.message)
    previous = {code: f.value for (code, _year), f in previous_figures(place).items()}
    changed_values = {
        code: item.value
        for code, item in values.items()
        if item.value is not None and (code not in existing or existing[code].value != item.value)
    }
    warnings = big_change_warnings(
        changed_values, previous, {c: i.note for c, i in values.items()}, all_names
    )
    if errors or (warnings and not confirm_warnings):
        raise FiguresInvalid(errors=errors, warnings=warnings)

    for code, item in values.items():
        figure = existing.get(code)
        if item.value is None:
            if figure is not None:
                figure._change_reason = reason
                figure._history_user = user
                figure.delete()
            continue
        if figure is None:
            figure = Figure(
                locality=place.locality, area=place.area, indicator=indicators[code], year=year
            )
        elif (figure.value, figure.status, figure.note, figure.source) == (
            item.value,
            item.status,
            item.note,
            item.source,
        ):
            continue
        figure.value = item.value
        figure.status = item.status
        figure.note = item.note
        figure.source = item.source
        figure.entered_by = user
        figure.is_demo = is_demo
        figure._change_reason = reason
        figure._history_user = user
        figure.save()
    sheet.version += 1
    sheet.save(update_fields=["version", "changed_at"])
    return sheet


def _changes_since(seen, existing, indicators) -> list[Change]:
    changes = []
    for code in sorted(set(seen) | set(existing)):
        current = existing[code].value if code in existing else None
        before = seen.get(code)
        if code in seen and before != current:
            figure = existing.get(code)
            indicator = indicators.get(code) or (figure.indicator if figure else None)
            if indicator is None:
                indicator = Indicator.objects.get(code=code)
            changes.append(
                Change(
                    indicator=indicator,
                    seen=before,
                    current=current,
                    by=figure.entered_by if figure else None,
                    at=figure.entered_at if figure else None,
                )
            )
    return changes


@transaction.atomic
def target_save(*, target: Target, user, reason: str) -> Target:
    """Save a corrected or new target, with the reason the history keeps."""
    target.full_clean()
    target._change_reason = reason
    target._history_user = user
    target.save()
    return target
