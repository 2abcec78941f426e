"""The figure entry page and target editing, for every role."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.years import plan_year_close
from targets.models import Figure, Indicator, Target
from targets.services import FigureInput, figures_save
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2025


def entry_url(slug="dak-nong", year=YEAR):
    return f.plan_place_url("targets:figure_entry", slug, year)


def form_data(response, **values):
    """The form as the browser would post it, with some values typed in."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    for code, text in values.items():
        data[f"v_{code}"] = text
    return data


@pytest.mark.parametrize(
    ("user", "can_edit"),
    [("agency_user", False), ("leader", False), ("plan_staff", True), ("admin_user", True)],
)
def test_entry_page_is_editable_for_the_plans_staff_only(client, request, user, can_edit):
    """Every signed-in role reads the page (who gets which status:
    tests/test_permission_matrix.py); only the plan's staff get the form, and a refused
    post saves nothing."""
    client.force_login(request.getfixturevalue(user))
    assert client.get(entry_url()).context["can_edit"] is can_edit
    client.post(entry_url(), {"version": 0, "v_htx_count": "300"})
    assert can_edit or not Figure.objects.exists()


def test_staff_of_another_plan_cannot_edit(client, plan_staff):
    client.force_login(plan_staff)
    response = client.get(entry_url("binh-phuoc"))
    assert response.status_code == 200 and response.context["can_edit"] is False
    assert client.post(entry_url("binh-phuoc"), {"version": 0}).status_code == 403


def test_entry_rows_are_the_plans_indicators_with_counts_for_shares(client, plan_staff):
    client.force_login(plan_staff)
    response = client.get(entry_url())
    codes = [row["indicator"].code for row in response.context["rows"]]
    assert "htx_count" in codes and "lhhtx_member_htx" in codes
    # Đắk Nông targets "trên 60% tổ chức KTTT đạt loại tốt, khá": staff enter the counts
    assert {"kttt_good_fair", "kttt_rated"} <= set(codes)
    assert "kttt_good_fair_share" not in codes
    derived = [row["indicator"].code for row in response.context["derived_rows"]]
    assert "kttt_good_fair_share" in derived


