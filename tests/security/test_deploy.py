"""`manage.py check --deploy` is clean with the production variables README.md documents."""

import re
import secrets

from django.conf import settings

from tests.fresh_process import run_python

# README.md, "Production settings": the example, with a generated key.
PRODUCTION = {
    "DJANGO_DEBUG": "off",
    "DJANGO_ALLOWED_HOSTS": "kttt.example.vn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://kttt.example.vn",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO=https",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "on",
    "DJANGO_SECURE_HSTS_PRELOAD": "on",
}


def check_deploy(**env):
    return run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = check_deploy(**PRODUCTION, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_readme_documents_these_variables():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Production settings") :]
    for name, value in PRODUCTION.items():
        assert re.search(rf"^{name}={re.escape(value)}\b", section, re.MULTILINE), name
    assert "DJANGO_SECRET_KEY=" in section


def test_check_deploy_warns_without_hsts():
    """The check is not vacuous: leaving HSTS out is reported."""
    env = {k: v for k, v in PRODUCTION.items() if "HSTS" not in k}
    result = check_deploy(**env, DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
