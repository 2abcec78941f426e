from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Agency, Plan


class ReminderSent(models.Model):
    """A reminder sent to an agency before its reports' due date: the record that keeps the
    daily run from sending it twice."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"))
    days_before = models.PositiveSmallIntegerField(
        _("days before"), help_text=_("The reminder's place in KTTT_REMINDER_DAYS.")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"))
    tasks = models.TextField(_("tasks still missing"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency", "year", "due_on", "days_before"],
                name="remindersent_once",
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.plan} – {self.year} ({self.days_before})"
