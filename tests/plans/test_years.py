"""A plan's years: one function for the reporting years, one for the figure years (the
baseline year before the plan, then the reporting years), used by every path."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from plans.models import Plan
from plans.years import consolidated_years, figure_years, reporting_years
from tasks.models import Task
from tasks.services import task_report_get_or_new

D = datetime.date


def test_reporting_years_run_from_the_start_year_to_this_year():
    plan = Plan(start_year=2023)
    assert reporting_years(plan, today=D(2025, 6, 1)) == range(2023, 2026)
    assert list(reporting_years(plan, today=D(2023, 1, 1))) == [2023]
    assert reporting_years(plan) == range(2023, timezone.localdate().year + 1)


def test_figures_also_take_the_baseline_year():
    plan = Plan(start_year=2023)
    assert figure_years(plan, today=D(2025, 6, 1)) == range(2022, 2026)


def test_a_consolidated_report_covers_every_plans_years():
    plans = [Plan(start_year=2024), Plan(start_year=2021)]
    assert consolidated_years(plans, today=D(2025, 6, 1)) == range(2021, 2026)
    assert not consolidated_years([])


def test_a_task_report_is_kept_for_the_reporting_years_only(dak_nong):
    task = Task.objects.filter(plan=dak_nong).first()
    agency = task.lead_agencies[0]
    years = reporting_years(dak_nong)
    assert task_report_get_or_new(task=task, year=years[-1], agency=agency).year == years[-1]
    for year in [years[0] - 1, years[-1] + 1]:
        with pytest.raises(ValidationError):
            task_report_get_or_new(task=task, year=year, agency=agency)


def test_build_report_refuses_a_year_outside_the_reporting_years(dak_nong, tmp_path):
    before = reporting_years(dak_nong)[0] - 1
    with pytest.raises(CommandError):
        call_command("build_report", plan=dak_nong.slug, year=before, output=tmp_path / "r.pdf")
    with pytest.raises(CommandError):
        call_command("build_report", plan="all", year=before - 30, output=tmp_path / "r.pdf")
