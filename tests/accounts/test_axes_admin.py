"""django-axes' section of the admin has a Vietnamese name: its own, "Axes", is not a
word a Vietnamese administrator reads (it showed as "AXES")."""

import html
import re

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.apps import AccountsConfig
from tests import factories as f

pytestmark = pytest.mark.django_db

NAME = "Đăng nhập và khóa tạm thời"


def headings(page: str) -> list[str]:
    """The admin's app sections and breadcrumbs: the links to an app's index."""
    return [
        html.unescape(text) for text in re.findall(r'<a href="/admin/axes/"[^>]*>([^<]*)</a>', page)
    ]


@pytest.mark.parametrize("url", [reverse("admin:index"), "/admin/axes/"])
def test_the_axes_section_of_the_admin_is_named_in_vietnamese(client, url):
    client.force_login(f.admin())
    page = client.get(url).content.decode()
    assert NAME in html.unescape(page)
    assert "Axes" not in page and "AXES" not in page


def test_the_admin_index_links_the_section_by_its_vietnamese_name(client):
    client.force_login(f.admin())
    assert headings(client.get(reverse("admin:index")).content.decode()) == [NAME]


def test_the_apps_keep_their_labels_and_configs():
    """The renamed config is django-axes' own, with its label (its tables and migrations),
    and accounts keeps its config (its ready() registers the search's SQL function)."""
    axes = apps.get_app_config("axes")
    assert axes.name == "axes" and axes.label == "axes"
    assert type(apps.get_app_config("accounts")) is AccountsConfig
