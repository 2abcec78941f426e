"""The progress rules, one comparator and one kind at a time (no database)."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from targets.choices import ProgressStatus as S
from targets.progress import indicator_value, satisfies, target_progress


def indicator(code="htx_count", numerator=None, denominator=None):
    return SimpleNamespace(
        code=code,
        numerator_id=1 if numerator else None,
        numerator=numerator,
        denominator=denominator,
        computation="share" if numerator else "",
    )


def target(
    comparator="exact",
    value=400,
    *,
    milestone=2025,
    yearly=False,
    value_max=None,
    new=False,
    ind=None,
):
    return SimpleNamespace(
        comparator=comparator,
        value=D(value) if value is not None else None,
        value_max=D(value_max) if value_max is not None else None,
        milestone_year=None if yearly else milestone,
        is_yearly=yearly,
        newly_founded=new,
        indicator=ind or indicator(),
    )


def progress(t, values, *, start=2023, as_of=2024):
    return target_progress(t, values, start_year=start, as_of_year=as_of)


@pytest.mark.parametrize(
    ("comparator", "value", "threshold", "ok"),
    [
        ("exact", 400, 400, True),
        ("exact", 399, 400, False),
        ("exact", 450, 400, True),
        ("more_than", 70, 70, False),
        ("more_than", 71, 70, True),
        ("at_least", 30, 30, True),
        ("at_least", 29, 30, False),
        ("or_more", 30, 30, True),
        ("minimum", 20, 20, True),
        ("minimum", D("19.9"), 20, False),
        ("about", 95, 100, True),
        ("about", 94, 100, False),
        ("about", 120, 100, True),
        ("range", 8, 8, True),
        ("range", 7, 8, False),
    ],
)
def test_each_comparator(comparator, value, threshold, ok):
    assert satisfies(comparator, D(value), D(threshold)) is ok


def test_no_figure_is_no_data():
    assert progress(target(), {}).status == S.NO_DATA


def test_qualitative_target_has_no_status():
    t = target("qualitative", None)
    t.indicator = None
    assert progress(t, {}).status is None


def test_stock_target_on_the_line_is_on_track():
    """Bình Phước 2025: 400 HTX. Baseline 2022: 300; the line reaches 366.67 in 2024."""
    values = {("htx_count", 2022): D(300), ("htx_count", 2024): D(370)}
    p = progress(target("exact", 400, milestone=2025), values)
    assert p.status == S.ON_TRACK
    assert (p.baseline_year, p.baseline, p.expected) == (2022, D(300), D("366.67"))
    assert p.year == 2024 and p.value == D(370)
    assert p.share == D("92.5")


def test_stock_target_below_the_line_is_behind():
    values = {("htx_count", 2022): D(300), ("htx_count", 2024): D(340)}
    assert progress(target("exact", 400, milestone=2025), values).status == S.BEHIND


def test_stock_target_reached_is_achieved_and_bar_caps_at_100():
    values = {("htx_count", 2022): D(300), ("htx_count", 2024): D(420)}
    p = progress(target("exact", 400, milestone=2025), values)
    assert p.status == S.ACHIEVED
    assert p.share == D("105.0") and p.bar_width == 100


def test_more_than_needs_strictly_more():
    values = {("htx_count", 2022): D(50), ("htx_count", 2024): D(70)}
    assert progress(target("more_than", 70, milestone=2025), values).status != S.ACHIEVED
    values[("htx_count", 2024)] = D(71)
    assert progress(target("more_than", 70, milestone=2025), values).status == S.ACHIEVED


def test_about_accepts_five_percent_short():
    values = {("htx_count", 2022): D(50), ("htx_count", 2024): D(95)}
    assert progress(target("about", 100, milestone=2025), values).status == S.ACHIEVED


def test_range_uses_the_lower_bound_and_flags_exceeding():
    """Đắk Nông 2030: 25-30 member HTX."""
    values = {("lhhtx_member_htx", 2024): D(31)}
    t = target("range", 25, value_max=30, milestone=2030, ind=indicator("lhhtx_member_htx"))
    p = progress(t, values)
    assert p.status == S.ACHIEVED and p.exceeds_range
    values[("lhhtx_member_htx", 2024)] = D(24)
    assert progress(t, values).status != S.ACHIEVED


def test_missed_milestone_is_behind():
    values = {("htx_count", 2022): D(300), ("htx_count", 2025): D(390)}
    p = progress(target("exact", 400, milestone=2025), values, as_of=2026)
    assert p.status == S.BEHIND and p.year == 2025


def test_without_the_base_year_figure_progress_is_not_enough_data():
    """The first figure entered is never taken as the baseline (it made every new plan
    "on track" in its first year)."""
    values = {("htx_count", 2023): D(320), ("htx_count", 2024): D(330)}
    p = progress(target("exact", 400, milestone=2025), values)
    assert p.status == S.INSUFFICIENT
    assert p.baseline_year == 2022 and p.baseline is None and p.missing_years == (2022,)


def test_one_year_of_a_share_is_not_on_track():
    """The issue's case: 9,2 % against "ít nhất 20 %" with only the 2025 figure."""
    share = indicator("women_director_share")
    values = {("women_director_share", 2025): D("9.2")}
    p = progress(target("at_least", 20, milestone=2030, ind=share), values, as_of=2025)
    assert p.status == S.INSUFFICIENT and p.missing_years == (2022,)


