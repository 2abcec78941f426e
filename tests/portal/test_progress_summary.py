"""The home page's cards read each plan's stored progress (``ProgressSummary``): what a
card says is what computing it from the targets and figures says, after every kind of
change, and a warm page reads neither."""

import datetime
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import Locality
from targets.models import ProgressSummary, Target
from targets.selectors import plan_progress
from tests import factories as f
from tests.targets.test_views import entry_url, form_data, target_url

pytestmark = pytest.mark.django_db


def cards(client) -> dict:
    """Each plan's card as the home page gives it, by plan slug."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {plan.slug: o for plan, o in response.context["overview"]}


def computed_afresh(client) -> dict:
    ProgressSummary.objects.all().delete()
    return cards(client)


def test_a_figure_saved_in_the_browser_is_on_the_next_home_page(client, plan_staff):
    before = cards(client)
    assert ProgressSummary.objects.filter(plan__slug="dak-nong").exists()
    client.force_login(plan_staff)
    page = client.get(entry_url("dak-nong", 2025))
    response = client.post(entry_url("dak-nong", 2025), form_data(page, htx_count="900"))
    assert response.status_code == 302
    client.logout()

    after = cards(client)

    assert after["dak-nong"] != before["dak-nong"]
    assert after == computed_afresh(client)


def test_a_figure_emptied_in_the_browser_is_on_the_next_home_page(client, plan_staff):
    f.FigureFactory(
        plan=Target.objects.filter(plan__slug="dak-nong").first().plan,
        indicator=Target.objects.get(plan__slug="dak-nong", code="2030-htx").indicator,
        year=2025,
        value=900,
    )
    before = cards(client)
    client.force_login(plan_staff)
    page = client.get(entry_url("dak-nong", 2025))
    response = client.post(entry_url("dak-nong", 2025), form_data(page, htx_count=""))
    assert response.status_code == 302
    client.logout()

    after = cards(client)

    assert after["dak-nong"] != before["dak-nong"]
    assert after == computed_afresh(client)


def test_a_target_corrected_in_the_browser_is_on_the_next_home_page(client, plan_staff):
    target = Target.objects.get(plan__slug="dak-nong", code="2030-htx")
    f.FigureFactory(plan=target.plan, indicator=target.indicator, year=2025, value=300)
    before = cards(client)
    client.force_login(plan_staff)
    page = client.get(target_url("dak-nong", target))
    form = page.context["form"]
    data = {n: form[n].value() for n in form.fields}
    data = {n: ("" if v is None else v) for n, v in data.items() if v is not False}
    data.update({"value": "3", "reason": "Điều chỉnh theo Nghị quyết HĐND"})
    response = client.post(target_url("dak-nong", target), data)
    assert response.status_code == 302, response.context["form"].errors
    client.logout()

    after = cards(client)

    assert after["dak-nong"] != before["dak-nong"]
    assert after == computed_afresh(client)


def test_a_plan_moved_to_its_successor_reads_the_successors_figures(client):
    """A place's change (a merger an administrator records) reaches every plan."""
    plan = f.PlanFactory(start_year=2021)
    target = f.TargetFactory(plan=plan, milestone_year=2030, value=100)
    successor = f.LocalityFactory()
    f.FigureFactory(
        locality=successor, area=plan.locality, indicator=target.indicator, year=2025, value=500
    )
    before = cards(client)

    plan.locality.successor = successor
    plan.locality.successor_from = datetime.date(2025, 1, 1)
    plan.locality.save()
    after = cards(client)

    assert before[plan.slug]["light"] == "no_data"
    assert after[plan.slug]["light"] == "achieved"
    assert after == computed_afresh(client)


def test_a_summary_older_than_the_limit_is_computed_again(client):
    """A change made outside the models (SQL, a bulk write) shows within the limit."""
    fresh = cards(client)
    old = timezone.now() - datetime.timedelta(
        minutes=settings.KTTT_COMPLETENESS_MAX_AGE_MINUTES + 1
    )
    ProgressSummary.objects.update(light="behind", counts=[["behind", 99]], computed_at=old)

    assert cards(client) == fresh


def test_a_warm_home_page_reads_no_target_and_no_figure(client):
    cards(client)
    with CaptureQueriesContext(connection) as ctx:
        cards(client)
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "targets_progresssummary" in tables
    assert '"targets_target"."comparator"' not in tables  # (the table counts them)
    assert "targets_figure" not in tables


def test_every_locality_change_clears_every_summary(client):
    cards(client)
    assert ProgressSummary.objects.exists()
    Locality.objects.get(code="dak-nong").save()
    assert not ProgressSummary.objects.exists()


def test_a_figure_or_a_target_moved_elsewhere_leaves_the_plan_it_left_right(client):
    """The admin's forms can move a figure to another place and a target to another plan:
    the plan they leave is computed again too."""
    plan, other = f.PlanFactory(start_year=2021), f.PlanFactory(start_year=2021)
    target = f.TargetFactory(plan=plan, milestone_year=2030, value=100)
    figure = f.FigureFactory(plan=plan, indicator=target.indicator, year=2025, value=500)
    assert cards(client)[plan.slug]["light"] == "achieved"

    figure.locality = other.locality
    figure.save()
    assert cards(client)[plan.slug]["light"] == "no_data"

    figure.locality = plan.locality
    figure.save()
    assert cards(client)[plan.slug]["light"] == "achieved"
    target.plan = other
    target.save()
    assert cards(client) == computed_afresh(client)


def test_a_card_counts_the_statuses_the_plan_page_shows(client, plan_staff):
    """The card's counts are those of the plan page's rule (``plan_progress``), with real
    figures: several statuses, not only "no data"."""
    client.force_login(plan_staff)
    page = client.get(entry_url("dak-nong", 2025))
    data = form_data(page, htx_count="300", htx_members="9000", tht_count="20")
    assert client.post(entry_url("dak-nong", 2025), data).status_code == 302
    plan = Target.objects.filter(plan__slug="dak-nong").first().plan
    year = timezone.localdate().year
    targets = plan_progress(plan=plan, as_of_year=year)[0]
    expected = Counter(t.progress.status for t in targets if t.indicator_id and t.progress.status)

    card = cards(client)["dak-nong"]

    assert dict(card["counts"]) == dict(expected)
    assert len(expected) > 1, "more than one status is compared"


@pytest.mark.parametrize(
    "stored",
    [
        {"key_targets": [["Số HTX", "khoảng 300", 2025, 50]]},  # a field fewer
        {"key_targets": [["Số HTX", "khoảng 300", 2025, 50, "behind", "x"]]},  # one more
        {"counts": [["behind", 3, 1]]},
        {"counts": {"behind": 3}},
        {"key_targets": 7},
    ],
)
def test_a_summary_stored_in_another_shape_is_computed_again(client, stored):
    """A summary written by an earlier version of the code (its fields changed since) is
    not read into a card: the page computes it again and stores it in the current shape."""
    fresh = cards(client)
    ProgressSummary.objects.update(**stored)

    assert cards(client) == fresh
    assert all(
        all(len(pair) == 2 for pair in s.counts) and all(len(k) == 5 for k in s.key_targets)
        for s in ProgressSummary.objects.all()
    )
