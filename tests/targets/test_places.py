"""Figures belong to places (plans.places): one number per locality and year, read by every
plan of the locality; after a merger, a former locality's part of its successor's figures;
progress from the base year; the statistics table with averages from totals."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from plans.models import Locality, Plan
from plans.places import PlaceIndex, counted_once, figure_place, plan_place
from targets.models import Indicator
from targets.services import FigureInput, FiguresLocked, figures_save
from targets.views import place_url
from tests import factories as f

pytestmark = pytest.mark.django_db


def _entry(client, url, **values):
    page = client.get(url)
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({k: "" for k in form.fields if k.startswith("v_") and k not in data})
    for name in form.fields:
        if name.startswith("s_"):
            data.setdefault(name, "estimated")
    data.update({f"v_{code}": value for code, value in values.items()})
    data["reason"] = "Số liệu năm"
    return client.post(url, data)


def test_a_figure_entered_once_shows_on_every_plan_of_the_locality(client):
    """Two plans of one province (a Party programme and the People's Committee's plan):
    the figure typed once for the province is what both read."""
    province = f.LocalityFactory(code="tinh-thu", name="Tỉnh Thử")
    indicator = Indicator.objects.get(code="htx_count")
    programme = f.PlanFactory(locality=province, number="41-CTr/TU", start_year=2024)
    plan = f.PlanFactory(locality=province, number="127/KH-UBND", start_year=2024)
    for each in (programme, plan):
        f.TargetFactory(plan=each, indicator=indicator, milestone_year=2030, value=500)
    staff = f.plan_staff(plan)
    client.force_login(staff)
    url = reverse("targets:figure_entry", args=[province.code, 2025])
    response = _entry(client, url, htx_count="321")
    assert response.status_code == 302, response.context["form"].errors
    for each in (programme, plan):
        page = client.get(each.get_absolute_url())
        assert "321" in page.content.decode()
    entry = client.get(url).content.decode()
    assert "41-CTr/TU" in entry and "127/KH-UBND" in entry  # the page lists its readers


def test_one_year_of_figures_is_not_enough_and_the_page_names_the_base_year(client):
    province = f.LocalityFactory()
    share = Indicator.objects.get(code="women_director_share")
    plan = f.PlanFactory(locality=province, start_year=2024)
    f.TargetFactory(
        plan=plan, indicator=share, milestone_year=2030, value=20, comparator="at_least"
    )
    f.FigureFactory(locality=province, indicator=share, year=2025, value=D("9.2"))
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Chưa đủ số liệu" in html or "chưa đủ số liệu" in html
    assert "2023" in html  # the base year (the year before the start) to enter
    assert "Đúng tiến độ" not in html and "đúng tiến độ" not in html


def test_the_base_year_of_the_plan_is_used(client):
    province = f.LocalityFactory()
    indicator = Indicator.objects.get(code="htx_count")
    plan = f.PlanFactory(locality=province, start_year=2024, base_year=2022)
    f.TargetFactory(plan=plan, indicator=indicator, milestone_year=2030, value=400)
    f.FigureFactory(locality=province, indicator=indicator, year=2022, value=300)
    f.FigureFactory(locality=province, indicator=indicator, year=2025, value=340)
    from targets.selectors import plan_progress

    targets, _charts, _demo = plan_progress(plan=plan, as_of_year=2025)
    progress = targets[0].progress
    assert progress.baseline_year == 2022 and progress.baseline == D(300)
    assert progress.status == "on_track"


def test_after_the_merger_a_former_province_reads_its_part(client, dak_nong, plan_staff):
    """From 01/7/2025 Đắk Nông is part of Lâm Đồng: its 2025 figures are the former Đắk
    Nông's part of Lâm Đồng's, and the plan page says so."""
    place = plan_place(dak_nong, 2025)
    assert place.locality.code == "lam-dong" and place.area.code == "dak-nong"
    assert plan_place(dak_nong, 2024).area is None
    client.force_login(plan_staff)
    response = _entry(client, place_url("targets:figure_entry", place), htx_count="310")
    assert response.status_code == 302
    lam_dong = Locality.objects.get(code="lam-dong")
    assert not lam_dong.figures.filter(area__isnull=True).exists()  # the whole is not typed
    html = client.get(dak_nong.get_absolute_url()).content.decode()
    assert "Lâm Đồng" in html and "310" in html
    whole = client.get(reverse("targets:figure_entry", args=["lam-dong", 2025])).content.decode()
    assert "Đắk Nông" in whole  # the breakdown by former locality is offered
    # A former locality has no figures of its own after the merger.
    assert client.get(reverse("targets:figure_entry", args=["dak-nong", 2025])).status_code == 404


def test_a_place_read_by_a_final_year_is_locked(dak_nong, plan_staff):
    from plans.years import plan_year_close

    plan_year_close(plan=dak_nong, year=2024, user=plan_staff, reason="")
    with pytest.raises(FiguresLocked):
        figures_save(
            place=figure_place(dak_nong.locality, 2024),
            year=2024,
            values={"htx_count": FigureInput(D(1))},
            user=plan_staff,
            version=0,
        )


def test_staff_of_another_province_cannot_enter(client):
    mine, theirs = f.PlanFactory(), f.PlanFactory()
    client.force_login(f.plan_staff(theirs))
    url = reverse("targets:figure_entry", args=[mine.locality.code, 2025])
    assert client.get(url).status_code == 200  # reading is open
    assert client.post(url, {"version": "0", "v_htx_count": "1"}).status_code == 403


def test_statistics_table_with_averages_from_totals(client):
    province = f.LocalityFactory()
    plan = f.PlanFactory(locality=province, start_year=2024)
    f.TargetFactory(
        plan=plan, indicator=Indicator.objects.get(code="htx_count"), milestone_year=2030
    )
    for code, value in {"htx_count": 4, "htx_revenue_total": 3000, "htx_workers": 40}.items():
        f.FigureFactory(
            locality=province, indicator=Indicator.objects.get(code=code), year=2025, value=value
        )
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Doanh thu bình quân một hợp tác xã" in html
    assert "750" in html  # 3 000 ÷ 4, never an average of averages
    assert "Tăng/giảm" in html  # the column of the change from the year before
    from reports.assembly import assemble_plan_report

    report = assemble_plan_report(plan=plan, year=2025)
    rows = {r.name: r for r in report.statistics}
    assert rows["Doanh thu bình quân một hợp tác xã"].value == D("750.00")


def test_a_summary_counts_each_place_once():
    index = PlaceIndex.load()
    dak_nong, lam_dong = (Locality.objects.get(code=c) for c in ("dak-nong", "lam-dong"))
    assert counted_once([dak_nong, lam_dong], 2025) == [lam_dong]
    assert counted_once([dak_nong, lam_dong], 2024) == [dak_nong, lam_dong]
    district = Locality.objects.get(code="go-cong-tay")
    assert index.key(district.pk, 2025)[0] == Locality.objects.get(code="dong-thap").pk
    assert Plan.objects.filter(locality=district).exists()


def test_an_indicator_definition_in_force_for_the_year_is_shown(client):
    from targets.models import IndicatorDefinition

    province = f.LocalityFactory()
    plan = f.PlanFactory(locality=province, start_year=2024)
    rated = Indicator.objects.get(code="htx_good_fair_share")
    f.TargetFactory(plan=plan, indicator=rated, milestone_year=2030, value=50)
    IndicatorDefinition.objects.create(indicator=rated.numerator, from_year=2020, text="Thang cũ")
    IndicatorDefinition.objects.create(indicator=rated.numerator, from_year=2025, text="Thang mới")
    client.force_login(f.plan_staff(plan))
    page = client.get(reverse("targets:figure_entry", args=[province.code, 2024]))
    assert "Thang cũ" in page.content.decode() and "Thang mới" not in page.content.decode()
    page = client.get(reverse("targets:figure_entry", args=[province.code, 2025]))
    assert "Thang mới" in page.content.decode()
    assert datetime.date.today()  # the page renders for any year the place exists
