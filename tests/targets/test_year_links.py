"""The figure entry page's year links lead to the years the place has figures for (found
by the load test: a former province's part linked to years before the merger, a 404)."""

import re

import pytest
from django.utils import timezone

from plans.models import Locality
from plans.places import Place, entry_years
from targets.views import place_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("locality", "area"), [("lam-dong", "dak-nong"), ("dak-nong", None), ("binh-phuoc", None)]
)
def test_every_year_link_opens_the_place(client, plan_staff, locality, area):
    """A part after a merger links to its years from the merger on, a locality to its
    years from the plans' base year; each link answers 200."""
    year = 2025 if area else 2024
    place = Place(
        Locality.objects.get(code=locality),
        Locality.objects.get(code=area) if area else None,
        year,
    )
    client.force_login(plan_staff)
    html = client.get(place_url("targets:figure_entry", place)).content.decode()
    nav = re.findall(r'<a href="(/so-lieu/[^"]+)"(?: aria-current="page")?>(\d{4})</a>', html)
    assert [int(y) for _url, y in nav] == entry_years(place, today=timezone.localdate())
    for url, _year in nav:
        assert client.get(url).status_code == 200, url
