"""Progress against targets: one module, pure functions, no database access.

Rules:

* The value of an indicator in a year is its figure; a computed share is the numerator's
  figure ÷ the denominator's × 100, a computed average the total's figure ÷ the count's
  (both needed; never an average of averages).
* Comparators: a target is *achieved* when the latest value satisfies it: exact and
  "at least" / "từ … trở lên" / "tối thiểu" need value ≥ target; "trên" needs value >
  target; "khoảng" needs value ≥ 95 % of the target; a range "08-10" needs value ≥ the
  lower bound (above the upper bound is reported as exceeding it).
* Stock targets (counts and shares at a milestone) use the latest figure up to the
  milestone. Progress runs from the **base year**'s figure (the plan's base year, "so
  với năm 2022"; by default the year before the plan starts) along a straight line to the
  target at the milestone year: value ≥ the line → *on track*, below → *behind*; past the
  milestone and not achieved → *behind*.
* Without the base year's figure there is no line: a target not yet achieved is *not
  enough data* ("chưa đủ số liệu", ``missing_years`` names the base year to enter), never
  *on track*. The first figure entered is never taken as the baseline.
* "Thành lập mới" milestone targets sum the yearly new counts from the plan's start year;
  the line runs from 0 the year before the start. A year missing in between makes the sum
  *not enough data* (``missing_years`` lists them) unless it already reaches the target.
* Yearly targets judge the latest year with a figure on its own.
* "Trong đó" targets are judged on their own indicator (a share of the parent group, or a
  count), and carry their parent's result so pages can show them nested.
* No figure at all → *no data*. Qualitative targets have no status.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .choices import LOWER_BOUND_COMPARATORS, Comparator, ProgressStatus

ABOUT_TOLERANCE = Decimal("0.95")
HUNDRED = Decimal(100)

Values = dict[tuple[str, int], Decimal]


@dataclass(frozen=True)
class Progress:
    target: object
    status: str | None
    year: int | None = None
    value: Decimal | None = None
    share: Decimal | None = None  # % of the target reached
    expected: Decimal | None = None
    baseline_year: int | None = None
    baseline: Decimal | None = None
    exceeds_range: bool = False
    computed_from: tuple[Decimal, Decimal] | None = None
    missing_years: tuple[int, ...] = ()

    def get_status_display(self) -> str:
        from .choices import ProgressStatus

        return str(ProgressStatus(self.status).label) if self.status else ""

    @property
    def bar_width(self) -> int:
        """Width of a progress bar, 0–100."""
        if self.share is None:
            return 0
        return int(max(0, min(100, self.share)))


def indicator_value(indicator, year: int, values: Values) -> Decimal | None:
    """The indicator's value in ``year``: its figure, or a share or an average computed
    from the totals."""
    if indicator.numerator_id:
        numerator = values.get((indicator.numerator.code, year))
        denominator = values.get((indicator.denominator.code, year))
        if numerator is None or not denominator:
            return None
        if indicator.computation == "average":
            return (numerator / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return (numerator / denominator * HUNDRED).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return values.get((indicator.code, year))


def satisfies(comparator: str, value: Decimal, target: Decimal) -> bool:
    if comparator == Comparator.MORE_THAN:
        return value > target
    if comparator == Comparator.ABOUT:
        return value >= target * ABOUT_TOLERANCE
    if comparator in LOWER_BOUND_COMPARATORS or comparator in (
        Comparator.EXACT,
        Comparator.RANGE,
    ):
        return value >= target
    raise ValueError(f"no numeric comparison for {comparator!r}")


def _share(value: Decimal, target: Decimal) -> Decimal | None:
    if not target:
        return None
    return (value / target * HUNDRED).quantize(Decimal("0.1"), ROUND_HALF_UP)


def target_progress(
    target, values: Values, *, start_year: int, as_of_year: int, base_year: int | None = None
) -> Progress:
    """Progress of one target with a plan's figures (``values`` keyed by (code, year));
    ``base_year`` defaults to the year before ``start_year``."""
    if base_year is None:
        base_year = start_year - 1
    if target.comparator == Comparator.QUALITATIVE or target.indicator is None:
        return Progress(target, None)
    indicator = target.indicator
    threshold = target.value
    if target.is_yearly:
        return _yearly(target, indicator, values, start_year, as_of_year)
    milestone = target.milestone_year
    last_year = min(as_of_year, milestone)
    if target.newly_founded:
        return _cumulative(target, indicator, values, start_year, as_of_year, milestone)

    series = {}
    for year in range(min(base_year, start_year), last_year + 1):
        value = indicator_value(indicator, year, values)
        if value is not None:
            series[year] = value
    if not series:
        return Progress(target, ProgressStatus.NO_DATA)
    year = max(series)
    value = series[year]
    baseline = series.get(base_year)
    common = dict(
        year=year,
        value=value,
        share=_share(value, threshold),
        baseline_year=base_year,
        baseline=baseline,
        exceeds_range=bool(target.value_max is not None and value > target.value_max),
        computed_from=_computed_from(indicator, year, values),
    )
    if baseline is None or year == base_year:
        if satisfies(target.comparator, value, threshold):
            return Progress(target, ProgressStatus.ACHIEVED, **common)
        if as_of_year > milestone:
            return Progress(target, ProgressStatus.BEHIND, **common)
        missing = (base_year,) if baseline is None else ()
        return Progress(target, ProgressStatus.INSUFFICIENT, missing_years=missing, **common)
    expected = _line(base_year, baseline, milestone, threshold, year)
    status = _status(target, value, expected, threshold, baseline, past=as_of_year > milestone)
    return Progress(target, status, expected=expected, **common)


def _cumulative(target, indicator, values, start_year, as_of_year, milestone) -> Progress:
    years = [
        y
        for y in range(start_year, min(as_of_year, milestone) + 1)
        if (indicator.code, y) in values
    ]
    if not years:
        return Progress(target, ProgressStatus.NO_DATA)
    year = max(years)
    total = sum((values[(indicator.code, y)] for y in years), Decimal(0))
    expected = _line(start_year - 1, Decimal(0), milestone, target.value, year)
    status = _status(target, total, expected, target.value, Decimal(0), past=as_of_year > milestone)
    missing = tuple(y for y in range(start_year, year) if y not in years)
    if missing and status != ProgressStatus.ACHIEVED:
        status = ProgressStatus.INSUFFICIENT
    return Progress(
        target,
        status,
        missing_years=missing,
        year=year,
        value=total,
        share=_share(total, target.value),
        expected=expected,
        baseline_year=start_year - 1,
        baseline=Decimal(0),
    )


def _yearly(target, indicator, values, start_year, as_of_year) -> Progress:
    years = [
        y
        for y in range(start_year, as_of_year + 1)
        if indicator_value(indicator, y, values) is not None
    ]
    if not years:
        return Progress(target, ProgressStatus.NO_DATA)
    year = max(years)
    value = indicator_value(indicator, year, values)
    achieved = satisfies(target.comparator, value, target.value)
    return Progress(
        target,
        ProgressStatus.ACHIEVED if achieved else ProgressStatus.BEHIND,
        year=year,
        value=value,
        share=_share(value, target.value),
        expected=target.value,
    )


def _line(x0: int, y0: Decimal, x1: int, y1: Decimal, x: int) -> Decimal:
    if x1 <= x0:
        return y1
    fraction = Decimal(min(max(x - x0, 0), x1 - x0)) / Decimal(x1 - x0)
    return (y0 + (y1 - y0) * fraction).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _status(target, value, expected, threshold, baseline, *, past: bool) -> str:
    if satisfies(target.comparator, value, threshold):
        return ProgressStatus.ACHIEVED
    if past:
        return ProgressStatus.BEHIND
    rising = threshold >= baseline
    on_line = value >= expected if rising else value <= expected
    return ProgressStatus.ON_TRACK if on_line else ProgressStatus.BEHIND


def _computed_from(indicator, year, values):
    if not indicator.numerator_id:
        return None
    return (
        values.get((indicator.numerator.code, year)),
        values.get((indicator.denominator.code, year)),
    )
