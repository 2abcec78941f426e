"""Writes for figures and targets. All-or-nothing: a save either passes every check and
writes every value, or raises and writes nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from common.limits import too_long
from plans.models import Plan
from plans.years import YearIsFinal, figure_years, year_ensure_open

from .choices import FigureStatus
from .models import Figure, FigureSheet, Indicator, Target
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


@transaction.atomic
def figures_save(
    *,
    plan: Plan,
    year: int,
    values: dict[str, FigureInput],
    user,
    version: int,
    seen: dict[str, Decimal | None] | None = None,
    confirm_warnings: bool = False,
    reason: str = "",
    is_demo: bool = False,
) -> FigureSheet:
    """Save a plan's figures for a year, all or nothing.

    ``values`` maps indicator codes to inputs (``value=None`` clears a figure). ``version``
    is the sheet version the user's form was built from: if another save happened since,
    :class:`FiguresStale` lists what changed (compared with ``seen``, the values the user
    was shown). Consistency errors and unconfirmed >50 % moves raise
    :class:`FiguresInvalid`.
    """
    years = figure_years(plan)
    if year not in years:
        raise FiguresInvalid(
            general=[
                _("Figures can be entered for %(first)s to %(last)s only.")
                % {"first": years[0], "last": years[-1]}
            ]
        )
    try:
        year_ensure_open(plan=plan, year=year)
    except YearIsFinal as exc:
        raise FiguresLocked(exc.message) from exc
    FigureSheet.objects.get_or_create(plan=plan, year=year)
    sheet = FigureSheet.objects.select_for_update().get(plan=plan, year=year)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=values)}
    unknown = set(values) - set(indicators)
    if unknown:
        raise FiguresInvalid(general=[_("Unknown indicators: %s") % ", ".join(sorted(unknown))])
    existing = {
        f.indicator.code: f
        for f in Figure.objects.select_for_update(of=("self",))
        .filter(plan=plan, year=year)
        .select_related("indicator", "entered_by")
    }
    if sheet.version != version:
        raise FiguresStale(changes=_changes_since(seen or {}, existing, indicators))

    errors: dict[str, list[str]] = {}
    for code, item in values.items():
        problems = value_problems(item.value, is_count=indicators[code].is_count)
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
    previous = {
        code: value
        for code, value in Figure.objects.filter(plan=plan, year=year - 1).values_list(
            "indicator__code", "value"
        )
    }
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
            figure = Figure(plan=plan, indicator=indicators[code], year=year)
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
