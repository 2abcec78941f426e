"""Settings come from the environment, with safe defaults and no default secret."""

from tests.fresh_process import run_python

SNIPPET = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], "
    "s.DATABASES['default'].get('NAME'), s.LANGUAGE_CODE, s.TIME_ZONE]))"
)


def run_settings(**env):
    return run_python("-c", SNIPPET, **env)


def test_defaults_are_for_development():
    result = run_settings()
    assert result.returncode == 0, result.stderr
    debug, hosts, engine, name, language, zone = __import__("json").loads(result.stdout)
    assert debug is True
    assert hosts == ["127.0.0.1", "localhost"]
    assert engine == "django.db.backends.sqlite3" and name.endswith("var/kttt_portal.sqlite3")
    assert (language, zone) == ("vi", "Asia/Ho_Chi_Minh")


def test_production_needs_a_secret_key():
    result = run_settings(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_environment_overrides():
    result = run_settings(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="kttt.example.vn,10.0.0.5",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/kttt",
    )
    assert result.returncode == 0, result.stderr
    debug, hosts, engine, name, _lang, _zone = __import__("json").loads(result.stdout)
    assert debug is False
    assert hosts == ["kttt.example.vn", "10.0.0.5"]
    assert engine == "django.db.backends.postgresql" and name == "kttt"


def test_production_refuses_an_empty_secret_key():
    """An environment file with `DJANGO_SECRET_KEY=` left blank is refused like a missing key."""
    result = run_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="  ")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_system_checks_of_the_database_are_clean(db):
    """`manage.py migrate` runs the database's checks: on SQLite (the development default)
    the covering index of the task lists warned on every run (models.W040); whatever the
    database, nothing is left to warn about."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("check", databases=["default"], stdout=out, stderr=out)
    assert "no issues" in out.getvalue(), out.getvalue()
