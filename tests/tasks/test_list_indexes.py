"""The task lists at national scale (README, "Benchmark"): the row count of each list and
its status filters read a narrow index of the tasks, not the table of their texts; the
text filter looks a candidate's agencies up instead of hashing every assignment."""

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


def test_the_text_filter_lists_the_tasks_of_few_agencies_by_their_ids(client, leader, dak_nong):
    """The agencies' tasks are found first, as ids: the planner knows how many they are
    (an OR with an EXISTS was guessed half the tasks, and a name in a few bodies read the
    30 000 tasks at national scale to count 2)."""
    client.force_login(leader)
    agency = f.AgencyFactory(name="Liên minh Hợp tác xã tỉnh Test")
    task = f.TaskFactory(description="Việc khác", leads=[agency])
    count = next(sql for sql in list_queries(client, "?q=hop+tac&status=open") if "COUNT(*)" in sql)
    assert f"IN ({task.pk})" in count or f", {task.pk}" in count, count
    assert "EXISTS" not in count and "plans_agency" not in count, count


def test_the_text_filter_looks_many_assignments_up_per_task(client, leader, dak_nong, monkeypatch):
    """Agencies holding more assignments than are listed: an EXISTS over the agencies'
    ids, PostgreSQL may look each candidate task up, which a ``pk IN (subquery)`` never
    lets it do (12 ms to hash 94 000 assignments for the 50 tasks not completed), and
    finds the assignments by the agencies' index (not a join to their names: 12 ms)."""
    from tasks import filters

    client.force_login(leader)
    f.AgencyFactory(name="Liên minh Hợp tác xã tỉnh Test")
    monkeypatch.setattr(filters, "ASSIGNMENTS_LISTED", 2)
    count = next(sql for sql in list_queries(client, "?q=hop+tac&status=open") if "COUNT(*)" in sql)
    assert "EXISTS" in count and "IN (SELECT" not in count, count
    assert "plans_agency" not in count  # the agencies were found first, in their own query


def test_a_word_of_many_agencies_finds_their_tasks_by_a_subquery(
    client, leader, dak_nong, monkeypatch
):
    """A word in more agencies' names than are listed (every commune's committee) finds
    the same tasks, whichever way: by their ids, by an EXISTS over the agencies' ids, by a
    subquery instead of a list of ids as long."""
    from tasks import filters

    client.force_login(leader)
    agencies = [f.AgencyFactory(name=f"Ủy ban nhân dân xã Thử {n}") for n in range(3)]
    tasks = [f.TaskFactory(description="Việc khác", leads=[a]) for a in agencies]
    url = "/nhiem-vu/?q=uy+ban+nhan+dan+xa+thu"

    def listed():
        page = client.get(url).context["table"].page.object_list
        return {row.record.pk for row in page}

    def count_sql():
        return next(sql for sql in list_queries(client, url[len("/nhiem-vu/") :]) if "COUNT" in sql)

    assert listed() == {t.pk for t in tasks}
    assert "EXISTS" not in count_sql() and "IN (SELECT" not in count_sql()
    monkeypatch.setattr(filters, "ASSIGNMENTS_LISTED", 2)
    assert listed() == {t.pk for t in tasks}
    assert "EXISTS" in count_sql()
    monkeypatch.setattr(filters, "AGENCIES_LISTED", 2)
    assert listed() == {t.pk for t in tasks}
    assert "IN (SELECT" in count_sql()


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
