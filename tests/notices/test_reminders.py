"""Reminders by e-mail before the due date (manage.py send_reminders): to the agencies
whose reports are still missing, in Vietnamese with the portal's links, never twice."""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notices.models import ReminderSent
from notices.services import reminders_send
from plans.choices import AgencyKind
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2026
D = datetime.date
DAYS = [14, 3]


@pytest.fixture
def world(settings):
    """A plan due 15/12 with a yearly task led by an agency with two users (one without
    an e-mail address) and a task led by another agency that has already reported."""
    settings.SITE_URL = "https://kttt.example.vn"
    plan = f.PlanFactory()
    agency = f.AgencyFactory(locality=plan.locality, name="Sở Nông nghiệp và Môi trường")
    f.agency_user(agency, email="a@example.vn")
    f.agency_user(agency, email="")
    f.agency_user(agency, email="off@example.vn", is_active=False)
    task = f.TaskFactory(plan=plan, leads=[agency])
    done_agency = f.AgencyFactory(locality=plan.locality)
    f.agency_user(done_agency, email="done@example.vn")
    f.TaskReportFactory(
        task=f.TaskFactory(plan=plan, leads=[done_agency]),
        agency=done_agency,
        year=YEAR,
        submitted=True,
    )
    return {"plan": plan, "agency": agency, "task": task}


def mine(outcomes, world):
    return [o for o in outcomes if o.reminder.plan == world["plan"]]


def test_an_agency_with_a_report_missing_is_reminded_in_vietnamese(world, mailoutbox):
    outcomes = mine(reminders_send(today=D(YEAR, 12, 1), days=DAYS), world)
    assert [(o.reminder.agency, o.status) for o in outcomes] == [(world["agency"], "sent")]
    [message] = [m for m in mailoutbox if m.to == ["a@example.vn"]]
    assert "Nhắc" in message.subject and "15/12/2026" in message.subject
    assert "còn 14 ngày" in message.subject
    report_url = reverse("tasks:report_edit", args=[world["task"].pk, YEAR])
    assert f"https://kttt.example.vn{report_url}" in message.body
    assert world["task"].code in message.body and "chưa gửi" in message.body
    assert "https://kttt.example.vn/nhiem-vu/cua-toi/" in message.body
    record = ReminderSent.objects.get(agency=world["agency"])
    assert (record.year, record.due_on, record.days_before) == (YEAR, D(YEAR, 12, 15), 14)
    assert record.recipients == "a@example.vn" and record.tasks == world["task"].code


def test_the_same_reminder_is_never_sent_twice(world, mailoutbox):
    reminders_send(today=D(YEAR, 12, 1), days=DAYS)
    sent = len(mailoutbox)
    assert not mine(reminders_send(today=D(YEAR, 12, 1), days=DAYS), world)
    assert not mine(reminders_send(today=D(YEAR, 12, 5), days=DAYS), world)
    assert len(mailoutbox) == sent
    second = mine(reminders_send(today=D(YEAR, 12, 12), days=DAYS), world)
    assert [(o.reminder.days_before, o.status) for o in second] == [(3, "sent")]
    assert not mine(reminders_send(today=D(YEAR, 12, 14), days=DAYS), world)
    assert ReminderSent.objects.filter(agency=world["agency"]).count() == 2


def test_a_missed_run_sends_one_reminder_not_several(world, mailoutbox):
    outcomes = mine(reminders_send(today=D(YEAR, 12, 13), days=DAYS), world)
    assert [o.reminder.days_before for o in outcomes] == [3]
    assert not mine(reminders_send(today=D(YEAR, 12, 14), days=DAYS), world)


def test_nobody_is_reminded_too_early_after_the_date_or_once_reported(world, mailoutbox):
    assert not mine(reminders_send(today=D(YEAR, 11, 30), days=DAYS), world)
    assert not mine(reminders_send(today=D(YEAR, 12, 16), days=DAYS), world)
    f.TaskReportFactory(task=world["task"], agency=world["agency"], year=YEAR, submitted=True)
    assert not mine(reminders_send(today=D(YEAR, 12, 1), days=DAYS), world)
    assert not mailoutbox


def test_a_final_year_and_a_group_of_bodies_are_not_reminded(world, mailoutbox):
    group = f.AgencyFactory(
        locality=world["plan"].locality, kind=AgencyKind.GROUP, name="Các Sở, ban, ngành"
    )
    f.TaskFactory(plan=world["plan"], leads=[group])
    outcomes = mine(reminders_send(today=D(YEAR, 12, 1), days=DAYS), world)
    assert group not in [o.reminder.agency for o in outcomes]
    f.PlanYearFactory(plan=world["plan"], year=YEAR, final=True)
    ReminderSent.objects.all().delete()
    assert not mine(reminders_send(today=D(YEAR, 12, 1), days=DAYS), world)


def test_an_agency_without_an_address_is_listed_and_not_recorded(world, mailoutbox):
    silent = f.AgencyFactory(locality=world["plan"].locality)
    f.TaskFactory(plan=world["plan"], leads=[silent])
    outcomes = mine(reminders_send(today=D(YEAR, 12, 1), days=DAYS), world)
    assert ("no_address", silent) in [(o.status, o.reminder.agency) for o in outcomes]
    assert not ReminderSent.objects.filter(agency=silent).exists()


def test_a_message_that_cannot_be_sent_is_not_recorded(world, mailoutbox, monkeypatch, caplog):
    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    with caplog.at_level(logging.ERROR):
        outcomes = mine(reminders_send(today=D(YEAR, 12, 1), days=DAYS), world)
    assert [o.status for o in outcomes] == ["failed"]
    assert not ReminderSent.objects.filter(agency=world["agency"]).exists()
    assert "Could not send the reminder" in caplog.text


def test_the_command_for_the_daily_timer(world, mailoutbox):
    out = io.StringIO()
    call_command("send_reminders", "--today", f"{YEAR}-12-01", "--dry-run", stdout=out)
    assert "dry_run: Sở Nông nghiệp và Môi trường" in out.getvalue()
    assert not mailoutbox and not ReminderSent.objects.exists()
    call_command("send_reminders", "--today", f"{YEAR}-12-01", "--days", "14", stdout=out)
    assert "sent: Sở Nông nghiệp và Môi trường" in out.getvalue()
    assert ["a@example.vn"] in [m.to for m in mailoutbox]
    assert ReminderSent.objects.filter(agency=world["agency"]).count() == 1


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "15/12/2026", stdout=io.StringIO())
