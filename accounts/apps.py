from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from common import search

        # the lowest app: the search's `vnfold` lookup and SQLite function (common/search.py)
        search.install()

        # django-axes names its records in English, outside any catalogue; the admin
        # shows these names in its titles and history.
        AccessAttempt.__str__ = _attempt_name
        AccessFailureLog.__str__ = _failure_name
        AccessLog.__str__ = _log_name


class AxesConfig(axes_apps.AppConfig):
    """django-axes (login throttling, a lockout page of this app) as INSTALLED_APPS names
    it: its own config under a Vietnamese name, the admin's section heading ("Axes" is
    its label, which no catalogue translates). Django's way to rename a reusable app.

    ``default = False``: "accounts" in INSTALLED_APPS keeps taking AccountsConfig, the
    one other config of this module (axes' config is reached through its module, so that
    it is no candidate either)."""

    default = False
    verbose_name = _("Sign-ins and lockouts")


def _when(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _attempt_name(attempt) -> str:
    return gettext("Failed sign-ins by %(username)s since %(time)s") % {
        "username": attempt.username,
        "time": _when(attempt.attempt_time),
    }


def _failure_name(failure) -> str:
    return gettext("Failed sign-in by %(username)s at %(time)s from %(ip)s") % {
        "username": failure.username,
        "time": _when(failure.attempt_time),
        "ip": failure.ip_address,
    }


def _log_name(log) -> str:
    return gettext("Sign-in by %(username)s at %(time)s") % {
        "username": log.username,
        "time": _when(log.attempt_time),
    }
