"""The task lists at national scale (README, "Benchmark"): the row count of each list and
its status filters read a narrow index of the tasks, not the table of their texts; the
text filter reads the agencies' names kept in the tasks' rows instead of hashing their
assignments."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.models import Task
from tests import factories as f
from tests.conftest import make_user


@pytest.fixture
def leader(db):
    return make_user("leader", "leadership")


def list_queries(client, query: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/nhiem-vu/" + query)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if 'FROM "tasks_task"' in q["sql"]]


def covered_columns() -> set[str]:
    """The columns ``task_active_state`` holds, and its condition's."""
    index = next(i for i in Task._meta.indexes if i.name == "task_active_state")
    fields = [*index.fields, *index.include, "is_active"]
    return {Task._meta.get_field(name).column for name in fields}


@pytest.mark.parametrize(
    "query",
    ["", "?status=open", "?status=completed", "?deadline_year=2025"],
)
def test_a_list_is_counted_from_the_narrow_index(client, leader, dak_nong, query):
    """Every column of the tasks that the count reads is in the narrow index, so that
    PostgreSQL can count from it alone (an index-only scan: a national count 24 → 3 ms).
    The planner's choice itself depends on the table's size and statistics."""
    client.force_login(leader)
    count = next(sql for sql in list_queries(client, query) if "COUNT(*)" in sql)
    read = set(re.findall(r'"tasks_task"\."(\w+)"', count))
    assert read <= covered_columns(), read - covered_columns()


def test_overdue_compares_the_stored_due_dates_with_today(client, leader, dak_nong):
    """ "Overdue" reads each task's stored due date (``Task.deadline_due``, ``yearly_due``),
    which the two overdue indexes hold, as ranges: it computed each task's date from its
    deadline and its plan's, and so read every task of the country for seven."""
    client.force_login(leader)
    count = next(sql for sql in list_queries(client, "?status=overdue") if "COUNT(*)" in sql)
    assert '"tasks_task"."deadline_due" <' in count
    assert '"tasks_task"."yearly_due" <' in count
    assert "100" not in count and "plans_plan" not in count.split("WHERE", 1)[1]


def test_the_text_filter_reads_the_agencies_names_in_the_tasks_rows(client, leader, dak_nong):
    """A task's agencies' names are read from its own row (``Task.agencies_text``), in the
    one query of the tasks: an EXISTS over the assignments of the bodies named was guessed
    half the tasks by the planner (a name in a few bodies read the 30 000 tasks at
    national scale to count 2), and a common name hashed 6 000 assignments twice a page."""
    client.force_login(leader)
    agency = f.AgencyFactory(name="Liên minh Hợp tác xã tỉnh Test")
    task = f.TaskFactory(description="Việc khác", leads=[agency])
    queries = list_queries(client, "?q=hop+tac&status=open")
    count = next(sql for sql in queries if "COUNT(*)" in sql)
    assert '"tasks_task"."agencies_text"' in count, count
    assert "EXISTS" not in count and "plans_agency" not in count, count
    assert "tasks_taskassignment" not in count.split("WHERE", 1)[1], count
    page = client.get("/nhiem-vu/?q=hop+tac&status=open").context["table"].page.object_list
    assert task.pk in {row.record.pk for row in page}


def test_a_word_of_many_agencies_finds_all_their_tasks(client, leader, dak_nong):
    """A word in many agencies' names (every commune's committee) finds each one's tasks,
    and the count says how many."""
    client.force_login(leader)
    agencies = [f.AgencyFactory(name=f"Ủy ban nhân dân xã Thử {n}") for n in range(3)]
    tasks = [f.TaskFactory(description="Việc khác", leads=[a]) for a in agencies]
    response = client.get("/nhiem-vu/?q=uy+ban+nhan+dan+xa+thu")
    page = response.context["table"].page
    assert {row.record.pk for row in page.object_list} == {t.pk for t in tasks}
    assert page.paginator.count == 3


def test_a_plans_report_date_moves_its_tasks_into_overdue(client, leader, monkeypatch):
    """A yearly task falls due on its plan's date: when the plan's date changes, so do
    its tasks' stored dates, and "overdue" with them."""
    client.force_login(leader)
    lead = f.AgencyFactory()
    plan = f.PlanFactory(start_year=2021)
    task = f.TaskFactory(plan=plan, leads=[lead])

    def overdue() -> set[int]:
        page = client.get("/nhiem-vu/", {"status": "overdue", "plan": plan.pk})
        return {row.record.pk for row in page.context["table"].page.object_list}

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2026, 11, 24))
    assert overdue() == set()  # due 15/12
    plan.report_due_day, plan.report_due_month = 1, 11
    plan.save()
    assert overdue() == {task.pk}
    task.refresh_from_db()
    assert task.yearly_due == 1101
