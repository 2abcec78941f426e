"""Shared fixtures: the test database holds the five seeded plans, loaded once."""

import pytest
from django.conf import settings

from accounts.choices import Role
from accounts.models import User
from plans.models import Agency, Plan
from portal.seeding import seed_all

TEST_PASSWORD = "test-only-Passw0rd!"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_all(fixtures_dir=settings.FIXTURES_DIR)


@pytest.fixture
def dak_nong(db) -> Plan:
    return Plan.objects.get(slug="dak-nong")


def make_user(username: str, role: str, *, agency: Agency | None = None, plans=(), **extra):
    user = User.objects.create_user(
        username=username, password=TEST_PASSWORD, role=role, agency=agency, **extra
    )
    if plans:
        user.plans.set(plans)
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin-test", Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def leader(db):
    return make_user("leader-test", Role.LEADERSHIP)


@pytest.fixture
def plan_staff(dak_nong):
    agency = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    return make_user("staff-test", Role.PLAN_STAFF, agency=agency, plans=[dak_nong])


@pytest.fixture
def agency_user(db):
    agency = Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh")
    return make_user("agency-test", Role.AGENCY, agency=agency)


@pytest.fixture(params=["anonymous", "agency", "plan_staff", "leadership", "admin"])
def any_role_client(request, client, db):
    """A client signed in as each role in turn (and one signed out)."""
    role = request.param
    if role != "anonymous":
        user = request.getfixturevalue(
            {
                "agency": "agency_user",
                "plan_staff": "plan_staff",
                "leadership": "leader",
                "admin": "admin_user",
            }[role]
        )
        client.force_login(user)
    client.role = role
    return client


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
