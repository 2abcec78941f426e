"""Security headers: the Content-Security-Policy on every page (the admin included), pages
that satisfy it (no inline style or script), and the HTTPS settings read from the
environment."""

import json
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from plans.models import Plan
from tasks.models import Task
from tests.factories import plan_place_url
from tests.fresh_process import run_python

pytestmark = pytest.mark.django_db

YEAR = 2025


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def portal_urls(plan: Plan) -> list[str]:
    task = Task.objects.filter(plan=plan).order_by("pk").first()
    return [
        "/",
        reverse("plan_detail", args=[plan.slug]),
        plan_place_url("targets:figure_entry", plan.slug, YEAR),
        reverse("tasks:task_list"),
        reverse("tasks:task_detail", args=[task.pk]),
        reverse("tasks:completeness", args=[plan.slug, YEAR]),
        reverse("tasks:task_manage", args=[plan.slug]),
        reverse("reports:report_index"),
        reverse("reports:report_edit", args=[plan.slug, YEAR]),
        reverse("reports:report_preview", args=[plan.slug, YEAR]),
        reverse("search") + "?q=hợp+tác+xã",
        reverse("password_change"),
    ]


def admin_urls(plan: Plan) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:plans_plan_changelist"),
        reverse("admin:plans_plan_change", args=[plan.pk]),
        reverse("admin:accounts_user_add"),
        reverse("admin:axes_accessattempt_changelist"),
    ]


INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    found = []
    for pattern in (INLINE_STYLE, STYLE_ELEMENT, INLINE_SCRIPT, EVENT_HANDLER):
        found += [m.group(0)[:120] for m in pattern.finditer(html)]
    # JSON data blocks are not scripts: the policy does not apply to them.
    return [f for f in found if 'type="application/json"' not in f]


def test_the_policy():
    """default-src 'self', no inline script or style, no framing, no plugins."""
    from django.test import Client

    directives = policy(Client().get("/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("'unsafe-" in v for values in directives.values() for v in values)


def test_every_main_page_has_the_policy_and_no_inline_code(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    for url in portal_urls(dak_nong):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["default-src"] == ["'self'"], url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.parametrize("role", ["agency_user", "leader", "admin_user"])
def test_home_has_no_inline_code_for_any_role(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_signed_out_pages_and_the_lockout_page_have_the_policy(client, plan_staff):
    for url in ("/", reverse("login")):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert inline_code(response.content.decode()) == []
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(reverse("login"), {"username": plan_staff.username, "password": "x"})
    assert locked.status_code == 429
    assert "frame-ancestors 'none'" in locked["Content-Security-Policy"]
    assert inline_code(locked.content.decode()) == []


def test_the_admin_works_under_the_policy(client, admin_user, dak_nong):
    """Django 5.2's admin uses only external script and style files."""
    client.force_login(admin_user)
    for url in admin_urls(dak_nong):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["script-src"] == ["'self'"], url
        assert inline_code(response.content.decode()) == [], url


def test_progress_bars_use_width_classes(client, leader):
    client.force_login(leader)
    html = client.get("/").content.decode()
    widths = re.findall(r'<span class="w-(\d+)"></span>', html)
    assert widths and all(0 <= int(w) <= 100 for w in widths)
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    assert all(f".w-{n} {{ width: {n}%; }}" in css for n in range(101))


# HTTPS ---------------------------------------------------------------------------------


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000)
def test_ssl_redirect_and_hsts_when_enabled(client):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 301 and response["Location"] == "https://localhost/"
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


SNIPPET = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ["
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'USE_X_FORWARDED_HOST', "
    "'CSRF_TRUSTED_ORIGINS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'AXES_FAILURE_LIMIT', 'AXES_IPWARE_PROXY_COUNT', 'AXES_IPWARE_META_PRECEDENCE_ORDER']}))"
)


def settings_with(**env):
    return run_python("-c", SNIPPET, **env)


def read(**env) -> dict:
    result = settings_with(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


PRODUCTION = {"DJANGO_DEBUG": "off", "DJANGO_SECRET_KEY": "k" * 60}


def test_development_has_no_https_settings_even_when_asked():
    values = read(
        DJANGO_SECURE_SSL_REDIRECT="on",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="on",
        DJANGO_SECURE_COOKIES="on",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["CSRF_TRUSTED_ORIGINS"] == []


def test_production_defaults():
    """HTTPS redirect and secure cookies on; HSTS opt-in; no proxy header is trusted."""
    values = read(**PRODUCTION)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["USE_X_FORWARDED_HOST"] is False
    assert values["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["REMOTE_ADDR"]


def test_production_settings_from_the_environment():
    values = read(
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="off",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="on",
        DJANGO_SECURE_HSTS_PRELOAD="on",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO=https",
        DJANGO_USE_X_FORWARDED_HOST="on",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://kttt.example.vn,https://kttt2.example.vn",
        DJANGO_AXES_FAILURE_LIMIT="8",
        DJANGO_AXES_PROXY_COUNT="1",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["USE_X_FORWARDED_HOST"] is True
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://kttt.example.vn", "https://kttt2.example.vn"]
    assert values["AXES_FAILURE_LIMIT"] == 8
    assert values["AXES_IPWARE_PROXY_COUNT"] == 1
    assert values["AXES_IPWARE_META_PRECEDENCE_ORDER"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


def test_a_malformed_proxy_header_is_refused():
    result = settings_with(**PRODUCTION, DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert result.returncode != 0
    assert "DJANGO_SECURE_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO=https" in (
        result.stderr
    )
