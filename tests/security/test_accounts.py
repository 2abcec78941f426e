"""Accounts: login throttling (django-axes), changing one's own password, demo passwords."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from portal.demo_users import DEMO_ACCOUNTS, demo_users_create
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/dang-nhap/"
ROLES = ["agency_user", "plan_staff", "leader", "admin_user"]


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_lockout_settings():
    """Five failures per username and address, a 15-minute cool-off, reset on success."""
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_ENABLED is True
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_twenty_wrong_passwords_lock_the_account_out_with_a_vietnamese_page(client, plan_staff):
    """After 20 wrong passwords the right one is refused with the lockout page (429)."""
    statuses = [attempt(client, plan_staff.username, f"wrong-{i}").status_code for i in range(20)]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # the login form with its error
    assert statuses[limit - 1 :] == [429] * (20 - limit + 1)

    response = attempt(client, plan_staff.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in html
    assert "Vui lòng đợi 15 phút rồi thử lại" in html
    assert "Dữ liệu của bạn không bị ảnh hưởng" in html
    assert "quản trị viên của cổng" in html
    assert '<html lang="vi">' in html


def test_the_right_password_works_again_after_the_cool_off(client, plan_staff):
    for i in range(20):
        attempt(client, plan_staff.username, f"wrong-{i}")
    assert attempt(client, plan_staff.username, TEST_PASSWORD).status_code == 429
    # Fifteen minutes and a second later: every recorded failure is older than the cool-off.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(seconds=1)
    )
    response = attempt(client, plan_staff.username, TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("landing")
    assert signed_in(client)


def test_an_administrator_can_lift_a_lockout(client, plan_staff):
    """`manage.py axes_reset_username <name>` lets the user in before the cool-off ends."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, plan_staff.username, f"wrong-{i}")
    assert attempt(client, plan_staff.username, TEST_PASSWORD).status_code == 429
    call_command("axes_reset_username", plan_staff.username, stdout=io.StringIO())
    assert attempt(client, plan_staff.username, TEST_PASSWORD).status_code == 302
    assert signed_in(client)


def test_lockout_is_per_username_and_address(client, plan_staff, leader):
    """A locked pair does not lock the same user elsewhere, nor other users here."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, plan_staff.username, f"wrong-{i}")
    assert attempt(client, plan_staff.username, TEST_PASSWORD).status_code == 429
    assert attempt(client, leader.username, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    other_address = attempt(client, plan_staff.username, TEST_PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302


def test_a_successful_login_clears_the_failures(client, plan_staff):
    limit = settings.AXES_FAILURE_LIMIT
    for i in range(limit - 1):
        attempt(client, plan_staff.username, f"wrong-{i}")
    assert attempt(client, plan_staff.username, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for i in range(limit - 1):
        assert attempt(client, plan_staff.username, f"wrong-{i}").status_code == 200
    assert attempt(client, plan_staff.username, TEST_PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, admin_user):
    url = reverse("admin:login")
    data = {"username": admin_user.username, "password": "wrong", "next": "/admin/"}
    statuses = [client.post(url, data).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429
    data["password"] = TEST_PASSWORD
    response = client.post(url, data)
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert not signed_in(client)


# Changing one's own password -------------------------------------------------------------

NEW_PASSWORD = "Mat-khau-moi-2025!"


def test_change_password_needs_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('password_change')}"
    assert reverse("password_change") == "/doi-mat-khau/"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_changes_its_password_and_stays_signed_in(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Đổi mật khẩu</h1>" in html and "Mật khẩu cũ" in html
    assert 'href="/doi-mat-khau/"' in html  # the header link

    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    done = client.get(response["Location"])
    assert "Mật khẩu của bạn đã được đổi" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in (the session was updated with the new password's hash).
    again = client.get(reverse("password_change"))
    assert again.status_code == 200 and again.context["user"] == user

    client.post(reverse("logout"))
    assert attempt(client, user.username, NEW_PASSWORD).status_code == 302


def test_a_wrong_old_password_or_a_weak_new_one_is_refused_in_vietnamese(client, agency_user):
    client.force_login(agency_user)
    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong_old.status_code == 200
    assert "Mật khẩu cũ không chính xác" in wrong_old.content.decode()
    weak = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "1", "new_password2": "1"},
    )
    html = weak.content.decode()
    assert weak.status_code == 200
    assert "Mật khẩu này quá ngắn" in html and "Mật khẩu này hoàn toàn là số" in html
    agency_user.refresh_from_db()
    assert agency_user.check_password(TEST_PASSWORD)


def test_the_header_links_to_the_password_page_only_when_signed_in(client, leader):
    assert 'href="/doi-mat-khau/"' not in client.get("/").content.decode()
    client.force_login(leader)
    assert 'href="/doi-mat-khau/"' in client.get("/").content.decode()


# Demo passwords ------------------------------------------------------------------------


def demo_usernames():
    return [a.username for a in DEMO_ACCOUNTS]


def test_demo_password_1_is_refused_and_nothing_is_created(monkeypatch, tmp_path):
    """DEMO_PASSWORD=1 used to give the superuser the password "1"."""
    monkeypatch.setenv("DEMO_PASSWORD", "1")
    output = tmp_path / "demo-accounts.txt"
    with pytest.raises(CommandError) as caught:
        call_command("seed_demo_users", output=output)
    message = str(caught.value)
    assert "DEMO_PASSWORD bị từ chối với tài khoản quantri" in message
    assert "Mật khẩu này quá ngắn" in message and "Chưa tạo tài khoản nào" in message
    assert not User.objects.filter(username__in=demo_usernames()).exists()
    assert not output.exists()


@pytest.mark.parametrize("password", ["12345678", "password123", "quantri1", "canbo.daknong"])
def test_weak_demo_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        demo_users_create(password=password)
    assert not User.objects.filter(username__in=demo_usernames()).exists()


def test_a_strong_demo_password_is_used(monkeypatch, tmp_path, client):
    monkeypatch.setenv("DEMO_PASSWORD", "Kttt-demo-2025!x")
    output = tmp_path / "demo-accounts.txt"
    call_command("seed_demo_users", output=output, stdout=io.StringIO())
    assert User.objects.filter(username__in=demo_usernames()).count() == len(DEMO_ACCOUNTS)
    assert User.objects.get(username="quantri").check_password("Kttt-demo-2025!x")
    assert (output.stat().st_mode & 0o777) == 0o600
    assert attempt(client, "lanhdao", "Kttt-demo-2025!x").status_code == 302
