"""The order of plans and bodies in their lists (``Plan.list_key``, ``Agency.list_key``):
plans by their place in Vietnamese alphabetical order, then their slug; bodies from the
country down. Kept when a plan, a body or its place changes, and read from an index (a
page of plans does not sort them all)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.choices import LocalityLevel
from plans.models import Agency, Plan, agency_list_key, plan_list_key
from reports.views import consolidation_issuers
from tests import factories as f

pytestmark = pytest.mark.django_db


def home_rows(client, mine=None, **query) -> list[str]:
    """The slugs of the home page's table, only ``mine`` if given (the seeds' are there)."""
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    slugs = [row.record.slug for row in response.context["table"].paginated_rows]
    return [s for s in slugs if mine is None or s in mine]


def test_plans_are_in_vietnamese_order_of_their_place_then_by_slug(client):
    for name, slugs in [("Đắk Lắk", ["b", "a"]), ("Yên Bái", ["y"]), ("Điện Biên", ["d"])]:
        place = f.LocalityFactory(name=name)
        for slug in slugs:
            f.PlanFactory(slug=slug, locality=place)
    f.PlanFactory(slug="e", locality=f.LocalityFactory(name="Dak Lak"))

    # D before Đ (Vietnamese letters), Dak before Đắk, Đắk Lắk before Điện Biên; one
    # place's plans by slug, so no two plans tie and a page never repeats a plan
    mine = {"a", "b", "d", "e", "y"}
    assert home_rows(client, mine) == ["e", "a", "b", "d", "y"]
    assert home_rows(client, mine, sort="-locality") == ["y", "d", "b", "a", "e"]


def test_names_of_several_words_sort_word_by_word(client):
    """As the official lists do: "Hà Giang" before "Hải Dương", "Cà Mau" before "Cao
    Bằng" (a space before every letter)."""
    names = ["Hải Dương", "Cao Bằng", "Hà Giang", "Cà Mau", "Hà Nội"]
    for n, name in enumerate(names):
        f.PlanFactory(slug=f"word-{n}", locality=f.LocalityFactory(name=name))
    mine = {f"word-{n}" for n in range(len(names))}

    rows = home_rows(client, mine)

    assert [names[int(slug.split("-")[1])] for slug in rows] == [
        "Cà Mau",
        "Cao Bằng",
        "Hà Giang",
        "Hà Nội",
        "Hải Dương",
    ]


def test_a_page_of_plans_repeats_none_and_misses_none(client):
    place = f.LocalityFactory(name="Tỉnh Thử")
    for n in range(30):
        f.PlanFactory(slug=f"ke-hoach-{n:02d}", locality=place)

    pages = home_rows(client) + home_rows(client, page=2)

    assert sorted(pages) == sorted(Plan.objects.values_list("slug", flat=True))


def test_renaming_a_place_or_a_plan_moves_it(client):
    first = f.PlanFactory(slug="a", locality=f.LocalityFactory(name="An Giang"))
    f.PlanFactory(slug="b", locality=f.LocalityFactory(name="Bắc Ninh"))
    assert home_rows(client, {"a", "b"}) == ["a", "b"]

    first.locality.name = "Cà Mau"
    first.locality.save()
    assert home_rows(client, {"a", "b"}) == ["b", "a"]

    first.slug = "0"
    first.locality = f.LocalityFactory(name="Bắc Ninh")
    first.save()
    assert home_rows(client, {"0", "b"}) == ["0", "b"]


def test_rebuild_stored_finds_and_mends_a_wrong_order(capsys):
    plan = Plan.objects.get(slug="dak-nong")
    Plan.objects.filter(pk=plan.pk).update(list_key="0")

    with pytest.raises(Exception, match="rebuild_stored"):
        call_command("rebuild_stored", "--check")
    call_command("rebuild_stored")
    call_command("rebuild_stored", "--check")

    plan.refresh_from_db()
    assert plan.list_key != "0"


def test_the_issuers_follow_their_places_rename_and_level():
    """Bodies from the country down, places in Vietnamese order (``Agency.list_key``)."""
    first = f.AgencyFactory(name="Sở Tài chính", locality=f.LocalityFactory(name="An Giang"))
    second = f.AgencyFactory(name="Sở Tài chính", locality=f.LocalityFactory(name="Bắc Ninh"))

    def order() -> list[int]:
        mine = {first.pk, second.pk}
        return [a.pk for a in consolidation_issuers() if a.pk in mine]

    assert order() == [first.pk, second.pk]
    first.locality.name = "Đồng Tháp"  # Đ after B
    first.locality.save()
    assert order() == [second.pk, first.pk]
    second.locality.level = LocalityLevel.COMMUNE  # below the provinces
    second.locality.save()
    assert order() == [first.pk, second.pk]


def test_rebuild_stored_mends_an_agencys_order():
    agency = f.AgencyFactory()
    Agency.objects.filter(pk=agency.pk).update(list_key="")
    out = io.StringIO()
    call_command("rebuild_stored", stdout=out)
    assert "agencies recomputed: 1" in out.getvalue()
    agency.refresh_from_db()
    assert agency.list_key.startswith("1")  # a province's


def test_saving_some_fields_writes_the_key_only_with_them(django_assert_num_queries):
    """``save(update_fields=…)`` writes the key when a field it is made of is saved, and
    an empty list saves nothing (as Django's save does)."""
    plan = Plan.objects.get(slug="dak-nong")
    agency = f.AgencyFactory()
    with django_assert_num_queries(0):
        plan.save(update_fields=[])
        agency.save(update_fields=[])
    plan.slug = "a-dak-nong"
    plan.save(update_fields=["slug"])
    agency.name = "Ủy ban nhân dân tỉnh"
    agency.save(update_fields=["name"])
    plan.refresh_from_db()
    agency.refresh_from_db()
    assert plan.list_key == plan_list_key(plan.locality.name, "a-dak-nong")
    assert agency.list_key == agency_list_key(
        agency.locality.level, agency.locality.name, "Ủy ban nhân dân tỉnh"
    )
