"""Settings for kttt_portal, read from the environment (12-factor).

Variables (README.md, "Configuration" and "Production settings"):

- DJANGO_DEBUG, DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS,
  DJANGO_MEDIA_ROOT, DJANGO_LOG_LEVEL, KTTT_REPORT_PERIOD_START,
  KTTT_SQLITE_TIMEOUT (seconds a SQLite writer waits for the lock; default 30),
  KTTT_REPORT_RECHECK_MINUTES (how long a large consolidated report the worker checked is
  served without checking again; default 10),
  KTTT_COMPLETENESS_MAX_AGE_MINUTES (how long a plan's stored reporting rate and targets'
  progress are shown on the home page at most, should a change not have cleared them;
  default 10).
- HTTPS, all off while DEBUG is on:
  DJANGO_SECURE_SSL_REDIRECT (default on when DEBUG is off),
  DJANGO_SECURE_COOKIES (Secure session and CSRF cookies; default on when DEBUG is off),
  DJANGO_SECURE_HSTS_SECONDS (default 0: no HSTS until the host is known to stay on HTTPS),
  DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS, DJANGO_SECURE_HSTS_PRELOAD (default off).
- Behind a reverse proxy: DJANGO_SECURE_PROXY_SSL_HEADER ("HTTP_X_FORWARDED_PROTO=https":
  the header, as in request.META, and the value meaning HTTPS), DJANGO_USE_X_FORWARDED_HOST,
  DJANGO_CSRF_TRUSTED_ORIGINS (comma-separated, "https://kttt.example.vn"),
  DJANGO_AXES_PROXY_COUNT (number of proxies in front: the client address is then taken
  from X-Forwarded-For for login throttling).
- Login throttling (django-axes): DJANGO_AXES_FAILURE_LIMIT (default 5 failures per
  username and address), DJANGO_AXES_COOLOFF_MINUTES (default 15), KTTT_SUPPORT_CONTACT
  (whom a locked-out user should ask; shown on the lockout page).
- E-mail: DJANGO_EMAIL_BACKEND (default: the console with DEBUG on, SMTP with it off),
  DJANGO_EMAIL_HOST, DJANGO_EMAIL_PORT, DJANGO_EMAIL_HOST_USER, DJANGO_EMAIL_HOST_PASSWORD,
  DJANGO_EMAIL_USE_TLS, DJANGO_EMAIL_USE_SSL, DJANGO_EMAIL_TIMEOUT, DJANGO_DEFAULT_FROM_EMAIL;
  KTTT_SITE_URL (the portal's address, for links in e-mails), KTTT_REMINDER_DAYS
  (comma-separated days before a due date on which reminders go out; default 14,3).

Development defaults are safe: a SQLite file under var/, DEBUG on. With DEBUG off the
secret key has no default and must be given.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DJANGO_DEBUG=(bool, True),
    DJANGO_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
)

DEBUG = env("DJANGO_DEBUG")
if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-not-for-production")
else:
    try:
        SECRET_KEY = env("DJANGO_SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"
        ) from exc
    if not SECRET_KEY.strip():
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")

ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "accounts.apps.AxesConfig",  # django-axes, named in Vietnamese in the admin
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "plans",
    "targets",
    "tasks",
    "reports",
    "notices",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kttt_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "kttt_portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kttt_portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite behind a threaded web server: WAL lets pages read while one request writes;
    # IMMEDIATE transactions take the write lock at BEGIN, so concurrent writers queue
    # (up to the busy timeout) instead of failing with "database is locked" halfway.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("KTTT_SQLITE_TIMEOUT", default=30),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests run on a file too (not in memory), so that live-server tests exercise real
    # concurrent connections; one file per test process (removed when the run ends), in
    # the system's temporary directory so that a fresh clone (no var/ yet) can run them.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"test_kttt_portal_{os.getpid()}.sqlite3")
    )
    # The task lists' covering index (tasks.Task, "task_active_state") is PostgreSQL's;
    # SQLite builds it without its extra columns, which is what the warning says.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the portal's queries are short, and PostgreSQL's cost estimates
    # for the task lists' correlated subqueries (overdue, completed) passed its threshold at
    # national scale, where compiling took 1.2 s of a 1.5 s query (benchmark, --scale 1).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# History keeps the reason people give (up to 255 characters in the forms): a text column,
# not django-simple-history's default of 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# django-axes first: it refuses a locked-out username+address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "home"

# Vietnamese interface, Vietnamese formats: 05/3/2023 and 14.000.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kttt_portal.formats"]
# Numbers are written with the vn_number filter (14.000, 12,5): years stay 2025.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

CSRF_FAILURE_VIEW = "common.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# HTTPS. Everything here is off while DEBUG is on (runserver speaks plain HTTP). HSTS is
# opt-in even in production: browsers remember it, so it is turned on only once the host
# is known to stay on HTTPS (README, "Production settings").
SECURE_SSL_REDIRECT = not DEBUG and env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = not DEBUG and env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG and env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = not DEBUG and env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)

# Behind a reverse proxy that terminates TLS: "HTTP_X_FORWARDED_PROTO=https" trusts that
# header (the proxy must set it and drop the client's own).
_proxy_ssl_header = env("DJANGO_SECURE_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    _header, _, _value = _proxy_ssl_header.partition("=")
    if not _header.startswith("HTTP_") or not _value:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must look like HTTP_X_FORWARDED_PROTO=https"
        )
    SECURE_PROXY_SSL_HEADER = (_header, _value)
USE_X_FORWARDED_HOST = env.bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# django-filter: an empty choice reads "Tất cả" (all), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

# Content-Security-Policy (django-csp 4): only the portal's own files, no inline script or
# style (templates use classes, e.g. w-0…w-100 for bar widths), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is refused for the cool-off with the Vietnamese
# lockout page (HTTP 429); a successful login clears the count.
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
SUPPORT_CONTACT = env("KTTT_SUPPORT_CONTACT", default="")

# E-mail (README, "E-mail"): notices of reviewed task reports and reminders before the
# due date. The console in development; SMTP from the environment in production.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("DJANGO_EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="kttt-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's public address, for the links in e-mails.
SITE_URL = env("KTTT_SITE_URL", default="http://127.0.0.1:8000")
# Reminders (manage.py send_reminders, run daily): days before a report's due date on
# which agencies with reports still missing are reminded, once each.
REMINDER_DAYS = sorted(
    {int(day) for day in env.list("KTTT_REMINDER_DAYS", default=["14", "3"])}, reverse=True
)

# Background work (django-tasks): slow report files are built by `manage.py db_worker`
# (make worker, deploy/kttt-portal-worker.service) from a queue kept in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A consolidated report too large to assemble in the request is served as the worker last
# found it current, if within these minutes; otherwise the worker checks it first.
KTTT_REPORT_RECHECK_MINUTES = env.int("KTTT_REPORT_RECHECK_MINUTES", default=10)
# A plan's reporting rate and its targets' progress listed on the home page
# (tasks.models.CompletenessSummary, targets.models.ProgressSummary) are recomputed when
# their data changes, and in any case when older than these minutes.
KTTT_COMPLETENESS_MAX_AGE_MINUTES = env.int("KTTT_COMPLETENESS_MAX_AGE_MINUTES", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# Seeds: the five plan documents live beside the project in ../shared/seeds; the data
# taken from them lives in fixtures/.
FIXTURES_DIR = BASE_DIR / "fixtures"

# Yearly reports cover 15/12 of the previous year to 14/12 of the report year
# (Nghị định 09/2019/NĐ-CP, Điều 12 khoản 4). "DD/MM" of the previous year.
REPORT_PERIOD_START = env("KTTT_REPORT_PERIOD_START", default="15/12")
