"""The benchmark command (README, "Benchmark"): what it measures in, and that it leaves the
database as it found it. Its times are not checked here (a tiny country gives noise); the
command's exit status says whether a page is outside the bound."""

import io
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import User
from plans.models import Locality, Plan
from portal.management.commands.benchmark import Command
from portal.seeding import seed_all
from tasks.models import Task, TaskReport

TINY = ["--scale", "0.001", "--runs", "1", "--no-reports"]
POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the vacuumed copy: PostgreSQL only"
)


def benchmark(*args) -> str:
    out = io.StringIO()
    try:
        call_command("benchmark", *TINY, *args, stdout=out)
    except CommandError as exc:
        assert "Outside the bound" in str(exc)  # a tiny country's times are noise
    return out.getvalue()


def sizes() -> tuple:
    return (
        Plan.objects.count(),
        Locality.objects.count(),
        Task.objects.count(),
        TaskReport.objects.count(),
        User.objects.count(),
    )


def copies(name: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}_benchmark_%"]
        )
        return cursor.fetchall()


@pytest.fixture
def seeded(transactional_db):
    seed_all(fixtures_dir=settings.FIXTURES_DIR)


@pytest.fixture
def alone(transactional_db):
    """A database of its own, migrated (with the seed plans), that no other session uses:
    the test database is also held by earlier tests' threads (a live server's), and a
    database with other sessions cannot be copied. Dropped afterwards."""
    name = connection.settings_dict["NAME"]
    own = f"{name}_alone"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{own}"')
        cursor.execute(f'CREATE DATABASE "{own}"')
    connection.close()
    connection.settings_dict["NAME"] = own
    try:
        call_command("migrate", verbosity=0)
        seed_all(fixtures_dir=settings.FIXTURES_DIR)
        yield own
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{own}"')


@POSTGRESQL
def test_on_postgresql_it_measures_a_vacuumed_copy_and_drops_it(alone):
    name = connection.settings_dict["NAME"]
    assert name == alone
    before = sizes()

    output = benchmark()

    assert f"a vacuumed copy ({name}_benchmark_" in output
    assert "== national scale" in output and "task list, overdue" in output
    assert connection.settings_dict["NAME"] == name
    assert sizes() == before  # nothing written to the database itself
    assert copies(name) == []


@POSTGRESQL
def test_on_postgresql_the_seed_copy_and_a_grown_copy_are_measured_in_turn(alone):
    """Each page is requested on the seed copy and on a grown copy of it, in turn, each on
    a connection of its own; both copies are dropped."""
    measured = []
    measure = Command._measure

    def spy(self, pages, clients, runs, *databases):
        plans = []
        for database in databases:
            with database.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM plans_plan")
                plans.append(cursor.fetchone()[0])
        measured.append(([db.settings_dict["NAME"] for db in databases], plans))
        return measure(self, pages, clients, runs, *databases)

    with mock.patch.object(Command, "_measure", spy):
        benchmark()

    [(names, plans)] = measured
    assert len(set(names)) == 2 and all(n.startswith(f"{alone}_benchmark_") for n in names)
    assert plans[0] == 5 < plans[1]  # the seed plans, then the country
    assert copies(alone) == []
    assert connection.settings_dict["NAME"] == alone


@POSTGRESQL
def test_the_copy_is_dropped_when_a_page_fails(alone):
    name = connection.settings_dict["NAME"]
    assert name == alone
    with (
        mock.patch.object(Command, "_measure", side_effect=CommandError("/ (anonymous): 500")),
        pytest.raises(CommandError, match="500"),
    ):
        call_command("benchmark", *TINY, stdout=io.StringIO())
    assert connection.settings_dict["NAME"] == name
    assert copies(name) == []
    assert Plan.objects.filter(slug="dak-nong").exists()


def test_in_one_transaction_everything_is_rolled_back(dak_nong):
    before = sizes()

    output = benchmark("--in-transaction")

    assert "one transaction, rolled back" in output
    assert "== national scale" in output
    assert sizes() == before


@POSTGRESQL
def test_a_copy_left_by_a_stopped_run_is_named_not_dropped(seeded):
    """A run killed before its end leaves its copy; a later run with the same process id
    says which copy to drop instead of a misleading message, and touches nothing."""
    name = connection.settings_dict["NAME"]
    left = f"{name}_benchmark_99999"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{left}"')
    try:
        with (
            mock.patch("os.getpid", return_value=99999),
            pytest.raises(CommandError, match=f"{left} is left from a benchmark"),
        ):
            call_command("benchmark", *TINY, stdout=io.StringIO())
        assert copies(name) == [(left,)]
        assert connection.settings_dict["NAME"] == name
        assert Plan.objects.filter(slug="dak-nong").exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{left}"')


def test_a_database_not_migrated_is_named_not_measured(dak_nong):
    """A copy of a database behind the code's migrations failed with a traceback."""
    with mock.patch(
        "portal.management.commands.benchmark.MigrationExecutor.migration_plan",
        return_value=[("plans", "0014_agency_list_key")],
    ):
        with pytest.raises(CommandError, match="Migrate the database first"):
            call_command("benchmark", *TINY, stdout=io.StringIO())
