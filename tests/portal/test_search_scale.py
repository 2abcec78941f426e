"""The search page at national scale reads the plans' and tasks' stored folded text
(Plan.search_text, Task.search_text) instead of folding their columns row by row, and
finds what it found before."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Plan
from tests import factories as f

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get(reverse("search"), {"q": q}).context["results"]


def test_a_plan_is_found_by_its_new_number_and_title_once_edited(client):
    """Every save keeps the plan's folded text, whichever fields the save names."""
    plan = f.PlanFactory(number="77/KH-UBND", title="Kế hoạch phát triển du lịch")
    assert plan.search_text == "77/kh-ubnd\nke hoach phat trien du lich"
    assert plan in search(client, "KE HOACH PHAT TRIEN DU LICH")["plans"]
    plan.title = "Kế hoạch nuôi trồng thủy sản"
    plan.save(update_fields=["title"])
    assert plan not in search(client, "phat trien du lich")["plans"]
    assert plan in search(client, "nuôi trồng thuy san")["plans"]
    plan.number = "78/KH-UBND"
    plan.save(update_fields=["number"])
    assert plan in search(client, "78/kh-ubnd")["plans"]


def test_a_search_does_not_match_across_the_number_and_the_title(client):
    plan = f.PlanFactory(number="79/KH-UBND", title="Kế hoạch bảo tồn làng nghề")
    assert plan not in search(client, "ubnd ke hoach bao ton")["plans"]


def test_a_plan_is_still_found_by_its_place(client):
    place = f.LocalityFactory(name="Xã Ea Tiêu Mẫu")
    plan = f.PlanFactory(locality=place, title="Kế hoạch chung")
    assert plan in search(client, "ea tieu mau")["plans"]


def test_the_migration_fills_the_search_text_of_existing_plans():
    migration = importlib.import_module("plans.migrations.0011_plan_search_text")
    plan = f.PlanFactory(number="80/KH-UBND", title="Hợp tác xã nông nghiệp")
    Plan.objects.filter(pk=plan.pk).update(search_text="")
    migration.fill(apps, None)
    plan.refresh_from_db()
    assert plan.search_text == "80/kh-ubnd\nhop tac xa nong nghiep"


def test_the_search_page_looks_in_a_tasks_description_deliverable_and_note(client):
    """The search page finds a task by its stored text, note included, as the task list's
    text filter does (tests/portal/test_search_groups.py): the same words find the same
    tasks on both pages."""
    described = f.TaskFactory(description="Xây dựng chuỗi cà phê Mẫu", deliverable="Báo cáo")
    delivered = f.TaskFactory(
        description="Hỗ trợ", deliverable="Chuỗi cà phê mẫu", note="Ghi chú khác"
    )
    noted = f.TaskFactory(description="Hỗ trợ", deliverable="Báo cáo", note="Chuỗi cà phê mẫu")
    other = f.TaskFactory(description="Hỗ trợ", deliverable="Báo cáo", note="Ghi chú khác")
    found = search(client, "chuoi ca phe mau")["tasks"]
    assert described in found and delivered in found and noted in found
    assert other not in found


def test_the_search_page_does_not_fold_the_plans_or_tasks_row_by_row(client):
    """The plans' and tasks' stored text is read as it is: kttt_fold runs on the plans'
    columns nowhere, and every query of the tasks reads their stored text."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("search"), {"q": "hop tac xa"}).status_code == 200
    plans = [q["sql"] for q in captured if 'FROM "plans_plan"' in q["sql"]]
    tasks = [q["sql"] for q in captured if 'FROM "tasks_task"' in q["sql"]]
    assert plans and not any("kttt_fold" in sql for sql in plans)
    assert tasks and all('"search_text"' in sql for sql in tasks)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_postgresql_indexes_the_plans_search_text():
    qs = Plan.objects.filter(search_text__contains="hop tac xa").order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "plans_plan_search_text_trgm" in plan, plan