def test_a_target_reached_needs_no_baseline():
    values = {("htx_count", 2025): D(410)}
    p = progress(target("exact", 400, milestone=2030), values, as_of=2025)
    assert p.status == S.ACHIEVED


def test_the_plan_base_year_sets_the_line():
    values = {("htx_count", 2020): D(300), ("htx_count", 2024): D(360)}
    p = target_progress(
        target("exact", 400, milestone=2025),
        values,
        start_year=2023,
        base_year=2020,
        as_of_year=2025,
    )
    assert p.baseline_year == 2020 and p.baseline == D(300)
    assert p.expected == D("380.00") and p.status == S.BEHIND


def test_newly_founded_sum_with_a_missing_year_is_not_enough_data():
    values = {("htx_new", 2023): D(5), ("htx_new", 2025): D(5)}
    new = target("exact", 40, milestone=2030, new=True, ind=indicator("htx_new"))
    p = progress(new, values, as_of=2025)
    assert p.status == S.INSUFFICIENT and p.missing_years == (2024,)


def test_an_average_is_computed_from_totals():
    average = SimpleNamespace(
        code="htx_avg_revenue",
        numerator_id=1,
        numerator=indicator("htx_revenue_total"),
        denominator=indicator("htx_count"),
        computation="average",
    )
    values = {("htx_revenue_total", 2025): D(3000), ("htx_count", 2025): D(4)}
    assert indicator_value(average, 2025, values) == D("750.00")


def test_figures_after_the_milestone_are_not_used_for_it():
    values = {("htx_count", 2022): D(300), ("htx_count", 2025): D(390), ("htx_count", 2026): D(500)}
    p = progress(target("exact", 400, milestone=2025), values, as_of=2026)
    assert p.year == 2025 and p.status == S.BEHIND


def test_computed_share():
    """A share computed from counts: HTX rated tốt/khá ÷ HTX rated."""
    share = indicator(
        "htx_good_fair_share",
        numerator=indicator("htx_good_fair"),
        denominator=indicator("htx_rated"),
    )
    values = {("htx_good_fair", 2024): D(45), ("htx_rated", 2024): D(70)}
    assert indicator_value(share, 2024, values) == D("64.3")
    assert indicator_value(share, 2023, values) is None
    t = target("more_than", 60, milestone=2030, ind=share)
    p = progress(t, values)
    assert p.status == S.ACHIEVED and p.computed_from == (D(45), D(70))
    assert (
        indicator_value(share, 2024, {("htx_good_fair", 2024): D(1), ("htx_rated", 2024): D(0)})
        is None
    )


def test_share_target_on_track():
    share = indicator("population_share")
    values = {("population_share", 2022): D(5), ("population_share", 2024): D(6)}
    t = target("minimum", 20, milestone=2045, ind=share)
    p = progress(t, values)
    # line from 5 (2022) to 20 (2045): 2024 expects 6.30
    assert p.expected == D("6.30") and p.status == S.BEHIND


def test_newly_founded_milestone_target_sums_the_yearly_counts():
    """Kon Tum 2030: khoảng 300 THT thành lập mới, counted from the start (2022)."""
    t = target("about", 300, milestone=2030, new=True, ind=indicator("tht_new"))
    values = {("tht_new", 2022): D(30), ("tht_new", 2023): D(40), ("tht_new", 2024): D(45)}
    p = progress(t, values, start=2022, as_of=2024)
    assert p.value == D(115)
    # line from 0 (2021) to 300 (2030): 2024 expects 100
    assert p.expected == D("100.00") and p.status == S.ON_TRACK
    assert progress(t, {("tht_new", 2021): D(999)}, start=2022, as_of=2024).status == S.NO_DATA


def test_yearly_target_judges_the_latest_year_alone():
    """Yên Bái: hằng năm thành lập mới từ 30 tổ hợp tác trở lên."""
    t = target("or_more", 30, yearly=True, ind=indicator("tht_new"))
    values = {("tht_new", 2023): D(35), ("tht_new", 2024): D(28)}
    p = progress(t, values)
    assert p.year == 2024 and p.status == S.BEHIND
    values[("tht_new", 2024)] = D(31)
    assert progress(t, values).status == S.ACHIEVED


def test_of_which_child_is_judged_on_its_own_share():
    """ "70% HTX hiệu quả, trong đó ít nhất 50% tham gia chuỗi giá trị": the child share is
    of the parent group and is judged by its own comparator."""
    child = target("at_least", 50, milestone=2030, ind=indicator("htx_value_chain_share"))
    values = {("htx_value_chain_share", 2024): D(52)}
    assert progress(child, values).status == S.ACHIEVED
