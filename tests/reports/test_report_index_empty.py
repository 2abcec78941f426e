"""The reports page says when its search finds no plan, as the task list does, instead of
an empty table."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOTHING = "Không có kế hoạch nào khớp với nội dung tìm kiếm."


def table_body(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_a_search_that_finds_no_plan_says_so_in_the_table(client, leader):
    client.force_login(leader)
    response = client.get(reverse("reports:report_index"), {"q": "khong co ke hoach nao"})
    assert response.status_code == 200 and response.context["rows"] == []
    body = table_body(response.content.decode())
    assert NOTHING in body
    assert '<td colspan="4">' in body  # the whole row, under the table's four columns


def test_a_search_that_finds_plans_does_not(client, leader):
    client.force_login(leader)
    response = client.get(reverse("reports:report_index"), {"q": "dak nong"})
    assert response.context["rows"]
    assert NOTHING not in response.content.decode()
