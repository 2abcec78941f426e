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
