"""Saving figures: all or nothing, consistent, never silently overwritten, locked when
the report is final, every change in the history."""

from decimal import Decimal as D

import pytest

from targets.models import Figure, FigureSheet
from targets.services import (
    FigureInput,
    FiguresInvalid,
    FiguresLocked,
    FiguresStale,
    figures_save,
)

pytestmark = pytest.mark.django_db


def save(plan, user, version=0, confirm=False, **values):
    return figures_save(
        plan=plan,
        year=2025,
        values={code: FigureInput(value=v if v is None else D(v)) for code, v in values.items()},
        user=user,
        version=version,
        confirm_warnings=confirm,
    )


def test_save_creates_figures_and_bumps_the_version(dak_nong, plan_staff):
    sheet = save(dak_nong, plan_staff, htx_count=300, htx_members=15000)
    assert sheet.version == 1
    figure = Figure.objects.get(plan=dak_nong, indicator__code="htx_count", year=2025)
    assert figure.value == D(300) and figure.entered_by == plan_staff
    assert figure.status == "estimated"


def test_one_bad_value_saves_nothing(dak_nong, plan_staff):
    with pytest.raises(FiguresInvalid) as info:
        save(dak_nong, plan_staff, htx_count=300, htx_members=100)  # fewer members than HTX
    assert "htx_members" in info.value.errors
    assert not Figure.objects.filter(plan=dak_nong).exists()
    assert not FigureSheet.objects.filter(plan=dak_nong, version__gt=0).exists()


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
def test_errors_per_cell(dak_nong, plan_staff, values, code):
    with pytest.raises(FiguresInvalid) as info:
        save(dak_nong, plan_staff, **values)
    assert code in info.value.errors


def test_consistency_uses_values_already_saved(dak_nong, plan_staff):
    save(dak_nong, plan_staff, htx_count=300)
    with pytest.raises(FiguresInvalid) as info:
        save(dak_nong, plan_staff, version=1, htx_effective=301)
    assert "htx_effective" in info.value.errors


def test_big_move_from_last_year_needs_a_note_or_confirmation(dak_nong, plan_staff):
    figures_save(
        plan=dak_nong,
        year=2024,
        values={"htx_count": FigureInput(D(200))},
        user=plan_staff,
        version=0,
    )
    with pytest.raises(FiguresInvalid) as info:
        save(dak_nong, plan_staff, htx_count=400)
    assert not info.value.errors and info.value.warnings[0].code == "htx_count"
    assert not Figure.objects.filter(plan=dak_nong, year=2025).exists()
    save(dak_nong, plan_staff, confirm=True, htx_count=400)
    assert Figure.objects.get(plan=dak_nong, year=2025).value == D(400)


def test_a_note_explains_a_big_move(dak_nong, plan_staff):
    figures_save(
        plan=dak_nong,
        year=2024,
        values={"htx_count": FigureInput(D(200))},
        user=plan_staff,
        version=0,
    )
    figures_save(
        plan=dak_nong,
        year=2025,
        user=plan_staff,
        version=0,
        values={"htx_count": FigureInput(D(400), note="Sáp nhập địa giới hành chính")},
    )


def test_stale_save_is_refused_and_says_what_changed(dak_nong, plan_staff, leader):
    save(dak_nong, plan_staff, htx_count=300)
    # two people open the form at version 1, showing 300
    figures_save(
        plan=dak_nong,
        year=2025,
        values={"htx_count": FigureInput(D(310))},
        user=leader,
        version=1,
        seen={"htx_count": D(300)},
    )
    with pytest.raises(FiguresStale) as info:
        figures_save(
            plan=dak_nong,
            year=2025,
            values={"htx_count": FigureInput(D(320))},
            user=plan_staff,
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
    assert Figure.objects.get(plan=dak_nong, year=2025).value == D(310)


def test_clearing_a_value_deletes_it(dak_nong, plan_staff):
    save(dak_nong, plan_staff, htx_count=300)
    save(dak_nong, plan_staff, version=1, htx_count=None)
    assert not Figure.objects.filter(plan=dak_nong).exists()


def test_locked_year_refuses_and_reopening_is_recorded(dak_nong, plan_staff, admin_user):
    from plans.years import plan_year_close, plan_year_reopen

    plan_year_close(
        plan=dak_nong,
        year=2025,
        user=admin_user,
        reason="Báo cáo năm 2025 đã ban hành",
    )
    with pytest.raises(FiguresLocked):
        save(dak_nong, plan_staff, htx_count=300)
    row = plan_year_reopen(
        plan=dak_nong,
        year=2025,
        user=admin_user,
        reason="Mở lại để sửa số liệu chính thức",
    )
    save(dak_nong, plan_staff, version=0, htx_count=300)
    reasons = [h.history_change_reason for h in row.history.order_by("history_date")]
    assert "Mở lại để sửa số liệu chính thức" in reasons
    assert row.history.filter(history_user=admin_user).count() == 2


def test_year_outside_the_plan_is_refused(dak_nong, plan_staff):
    for year in [2021, 2099]:
        with pytest.raises(FiguresInvalid):
            figures_save(
                plan=dak_nong,
                year=year,
                values={"htx_count": FigureInput(D(1))},
                user=plan_staff,
                version=0,
            )


def test_history_keeps_old_and_new_values_and_the_reason(dak_nong, plan_staff):
    from targets.selectors import figure_history

    save(dak_nong, plan_staff, htx_count=300)
    figures_save(
        plan=dak_nong,
        year=2025,
        values={"htx_count": FigureInput(D(305))},
        user=plan_staff,
        version=1,
        reason="Số liệu chính thức của Cục Thống kê",
    )
    history = figure_history(plan=dak_nong, year=2025)
    assert (history[0]["old"], history[0]["new"]) == (D(300), D(305))
    assert history[0]["reason"] == "Số liệu chính thức của Cục Thống kê"
    assert (history[1]["old"], history[1]["new"]) == (None, D(300))
