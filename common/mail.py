"""E-mail to portal users: Vietnamese text from a template, links to the portal.

Django's mail framework sends it (``EMAIL_BACKEND``: the console in development, SMTP from
the environment in production; README, "E-mail"). Links are absolute, on ``SITE_URL``.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    """``path`` (from ``reverse``) on the portal's public address (``KTTT_SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def recipients_of(users) -> list[str]:
    """The distinct e-mail addresses of ``users`` (those without one are left out)."""
    return sorted({user.email for user in users if user.email})


def send_portal_mail(*, to: list[str], subject_template: str, body_template: str, context):
    """Send one message to ``to`` (an agency's users), rendered in the
    portal's language. Returns the number of messages sent (0 without recipients)."""
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": site_url("/")}
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    message = EmailMessage(subject=subject, body=body, to=to)
    return message.send()
