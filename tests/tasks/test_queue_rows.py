"""The review queue's rows written in Python (tasks.tables.review_queue_rows): the markup
the template's loop wrote, for odd values too."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.text import Truncator

from tasks.choices import AssignmentRole
from tasks.tables import review_queue_rows, truncate_chars
from tests import factories as f

pytestmark = pytest.mark.django_db

# The rows as tasks/_review_queue.html wrote them before they were written in Python.
ROWS_TEMPLATE = """{% load i18n %}{% for r in queue %}<tr>
    <th scope="row">{{ r.task.code }} <span class="muted">{{ r.task.description|truncatechars:80 }}</span></th>
    <td>{{ r.task.plan.number }} <span class="muted">{{ r.task.plan.locality.name }}</span></td>
    <td>{{ r.year }}</td>
    <td>{{ r.agency.name }}{% if not r.is_official %} <span class="muted">({% translate "cooperating" %})</span>{% endif %}</td>
    <td>{{ r.submitted_at|date:"d/m/Y" }}</td>
    <td><a href="{{ r.task.get_absolute_url }}#year-{{ r.year }}">{% translate "Review" %}</a></td>
  </tr>{% endfor %}"""  # noqa: E501


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def test_the_rows_write_what_the_template_wrote():
    plan = f.PlanFactory(number='<b>"1"</b>/KH', locality=f.LocalityFactory(name="Tỉnh <i>Thử</i>"))
    lead = f.TaskReportFactory(
        task=f.TaskFactory(plan=plan, description="Nhiệm vụ " + "rất dài & khó, " * 10),
        agency=f.AgencyFactory(name="Sở <Tài chính> & Kế hoạch", locality=plan.locality),
        submitted=True,
    )
    # submitted late on 31/12 in Hà Nội, already 1 January in UTC: the local date is shown
    late = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=timezone.get_current_timezone())
    partner = f.TaskReportFactory(
        task=f.TaskFactory(plan=plan),
        role=AssignmentRole.PARTNER,
        submitted=True,
        submitted_at=late,
        year=2025,
    )
    reports = [lead, partner]

    expected = Template(ROWS_TEMPLATE).render(Context({"queue": reports}))
    html = review_queue_rows(reports)

    assert normalised(html) == normalised(expected)
    assert "31/12/2025" in html and "<b>" not in html and "<Tài" not in html
    assert html.count("<tr>") == 2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ngắn",
        "x" * 80,
        "x" * 81,
        "Đẩy mạnh chuyển đổi số trong khu vực kinh tế tập thể, hợp tác xã " * 5,
        "a\u0301" * 100,  # combining marks, not counted: the whole text decides
        "a\u0301" * 79 + "b" * 3,
    ],
)
def test_the_truncation_is_django_truncatechars(text):
    assert truncate_chars(text, 80) == Truncator(text).chars(80)
