from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Targets and figures")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
