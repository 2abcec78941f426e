from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLAN_STAFF = "plan_staff", _("Plan staff")
    AGENCY = "agency", _("Agency user")
    LEADERSHIP = "leadership", _("Leadership")
    ADMIN = "admin", _("Administrator")
