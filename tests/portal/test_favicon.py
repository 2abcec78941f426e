"""The portal's icon is its own file, served with its static files (no CDN): every page
links it, and /favicon.ico, which browsers ask for anyway, leads to it."""

import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon(client):
    """It was a 404 on every page."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("name", ["home", "search", "login"])
def test_every_page_links_the_icons_from_the_static_files(client, name):
    page = client.get(reverse(name)).content.decode()
    for path in ("img/favicon.svg", "img/favicon.ico", "img/apple-touch-icon.png"):
        assert f'href="{static(path)}"' in page, path
    assert 'type="image/svg+xml"' in page


def test_the_icons_are_small_images_drawn_for_the_portal():
    """An SVG drawn by hand (no external reference), an ICO of 16, 32 and 48 px and the
    180 px icon iOS asks for."""
    svg_path = finders.find("img/favicon.svg")
    svg = ET.parse(svg_path).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 32 32"
    text = open(svg_path, encoding="utf-8").read()
    assert "href" not in text and "http:" not in text.replace("http://www.w3.org/2000/svg", "")
    with open(finders.find("img/favicon.ico"), "rb") as f:
        ico = Image.open(BytesIO(f.read()))
    assert ico.format == "ICO" and ico.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
    touch = Image.open(finders.find("img/apple-touch-icon.png"))
    assert touch.format == "PNG" and touch.size == (180, 180)
