from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import Role


class User(AbstractUser):
    """A portal user: belongs to an agency and has one role."""

    # Django's own field with its label in the "account" context: the portal's "active"
    # (a task still carried out) must not name a user's account ("ĐANG THỰC HIỆN").
    is_active = models.BooleanField(
        pgettext_lazy("account", "active"),
        default=True,
        help_text=AbstractUser._meta.get_field("is_active").help_text,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENCY)
    agency = models.ForeignKey(
        "plans.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    plans = models.ManyToManyField(
        "plans.Plan",
        verbose_name=_("plans managed"),
        blank=True,
        related_name="staff",
        help_text=_("For plan staff: the plans whose figures they enter."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username
