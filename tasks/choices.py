from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuous (Thường xuyên)")
    YEARLY = "yearly", _("Yearly (Hàng năm)")
    YEAR = "year", _("Within a year")
    YEAR_RANGE = "year_range", _("Over a range of years")
    QUARTER = "quarter", _("Within a quarter")
    NOT_STATED = "not_stated", _("Not stated")
    UNKNOWN = "unknown", _("Not understood (kept as written)")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead (chủ trì)")
    PARTNER = "partner", _("Cooperating (phối hợp)")
