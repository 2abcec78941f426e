"""The task lists' place filter: a province first, then one of its plans, so that the plan
select lists tens of plans rather than every plan of the country (tasks/filters.py)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.choices import LocalityLevel
from plans.models import Locality, Plan
from tests import factories as f

pytestmark = pytest.mark.django_db


def options(page: str, name: str) -> dict[str, tuple[str, bool]]:
    """The ``<option>``s of the select ``name``: value -> (label, selected)."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"the {name} filter is a select"
    return {
        value: (unescape(label), bool(selected))
        for value, selected, label in re.findall(
            r'<option value="(\d*)"( selected)?>(.*?)</option>', select.group(1)
        )
    }


def listed(response) -> set[int]:
    """The tasks on the page."""
    return {row.record.pk for row in response.context["table"].page.object_list}


def tasks_of(*plans) -> set[int]:
    return {t.pk for p in plans for t in p.tasks.filter(is_active=True)}


@pytest.fixture
def country():
    """Two provinces, each with its own plan and two communes' plans, one task each."""
    provinces = {}
    for name in ("Tỉnh Một", "Tỉnh Hai"):
        province = f.LocalityFactory(name=name)
        plans = [f.PlanFactory(locality=province, number=f"1/KH-{name}")]
        for n in (1, 2):
            commune = f.LocalityFactory(
                name=f"Xã {n} {name}", level=LocalityLevel.COMMUNE, parent=province
            )
            plans.append(
                f.PlanFactory(locality=commune, level=LocalityLevel.COMMUNE, number=f"{n}/KH-UBND")
            )
        for plan in plans:
            f.TaskFactory(plan=plan)
        provinces[name] = (province, plans)
    return provinces


def test_without_a_place_the_plans_of_the_provinces_are_listed(client, leader, country):
    client.force_login(leader)

    page = client.get(reverse("tasks:task_list")).content.decode()

    plans = options(page, "plan")
    for province, (place, (own, *communes)) in country.items():
        assert str(own.pk) in plans
        assert not any(str(p.pk) in plans for p in communes)
        assert options(page, "place")[str(place.pk)] == (f"Tỉnh {province}", False)
    # the communes are chosen through their province
    assert not any(label.startswith("Xã") for label, _s in options(page, "place").values())


def test_without_a_place_every_seed_plan_is_listed(client, leader):
    """A district's plan (Gò Công Tây) and a former province's (Yên Bái) too: only the
    communes' plans wait for their place."""
    client.force_login(leader)
    page = client.get(reverse("tasks:task_list")).content.decode()
    plans = options(page, "plan")
    assert all(str(plan.pk) in plans for plan in Plan.objects.all())


def test_a_place_lists_its_plans_and_its_communes_plans_and_filters_the_tasks(
    client, leader, country
):
    client.force_login(leader)
    place, plans = country["Tỉnh Một"]
    _other_place, other_plans = country["Tỉnh Hai"]

    response = client.get(reverse("tasks:task_list"), {"place": place.pk})
    page = response.content.decode()

    assert set(options(page, "plan")) == {""} | {str(p.pk) for p in plans}
    assert options(page, "place")[str(place.pk)][1], "the place chosen stays selected"
    assert listed(response) == tasks_of(*plans)
    assert not listed(response) & tasks_of(*other_plans)


def test_a_place_and_one_of_its_plans(client, leader, country):
    client.force_login(leader)
    place, (own, commune_plan, _other) = country["Tỉnh Một"]

    response = client.get(reverse("tasks:task_list"), {"place": place.pk, "plan": commune_plan.pk})

    assert listed(response) == tasks_of(commune_plan)
    assert options(response.content.decode(), "plan")[str(commune_plan.pk)][1]


