"""Remind agencies of their task reports still missing before the due date, by e-mail.

Meant for a daily timer (README, "E-mail"): each reminder goes out once (recorded in
``notices.ReminderSent``), on the first run at most ``--days`` days before the due date.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notices.services import FAILED, reminders_send


class Command(BaseCommand):
    help = "E-mail the agencies whose task reports are still missing before the due date."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            nargs="+",
            help="days before the due date (default: the setting KTTT_REMINDER_DAYS)",
        )
        parser.add_argument("--today", help="run as on this day (YYYY-MM-DD), for a check")
        parser.add_argument(
            "--dry-run", action="store_true", help="list the reminders, send and record nothing"
        )

    def handle(self, *args, days=None, today=None, dry_run=False, **options):
        days = sorted(set(days or settings.REMINDER_DAYS), reverse=True)
        if any(day < 0 for day in days):
            raise CommandError("--days must be 0 or more")
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--today must be a date, YYYY-MM-DD") from exc
        outcomes = reminders_send(today=day, days=days, dry_run=dry_run)
        for outcome in outcomes:
            r = outcome.reminder
            self.stdout.write(
                f"{outcome.status}: {r.agency.name} – {r.plan.slug} {r.year}, "
                f"due {r.due:%d/%m/%Y} ({r.days_left} days), {len(r.tasks)} tasks, "
                f"to {', '.join(outcome.recipients) or '-'}"
            )
        self.stdout.write(f"{len(outcomes)} reminders on {day:%d/%m/%Y}")
        if any(outcome.status == FAILED for outcome in outcomes):
            raise CommandError("some reminders could not be sent (see the log)")
