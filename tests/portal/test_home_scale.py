"""The home page's rows written in Python (portal/tables.py): the same markup as
django-tables2's table and as the template's cards they replace, and a query count that
does not grow with the plans."""

import re
from dataclasses import replace

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from plans.models import Agency, Plan
from plans.tables import PlanTable
from portal.dashboard import plans_overview
from portal.tables import HomePlanTable, leadership_rows, plan_cards, plan_urls
from portal.views import HomeView
from tasks.selectors import plans_completeness_rates
from tests import factories as f
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year

# The cards as home.html wrote them before they were written in Python.
CARDS_TEMPLATE = """{% load i18n %}{% for plan, o in overview %}
    <article class="card">
      <h3><a href="{{ plan.get_absolute_url }}">{{ plan.locality.name }}</a> <span class="muted">{{ plan.number }}</span></h3>
      <p><span class="light light-{{ o.light }}" aria-hidden="true"></span> <span class="status status-{{ o.light }}">{% if o.light == "achieved" %}{% translate "achieved" %}{% elif o.light == "on_track" %}{% translate "on track" %}{% elif o.light == "behind" %}{% translate "behind" %}{% else %}{% translate "no data" %}{% endif %}</span></p>
      {% for k in o.key %}<div class="key-indicator"><span class="muted">{{ k.indicator }} → {{ k.value_label }} ({{ k.milestone_year }})</span>
        <div class="progress">{% if k.bar_width is not None %}<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{{ k.bar_width }}" aria-label="{{ k.indicator }}"><span class="w-{{ k.bar_width }}"></span></div>{% endif %}<span class="status status-{{ k.status }}">{{ k.status_label }}</span></div></div>{% endfor %}
      <p class="muted">{% for status, n in o.counts %}{% if status == "achieved" %}{% translate "achieved" %}{% elif status == "on_track" %}{% translate "on track" %}{% elif status == "behind" %}{% translate "behind" %}{% else %}{% translate "no data" %}{% endif %}: {{ n }}{% if not forloop.last %} · {% endif %}{% endfor %}</p>
    </article>
  {% endfor %}"""  # noqa: E501


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.fixture
def odd_plans():
    """Plans whose cells are not the seed's: no date, markup in the number, a name and an
    indicator to escape."""
    hostile = f.PlanFactory(number='<b>"x"</b>', issued_on=None)
    f.TargetFactory(plan=hostile, indicator=f.IndicatorFactory(name="<i>chỉ số</i>"))
    return [hostile, f.PlanFactory(issued_on=None)]


def home_table(table_class, query):
    request = RequestFactory().get("/", query)
    view = HomeView()
    view.setup(request)
    table = table_class(view.get_queryset())
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return request, table


@pytest.mark.parametrize("query", [{}, {"sort": "-issued_on"}, {"sort": "number", "page": "2"}])
def test_the_table_writes_what_django_tables2_writes(odd_plans, query):
    for n in range(25):
        f.PlanFactory(number=f"{n}/KH-UBND")
    request, fast = home_table(HomePlanTable, query)
    _request, standard = home_table(PlanTable, query)

    html = fast.as_html(request)
    expected = standard.as_html(request)

    assert normalised(html) == normalised(expected)
    assert html.count("<tr class=") == len(standard.page.object_list)
    assert '<b>"x"</b>' not in html


def test_the_cards_write_what_the_template_wrote(odd_plans):
    request, table = home_table(HomePlanTable, {})
    plans = [row.record for row in table.paginated_rows]
    result = plans_overview(plans, year=YEAR)
    overview = [(plan, result[plan.pk]) for plan in plans]

    expected = Template(CARDS_TEMPLATE).render(Context({"overview": overview}))

    assert any(o["key"] for _p, o in overview), "key indicators are compared too"
    assert normalised(plan_cards(overview)) == normalised(expected)
    assert "<i>chỉ số</i>" not in plan_cards(overview)


@pytest.fixture
def role_clients(client, dak_nong, plan_staff, leader, admin_user):
    agency = Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh")
    users = {
        "anonymous": None,
        "agency": make_user("home-agency", "agency", agency=agency),
        "plan_staff": plan_staff,
        "leadership": leader,
        "admin": admin_user,
    }
    return client, users


@pytest.mark.parametrize("role", ["anonymous", "agency", "plan_staff", "leadership", "admin"])
def test_the_home_page_reads_no_column_it_left_out(role_clients, role):
    """The home page reads only some of the plans' columns: a column read that it left
    out would be a query per plan, so the count would grow with the plans. (Each count
    after a first request: the leadership's reporting rates are stored by the first.)"""
    client, users = role_clients
    if users[role]:
        client.force_login(users[role])
    url = reverse("home")
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for n in range(8):
        plan = f.PlanFactory(number=f"{n}/KH-UBND")
        f.TargetFactory(plan=plan)
        f.TaskFactory(plan=plan)
    client.get(url)
    assert queries() == before


def test_the_plans_addresses_are_their_own():
    plans = [f.PlanFactory(slug=slug) for slug in ("0", "ke-hoach-0", "a_b-0-0")]
    assert plan_urls(plans) == {p.pk: p.get_absolute_url() for p in plans}


# The leadership's rows as home.html wrote them before they were written in Python.
LEADERSHIP_TEMPLATE = """{% load i18n %}{% for c, overdue in rows %}<tr>
      <th scope="row"><a href="{% url 'tasks:completeness' c.plan.slug year %}">{{ c.plan.number }}</a> <span class="muted">{{ c.plan.locality.name }}</span></th>
      <td><div class="progress"><div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{{ c.rate }}" aria-label="{% translate 'Reporting rate' %} {{ c.plan.number }}"><span class="w-{{ c.rate }}"></span></div> {{ c.rate }}%</div></td>
      <td class="num">{{ c.agencies_missing }}</td>
      <td class="num">{% if c.days_left >= 0 %}{{ c.days_left }}{% else %}{% translate "passed" %}{% endif %}</td>
      <td class="num">{% if overdue %}<a href="{% url 'tasks:task_list' %}?plan={{ c.plan.pk }}&amp;status=overdue">{{ overdue }}</a>{% else %}0{% endif %}</td>
    </tr>{% endfor %}"""  # noqa: E501


def test_the_leadership_rows_write_what_the_template_wrote(odd_plans):
    plans = [*odd_plans, *Plan.objects.filter(slug__in=["dak-nong", "kon-tum"])]
    today = timezone.localdate()
    rates = plans_completeness_rates(plans=plans, year=YEAR, today=today)
    passed = replace(rates[0], days_left=-3)  # a date passed, a rate and overdue tasks
    rows = [(passed, 12), *((c, 0) for c in rates[1:])]

    expected = Template(LEADERSHIP_TEMPLATE).render(Context({"rows": rows, "year": YEAR}))
    html = leadership_rows(rows, year=YEAR)

    assert normalised(html) == normalised(expected)
    assert "<b>" not in html and "status=overdue" in html
