"""The national-scale generator of the benchmark (portal/scale.py) and what it is for: the
main pages keep their query count when the data grows. Times are the benchmark's business
(`python manage.py benchmark`), not a test's."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Agency, Locality, Plan, plan_list_key, plan_search_text
from portal.scale import NATIONAL, grow_national
from targets.models import Figure, ProgressSummary
from tasks.models import (
    CompletenessSummary,
    Task,
    TaskAssignment,
    TaskReport,
    lead_states,
    task_list_key,
)
from tests.conftest import make_user

SCALE = 0.02


def test_the_generator_builds_the_country_it_says(dak_nong):
    sizes = NATIONAL.scaled(SCALE)
    added = grow_national(dak_nong, scale=SCALE)

    assert added["provinces"] == sizes.provinces
    assert added["communes"] == sizes.communes
    assert added["plans"] == Plan.objects.filter(slug__startswith="scale-").count() == sizes.plans
    assert added["tasks"] == sizes.tasks
    assert added["task reports"] == sizes.task_reports
    communes = Locality.objects.filter(code__startswith="scale-commune-")
    assert not communes.filter(parent__isnull=True).exists()
    # Every generated task has a lead agency of its own place: a commune's plan its
    # People's Committee, a province's plan the province's body.
    for task in Task.objects.filter(plan__slug__startswith="scale-").select_related(
        "plan__locality"
    )[:50]:
        lead = TaskAssignment.objects.filter(task=task, role="lead").select_related("agency")
        assert lead.exists()
        assert {a.agency.locality_id for a in lead} == {task.plan.locality_id}
    # Ten years of figures for each plan's place; this year's task reports under review.
    plan = Plan.objects.filter(slug__startswith="scale-").first()
    years = set(Figure.objects.filter(locality=plan.locality).values_list("year", flat=True))
    assert len(years) == NATIONAL.figure_years
    assert TaskReport.objects.filter(task__plan=plan, state="submitted").exists()
    # What save() and the signals keep is right on the rows written in bulk too.
    for plan in Plan.objects.filter(slug__startswith="scale-").select_related("locality")[:20]:
        assert plan.search_text == plan_search_text(plan)
        assert plan.list_key == plan_list_key(plan.locality.name, plan.slug)
    generated = list(
        Task.objects.filter(plan__slug__startswith="scale-").select_related(
            "plan__locality", "section"
        )
    )
    for task in generated[:200]:
        assert task.list_key == task_list_key(task)
    # every task's lead state, as its reports give it (the generator writes it with the row)
    states = lead_states([task.pk for task in generated])
    assert {t.pk: (t.lead_completed_year, t.lead_reported_years) for t in generated} == states
    assert any(year for year, _years in states.values())  # some tasks were completed
    # Each generated place's plans and bodies carry its name, not the template's.
    home = dak_nong.locality.name
    assert not Plan.objects.filter(slug__startswith="scale-", title__contains=home).exists()
    assert not Agency.objects.filter(
        locality__code__startswith="scale-", name__contains=home
    ).exists()
    province = Locality.objects.get(code="scale-province-01")
    assert Agency.objects.filter(locality=province, name__endswith=province.name).exists()
    # and every stored value of every row (search texts, list keys, due dates, states)
    call_command("rebuild_stored", "--check")


PAGES = [
    ("anonymous", "/"),
    ("leadership", "/"),
    ("leadership", "/nhiem-vu/?status=overdue"),
    ("leadership", "/nhiem-vu/?q=hop+tac&status=open"),
    ("anonymous", "/tim-kiem/?q=hop+tac+xa"),
    ("leadership", "/nhiem-vu/ke-hoach/dak-nong/tinh-hinh-bao-cao/2025/"),
    ("leadership", "/bao-cao/"),
    ("plan_staff", "/nhiem-vu/cho-duyet/"),
]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_main_pages_keep_their_query_count_at_scale(client, dak_nong, role, url):
    if role != "anonymous":
        client.force_login(make_user(f"scale-{role}", role, plans=[dak_nong]))
    assert client.get(url).status_code == 200  # warm up (sessions, caches)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def cold_and_warm() -> tuple[int, int]:
        """Without the stored reporting rates and progress (tasks.CompletenessSummary,
        targets.ProgressSummary), then with them."""
        CompletenessSummary.objects.all().delete()
        ProgressSummary.objects.all().delete()
        return queries(), queries()

    before = cold_and_warm()
    grow_national(dak_nong, scale=SCALE)
    assert cold_and_warm() == before
