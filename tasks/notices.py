"""Notices to an agency when the plan's staff accept or return its task report: an e-mail
to the agency's users, sent once the review is committed (``transaction.on_commit``), so
a review rolled back sends nothing. A failure to send is logged; the review stands."""

import logging

from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.choices import Role
from common.mail import recipients_of, send_portal_mail, site_url

from .choices import ReportState
from .models import TaskReport

logger = logging.getLogger(__name__)


def agency_recipients(agency) -> list[str]:
    """The e-mail addresses of an agency's active users who report for it."""
    users = get_user_model().objects.filter(agency=agency, role=Role.AGENCY, is_active=True)
    return recipients_of(users)


def report_review_notify(report_id: int) -> int:
    """Tell the report's agency that its report was accepted or returned (with the
    reviewer's comment). Returns the number of messages sent."""
    report = (
        TaskReport.objects.select_related("task__plan__locality", "task__section", "agency")
        .filter(pk=report_id, state__in=[ReportState.ACCEPTED, ReportState.RETURNED])
        .first()
    )
    if report is None:
        return 0
    context = {
        "report": report,
        "task": report.task,
        "returned": report.state == ReportState.RETURNED,
        "report_url": site_url(reverse("tasks:report_edit", args=[report.task_id, report.year])),
        "my_tasks_url": site_url(reverse("tasks:my_tasks")),
    }
    try:
        return send_portal_mail(
            to=agency_recipients(report.agency),
            subject_template="tasks/email/report_reviewed_subject.txt",
            body_template="tasks/email/report_reviewed.txt",
            context=context,
        )
    except Exception:  # the review is committed: a mail server's failure must not undo it
        logger.exception("Could not send the review notice of task report %s", report_id)
        return 0