def test_staff_saves_vietnamese_numbers(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    page = client.get(entry_url())
    data = form_data(page, htx_count="320", htx_members="14.000", women_director_share="12,5")
    response = client.post(entry_url(), data)
    assert response.status_code == 302
    values = dict(f.figures_of(dak_nong).filter(year=YEAR).values_list("indicator__code", "value"))
    assert values == {
        "htx_count": D(320),
        "htx_members": D(14000),
        "women_director_share": D("12.5"),
    }
    page = client.get(entry_url())
    assert "14.000" in page.content.decode()
    assert "đã được lưu" in page.content.decode()


def test_bad_cells_save_nothing_and_keep_the_input(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    page = client.get(entry_url())
    data = form_data(page, htx_count="abc", htx_members="14.000", women_director_share="130")
    response = client.post(entry_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not f.figures_of(dak_nong).filter().exists()
    assert "không phải là số" in html
    assert "từ 0 đến 100" in html
    assert 'value="14.000"' in html and 'value="abc"' in html


def test_consistency_error_is_shown_on_the_cell(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    data = form_data(client.get(entry_url()), htx_count="300", htx_members="200")
    response = client.post(entry_url(), data)
    assert response.status_code == 200
    assert response.context["form"].errors["v_htx_members"]
    assert not f.figures_of(dak_nong).filter().exists()


def test_big_change_asks_for_confirmation(client, plan_staff, dak_nong):
    figures_save(
        plan=dak_nong,
        year=YEAR - 1,
        values={"htx_count": FigureInput(D(200))},
        user=plan_staff,
        version=0,
    )
    client.force_login(plan_staff)
    data = form_data(client.get(entry_url()), htx_count="400")
    response = client.post(entry_url(), data)
    assert response.status_code == 200 and response.context["warnings"]
    assert not f.figures_of(dak_nong).filter(year=YEAR).exists()
    data["confirm_warnings"] = "on"
    assert client.post(entry_url(), data).status_code == 302
    assert f.figures_of(dak_nong).get(year=YEAR).value == D(400)


def test_stale_form_is_refused_with_the_other_persons_change(client, plan_staff, dak_nong):
    figures_save(
        plan=dak_nong,
        year=YEAR,
        values={"htx_count": FigureInput(D(300))},
        user=plan_staff,
        version=0,
    )
    client.force_login(plan_staff)
    stale = form_data(client.get(entry_url()), htx_count="320")
    from tests.conftest import make_user

    colleague = make_user("colleague", "plan_staff", plans=[dak_nong])
    figures_save(
        plan=dak_nong,
        year=YEAR,
        values={"htx_count": FigureInput(D(310))},
        user=colleague,
        version=1,
    )
    response = client.post(entry_url(), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "colleague" in html and "310" in html
    assert f.figures_of(dak_nong).get(year=YEAR).value == D(310)
    assert 'value="320"' in html  # the user's input is kept
    # saving again after seeing the change is a deliberate overwrite
    again = form_data(response, htx_count="320")
    assert client.post(entry_url(), again).status_code == 302
    assert f.figures_of(dak_nong).get(year=YEAR).value == D(320)


def test_locked_year_is_read_only(client, plan_staff, admin_user, dak_nong):
    plan_year_close(plan=dak_nong, year=YEAR, user=admin_user, reason="BC")
    client.force_login(plan_staff)
    page = client.get(entry_url())
    assert page.context["can_edit"] is False
    response = client.post(entry_url(), form_data(page, htx_count="300"))
    assert response.status_code == 200
    assert "đã bị khóa" in response.content.decode()
    assert not Figure.objects.exists()


@pytest.mark.parametrize("year", [2020, 2099])
def test_years_outside_the_plan_are_404(client, plan_staff, year):
    client.force_login(plan_staff)
    assert client.get(entry_url(year=year)).status_code == 404


def test_history_is_on_the_page(client, plan_staff, dak_nong):
    figures_save(
        plan=dak_nong,
        year=YEAR,
        values={"htx_count": FigureInput(D(300))},
        user=plan_staff,
        version=0,
    )
    figures_save(
        plan=dak_nong,
        year=YEAR,
        values={"htx_count": FigureInput(D(305))},
        user=plan_staff,
        version=1,
        reason="Số liệu chính thức",
    )
    client.force_login(plan_staff)
    html = client.get(entry_url()).content.decode()
    assert "Số liệu chính thức" in html and "staff-test" in html


def test_entry_page_query_count_is_flat(
    client, plan_staff, dak_nong, django_assert_max_num_queries
):
    for year in (2023, 2024, 2025):
        figures_save(
            plan=dak_nong,
            year=year,
            user=plan_staff,
            version=0,
            confirm_warnings=True,
            values={"htx_count": FigureInput(D(300)), "htx_members": FigureInput(D(9000))},
        )
    client.force_login(plan_staff)
    with CaptureQueriesContext(connection) as small:
        client.get(entry_url())
    # Ten times the figures, and a second plan reading the same place: the same queries.
    second = f.PlanFactory(locality=dak_nong.locality, start_year=dak_nong.start_year)
    f.TargetFactory(plan=second, indicator=Indicator.objects.get(code="tht_count"))
    for year in range(2014, 2023):
        f.FigureFactory(
            locality=dak_nong.locality, year=year, indicator=Indicator.objects.get(code="htx_count")
        )
    with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as large:
        client.get(entry_url())
    assert len(large.captured_queries) == len(small.captured_queries)


# --- targets


def target_url(plan_slug, target=None):
    if target is None:
        return reverse("targets:target_add", args=[plan_slug])
    return reverse("targets:target_edit", args=[plan_slug, target.pk])


def test_staff_corrects_a_target_with_a_reason(client, plan_staff):
    target = Target.objects.get(plan__slug="dak-nong", code="2030-htx")
    client.force_login(plan_staff)
    page = client.get(target_url("dak-nong", target))
    form = page.context["form"]
    data = {n: ("" if form[n].value() is None else form[n].value()) for n in form.fields}
    data.update({"value": "365", "reason": "Điều chỉnh theo Nghị quyết HĐND"})
    data = {k: v for k, v in data.items() if v is not False}
    data["newly_founded"] = ""
    del data["newly_founded"]
    response = client.post(target_url("dak-nong", target), data)
    assert response.status_code == 302, response.context["form"].errors
    target.refresh_from_db()
    assert target.value == D(365)
    latest = target.history.latest("history_date")
    assert latest.history_change_reason == "Điều chỉnh theo Nghị quyết HĐND"
    assert latest.history_user == plan_staff


def test_target_form_errors(client, plan_staff):
    client.force_login(plan_staff)
    response = client.post(
        target_url("dak-nong"),
        {
            "milestone_year": "2030",
            "comparator": "range",
            "value": "30",
            "value_max": "25",
            "text": "x",
            "reason": "r",
            "indicator": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "value_max" in errors and "indicator" in errors
    assert not Target.objects.filter(plan__slug="dak-nong", text="x").exists()


def test_staff_cannot_edit_another_plans_target_by_guessing_the_url(client):
    mine, theirs = f.PlanFactory(), f.PlanFactory()
    other = f.TargetFactory(plan=theirs)
    client.force_login(f.plan_staff(mine))
    assert client.get(target_url(theirs.slug, other)).status_code == 403
    assert client.get(target_url(mine.slug, other)).status_code == 404
