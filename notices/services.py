"""Sending the reminders: each one recorded in the same transaction as it is sent, so a
reminder is never sent twice (a second run, or two at once, finds the record) and a
message that could not be sent is not recorded (the next run tries again)."""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse

from common.formatting import vn_date
from common.mail import send_portal_mail, site_url
from tasks.notices import agency_recipients

from .models import ReminderSent
from .selectors import Reminder, reminders_due

logger = logging.getLogger(__name__)

SENT, NO_ADDRESS, ALREADY_SENT, FAILED, DRY_RUN = (
    "sent",
    "no_address",
    "already_sent",
    "failed",
    "dry_run",
)


@dataclass
class Outcome:
    reminder: Reminder
    recipients: list[str]
    status: str


def reminders_send(*, today: datetime.date, days: list[int], dry_run: bool = False) -> list:
    """Send the reminders due on ``today`` (:func:`notices.selectors.reminders_due`);
    returns an :class:`Outcome` for each."""
    outcomes = []
    for reminder in reminders_due(today=today, days=days):
        recipients = agency_recipients(reminder.agency)
        if not recipients:
            status = NO_ADDRESS
        elif dry_run:
            status = DRY_RUN
        else:
            status = _send(reminder, recipients)
        outcomes.append(Outcome(reminder, recipients, status))
    return outcomes


def _send(reminder: Reminder, recipients: list[str]) -> str:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                plan=reminder.plan,
                agency=reminder.agency,
                year=reminder.year,
                due_on=reminder.due,
                days_before=reminder.days_before,
                recipients=", ".join(recipients),
                tasks=", ".join(task.code for task in reminder.tasks),
            )
            send_portal_mail(
                to=recipients,
                subject_template="notices/email/reminder_subject.txt",
                body_template="notices/email/reminder.txt",
                context=_context(reminder),
            )
    except IntegrityError:
        return ALREADY_SENT
    except Exception:  # the mail server: logged, not recorded, tried again next run
        logger.exception(
            "Could not send the reminder to %s (%s)", reminder.agency, reminder.plan.slug
        )
        return FAILED
    return SENT


def _context(reminder: Reminder) -> dict:
    return {
        "r": reminder,
        "due": vn_date(reminder.due),
        "tasks": [
            (task, site_url(reverse("tasks:report_edit", args=[task.pk, reminder.year])))
            for task in reminder.tasks
        ],
        "my_tasks_url": site_url(reverse("tasks:my_tasks")),
    }
