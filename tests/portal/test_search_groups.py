"""The search page's groups say how many were found in all, say so when they show only the
first ones, and its tasks are those of the task list's text filter (the same words find the
same tasks on both pages, which the tasks group links to)."""

import html
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import selectors
from tests import factories as f

pytestmark = pytest.mark.django_db

WORD = "Chuỗi khoai lang tím Mẫu"


def page(client, q=WORD):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def listed(client, q=WORD):
    response = client.get(reverse("tasks:task_list"), {"q": q})
    assert response.status_code == 200
    return set(response.context["filter"].qs.values_list("pk", flat=True))


def test_a_group_cut_at_twenty_shows_the_number_found_and_says_it_is_cut(client):
    """36 targets found: the heading says 36, the page lists 20 and says it shows the first
    20 of 36 and how to narrow the search."""
    plan = f.PlanFactory()
    f.TargetFactory.create_batch(36, plan=plan, text=f"Phát triển {WORD}")
    response, text = page(client)
    targets = response.context["results"]["targets"]
    assert (len(targets), targets.total, targets.cut) == (20, 36, True)
    assert "Chỉ tiêu (36)" in text
    assert "Hiển thị 20 kết quả đầu tiên trong số 36; hãy tìm cụ thể hơn." in text


def test_beyond_what_it_counts_a_group_says_more_than(client, monkeypatch):
    """A group counts up to ``SEARCH_COUNTED`` (a hundred; an exact count of a common word
    at national scale reads thousands of rows), then says "more than"."""
    monkeypatch.setattr(selectors, "SEARCH_COUNTED", 30)
    plan = f.PlanFactory()
    f.TargetFactory.create_batch(36, plan=plan, text=f"Phát triển {WORD}")
    response, text = page(client)
    targets = response.context["results"]["targets"]
    assert (len(targets), targets.total, targets.beyond, targets.cut) == (20, 30, True, True)
    assert "Chỉ tiêu (hơn 30)" in text
    assert "Hiển thị 20 kết quả đầu tiên trong số hơn 30; hãy tìm cụ thể hơn." in text


def test_a_group_found_whole_says_nothing_more(client):
    plan = f.PlanFactory()
    f.TargetFactory.create_batch(3, plan=plan, text=f"Phát triển {WORD}")
    response, text = page(client)
    targets = response.context["results"]["targets"]
    assert (len(targets), targets.total, targets.cut) == (3, 3, False)
    assert "Chỉ tiêu (3)" in text
    assert "kết quả đầu tiên" not in text


def test_the_search_finds_the_tasks_the_task_list_finds_by_agency_and_note(client, leader):
    """The task list finds a task by its assigned agencies' names and by its note too: so
    does the search page, with the same words (it found 17 where the list found 23)."""
    agency = f.AgencyFactory(name=f"Hội {WORD}")
    by_agency = f.TaskFactory(description="Hỗ trợ", deliverable="Báo cáo", partners=[agency])
    by_note = f.TaskFactory(description="Hỗ trợ", deliverable="Báo cáo", note=WORD)
    by_text = f.TaskFactory(description=f"Xây dựng {WORD}")
    f.TaskFactory(description="Hỗ trợ", deliverable="Báo cáo")
    retired = f.TaskFactory(description=f"Xây dựng {WORD}", is_active=False)
    client.force_login(leader)
    found = page(client)[0].context["results"]["tasks"]
    assert {t.pk for t in found} == {by_agency.pk, by_note.pk, by_text.pk} == listed(client)
    assert retired not in found


def test_the_tasks_group_when_cut_links_to_the_task_list_of_the_same_words(client, leader):
    """A signed-in user reads all of them in the task list, which finds the same tasks; a
    visitor (who cannot open the task list) is only told to search more precisely."""
    agency = f.AgencyFactory(name=f"Hội {WORD}")
    tasks = f.TaskFactory.create_batch(12, description=f"Xây dựng {WORD}")
    tasks += f.TaskFactory.create_batch(11, description="Hỗ trợ", leads=[agency])
    link = f'href="{reverse("tasks:task_list")}?{urlencode({"q": WORD})}"'
    response, text = page(client)
    assert "Nhiệm vụ (23)" in text and "Hiển thị 20 kết quả đầu tiên trong số 23" in text
    assert link not in response.content.decode()
    client.force_login(leader)
    response, text = page(client)
    assert "Nhiệm vụ (23)" in text and "Hiển thị 20 kết quả đầu tiên trong số 23" in text
    assert link in response.content.decode()
    assert "Xem tất cả trong danh sách nhiệm vụ" in text
    assert listed(client) == {t.pk for t in tasks}


def test_the_search_page_counts_with_one_query_per_group_whatever_the_data(
    client, django_assert_num_queries
):
    """Counting adds one query per group, the same with 3 or 60 found in each, and counts
    them all up to a hundred."""
    agency = f.AgencyFactory(name=f"Hội {WORD}")
    plan = f.PlanFactory(title=WORD)

    def add(n):
        f.PlanFactory.create_batch(n, title=WORD)
        f.TargetFactory.create_batch(n, plan=plan, text=WORD)
        f.TaskFactory.create_batch(n, plan=plan, description=WORD, leads=[agency])
        f.AgencyFactory.create_batch(n, name=f"Hội {WORD}")

    add(2)
    with CaptureQueriesContext(connection) as few:
        page(client)
    counts = [q["sql"] for q in few if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 4, counts
    add(60)
    with django_assert_num_queries(len(few)):
        response, _text = page(client)
    assert [g.total for g in response.context["results"].values()] == [63, 62, 62, 63]
