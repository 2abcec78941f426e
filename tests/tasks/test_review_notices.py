"""An agency's users are told by e-mail when its task report is accepted or returned,
once the review is committed."""

import logging

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from tasks.services import task_report_review
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.SITE_URL = "https://kttt.example.vn/"
    plan = f.PlanFactory()
    agency = f.AgencyFactory(locality=plan.locality)
    f.agency_user(agency, email="mot@example.vn")
    f.agency_user(agency, email="hai@example.vn")
    f.agency_user(agency, email="")
    f.agency_user(agency, email="nghi@example.vn", is_active=False)
    f.agency_user(f.AgencyFactory(), email="khac@example.vn")
    report = f.TaskReportFactory(
        task=f.TaskFactory(plan=plan, leads=[agency]), agency=agency, submitted=True
    )
    return {"report": report, "staff": f.plan_staff(plan)}


def review(client, world, decision, comment=""):
    client.force_login(world["staff"])
    url = reverse("tasks:report_review", args=[world["report"].pk])
    return client.post(url, {"decision": decision, "comment": comment})


def test_a_returned_report_is_told_with_the_comment(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review(client, world, "return", "Bổ sung số liệu quý IV.")
    [message] = mailoutbox
    assert sorted(message.to) == ["hai@example.vn", "mot@example.vn"]
    report = world["report"]
    assert "bị trả lại" in message.subject and report.task.code in message.subject
    assert "Bổ sung số liệu quý IV." in message.body
    url = reverse("tasks:report_edit", args=[report.task_id, report.year])
    assert f"https://kttt.example.vn{url}" in message.body
    assert "Kính gửi" in message.body


def test_an_accepted_report_is_told(client, world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review(client, world, "accept")
    [message] = mailoutbox
    assert "đã được chấp nhận" in message.subject


def test_nothing_is_sent_before_the_commit_nor_for_a_review_rolled_back(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            task_report_review(report=world["report"], user=world["staff"], accept=True, comment="")
            raise RuntimeError("rolled back")
    assert not callbacks and not mailoutbox


def test_a_refused_review_sends_nothing(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review(client, world, "return", "")  # a return needs a comment
    assert not mailoutbox


def test_a_mail_server_failure_leaves_the_review_recorded(
    client, world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = review(client, world, "accept")
    assert response.status_code == 302
    world["report"].refresh_from_db()
    assert world["report"].state == "accepted"
    assert "Could not send the review notice" in caplog.text