def test_the_plan_url_of_a_bookmark_works_as_before(client, leader, country, dak_nong):
    """``?plan=<pk>`` alone (bookmarks, the home page's links): that plan's tasks, and the
    plan selected in the list even when it is a commune's, outside the default list."""
    client.force_login(leader)
    _place, (_own, commune_plan, _other) = country["Tỉnh Hai"]

    for plan in (dak_nong, commune_plan):
        response = client.get(reverse("tasks:task_list"), {"plan": plan.pk})

        assert listed(response)
        assert listed(response) <= tasks_of(plan)
        shown = options(response.content.decode(), "plan")
        assert [value for value, (_l, selected) in shown.items() if selected] == [str(plan.pk)]


def test_a_plan_outside_the_place_is_kept_and_lists_nothing(client, leader, country):
    """Both filters apply: the plan chosen is kept in the list (so the user sees it), the
    tasks are those of the plan within the place (none), and the plan select says why."""
    client.force_login(leader)
    place, _plans = country["Tỉnh Một"]
    _other, (other_plan, *_rest) = country["Tỉnh Hai"]

    response = client.get(reverse("tasks:task_list"), {"place": place.pk, "plan": other_plan.pk})

    assert response.status_code == 200
    assert response.context["table"].page.paginator.count == 0
    page = response.content.decode()
    assert options(page, "plan")[str(other_plan.pk)][1]
    # and says why, in Vietnamese, under the plan select
    assert "Kế hoạch này không thuộc Tỉnh Một" in unescape(page)


@pytest.mark.parametrize("value", ["abc", "-1", "99999999", "1.5", "' OR 1=1"])
def test_a_tampered_place_is_a_vietnamese_form_error(client, leader, country, value):
    client.force_login(leader)

    response = client.get(reverse("tasks:task_list"), {"place": value})

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


@pytest.mark.parametrize("query", [{"place": "\x00"}, {"place": ["1", "x"]}, {"place": "9" * 40}])
def test_other_tampered_places_never_fail(client, leader, country, query):
    client.force_login(leader)

    assert client.get(reverse("tasks:task_list"), query).status_code == 200
    assert client.get(reverse("tasks:task_list"), {**query, "_export": "xlsx"}).status_code == 200


def test_a_commune_or_a_place_without_plans_is_not_a_place_choice(client, leader, country):
    client.force_login(leader)
    commune = Locality.objects.get(name="Xã 1 Tỉnh Một")
    empty = f.LocalityFactory(name="Tỉnh Trống")

    for locality in (commune, empty):
        page = client.get(reverse("tasks:task_list"), {"place": locality.pk}).content.decode()
        assert "Hãy chọn một lựa chọn hợp lệ" in page
        assert str(locality.pk) not in options(page, "place")


def test_my_tasks_have_the_place_filter(client, agency_user, dak_nong):
    client.force_login(agency_user)
    place = dak_nong.locality

    response = client.get(reverse("tasks:my_tasks"), {"place": place.pk})

    assert response.status_code == 200
    assert {row.record.plan_id for row in response.context["table"].page.object_list} <= set(
        Plan.objects.filter(locality=place).values_list("pk", flat=True)
    )
    assert str(dak_nong.pk) in options(response.content.decode(), "plan")


def test_the_plan_list_takes_one_query_whatever_the_number_of_plans(client, leader, country):
    """The selects' options are read once each (Django's Select reads its choices twice:
    once to know whether the first option is empty)."""
    client.force_login(leader)
    place, _plans = country["Tỉnh Một"]
    url = reverse("tasks:task_list")
    client.get(url, {"place": place.pk})
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"place": place.pk})
    for _n in range(5):
        commune = f.LocalityFactory(level=LocalityLevel.COMMUNE, parent=place)
        f.PlanFactory(locality=commune, level=LocalityLevel.COMMUNE)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url, {"place": place.pk}).content.decode()

    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(options(page, "plan")) == 1 + 3 + 5


def test_a_filter_that_finds_nothing_says_so(client, leader):
    client.force_login(leader)
    page = client.get(reverse("tasks:task_list"), {"q": "xyzzy"}).content.decode()
    assert "Không có nhiệm vụ nào khớp với bộ lọc." in page
