"""Saving figures: all or nothing, consistent, never silently overwritten, locked when
the report is final, every change in the history."""

from decimal import Decimal as D

import pytest

from targets.models import FigureSheet
from targets.services import (
    FigureInput,
    FiguresInvalid,
    FiguresLocked,
    FiguresStale,
    figures_save,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    """Any plan will do (the indicators are the shared catalogue's)."""
    return f.PlanFactory()


@pytest.fixture
def staff(plan):
    return f.plan_staff(plan)


def save(plan, user, version=0, confirm=False, **values):
    return figures_save(
        plan=plan,
        year=2025,
        values={code: FigureInput(value=v if v is None else D(v)) for code, v in values.items()},
        user=user,
        version=version,
        confirm_warnings=confirm,
    )


def test_save_creates_figures_and_bumps_the_version(plan, staff):
    sheet = save(plan, staff, htx_count=300, htx_members=15000)
    assert sheet.version == 1
    figure = f.figures_of(plan).get(indicator__code="htx_count", year=2025)
    assert figure.value == D(300) and figure.entered_by == staff
    assert figure.status == "estimated"


def test_one_bad_value_saves_nothing(plan, staff):
    with pytest.raises(FiguresInvalid) as info:
        save(plan, staff, htx_count=300, htx_members=100)  # fewer members than HTX
    assert "htx_members" in info.value.errors
    assert not f.figures_of(plan).filter().exists()
    assert not FigureSheet.objects.filter(version__gt=0).exists()


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"htx_count": 10, "htx_effective": 11}, "htx_effective"),
        ({"htx_rated": 10, "htx_good_fair": 12}, "htx_good_fair"),
        ({"tht_count": 10, "tht_members": 9}, "tht_members"),
        ({"women_director_share": 101}, "women_director_share"),
        ({"htx_count": D("10.5")}, "htx_count"),
        ({"htx_good_fair_share": 50}, "htx_good_fair_share"),  # computed, not entered
    ],
)
def test_errors_per_cell(plan, staff, values, code):
    with pytest.raises(FiguresInvalid) as info:
        save(plan, staff, **values)
    assert code in info.value.errors


def test_consistency_uses_values_already_saved(plan, staff):
    save(plan, staff, htx_count=300)
    with pytest.raises(FiguresInvalid) as info:
        save(plan, staff, version=1, htx_effective=301)
    assert "htx_effective" in info.value.errors


def test_big_move_from_last_year_needs_a_note_or_confirmation(plan, staff):
    figures_save(
        plan=plan,
        year=2024,
        values={"htx_count": FigureInput(D(200))},
        user=staff,
        version=0,
    )
    with pytest.raises(FiguresInvalid) as info:
        save(plan, staff, htx_count=400)
    assert not info.value.errors and info.value.warnings[0].code == "htx_count"
    assert not f.figures_of(plan).filter(year=2025).exists()
    save(plan, staff, confirm=True, htx_count=400)
    assert f.figures_of(plan).get(year=2025).value == D(400)


def test_a_note_explains_a_big_move(plan, staff):
    """A note on the moved value stands for the confirmation: saved at once, note kept."""
    figures_save(
        plan=plan,
        year=2024,
        values={"htx_count": FigureInput(D(200))},
        user=staff,
        version=0,
    )
    sheet = figures_save(
        plan=plan,
        year=2025,
        user=staff,
        version=0,
        values={"htx_count": FigureInput(D(400), note="Sáp nhập địa giới hành chính")},
    )
    assert sheet.version == 1
    figure = f.figures_of(plan).get(indicator__code="htx_count", year=2025)
    assert (figure.value, figure.note) == (D(400), "Sáp nhập địa giới hành chính")


def test_a_blank_note_does_not_explain_a_big_move(plan, staff):
    figures_save(
        plan=plan, year=2024, values={"htx_count": FigureInput(D(200))}, user=staff, version=0
    )
    with pytest.raises(FiguresInvalid) as info:
        figures_save(
            plan=plan,
            year=2025,
            user=staff,
            version=0,
            values={"htx_count": FigureInput(D(400), note="   ")},
        )
    assert [w.code for w in info.value.warnings] == ["htx_count"]
    assert not f.figures_of(plan).filter(year=2025).exists()


def test_stale_save_is_refused_and_says_what_changed(plan, staff, leader):
    save(plan, staff, htx_count=300)
    # two people open the form at version 1, showing 300
    figures_save(
        plan=plan,
        year=2025,
        values={"htx_count": FigureInput(D(310))},
        user=leader,
        version=1,
        seen={"htx_count": D(300)},
    )
    with pytest.raises(FiguresStale) as info:
        figures_save(
            plan=plan,
            year=2025,
            values={"htx_count": FigureInput(D(320))},
            user=staff,
            version=1,
            seen={"htx_count": D(300)},
        )
    change = info.value.changes[0]
    assert (change.indicator.code, change.seen, change.current, change.by) == (
        "htx_count",
        D(300),
        D(310),
        leader,
    )
    assert f.figures_of(plan).get(year=2025).value == D(310)


def test_clearing_a_value_deletes_it(plan, staff):
    save(plan, staff, htx_count=300)
    save(plan, staff, version=1, htx_count=None)
    assert not f.figures_of(plan).filter().exists()


def test_locked_year_refuses_and_reopening_is_recorded(plan, staff, admin_user):
    from plans.years import plan_year_close, plan_year_reopen

    plan_year_close(
        plan=plan,
        year=2025,
        user=admin_user,
        reason="Báo cáo năm 2025 đã ban hành",
    )
    with pytest.raises(FiguresLocked):
        save(plan, staff, htx_count=300)
    row = plan_year_reopen(
        plan=plan,
        year=2025,
        user=admin_user,
        reason="Mở lại để sửa số liệu chính thức",
    )
    save(plan, staff, version=0, htx_count=300)
    reasons = [h.history_change_reason for h in row.history.order_by("history_date")]
    assert "Mở lại để sửa số liệu chính thức" in reasons
    assert row.history.filter(history_user=admin_user).count() == 2


def test_year_outside_the_plan_is_refused(plan, staff):
    for year in [plan.start_year - 2, 2099]:
        with pytest.raises(FiguresInvalid):
            figures_save(
                plan=plan,
                year=year,
                values={"htx_count": FigureInput(D(1))},
                user=staff,
                version=0,
            )


def test_history_keeps_old_and_new_values_and_the_reason(plan, staff):
    from plans.places import plan_place
    from targets.selectors import figure_history

    save(plan, staff, htx_count=300)
    figures_save(
        plan=plan,
        year=2025,
        values={"htx_count": FigureInput(D(305))},
        user=staff,
        version=1,
        reason="Số liệu chính thức của Cục Thống kê",
    )
    history = figure_history(place=plan_place(plan, 2025))
    assert (history[0]["old"], history[0]["new"]) == (D(300), D(305))
    assert history[0]["reason"] == "Số liệu chính thức của Cục Thống kê"
    assert (history[1]["old"], history[1]["new"]) == (None, D(300))
