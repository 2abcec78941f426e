"""Concurrent edits never lose data and never give a 500: twenty people saving the same
figure sheet or the same task report at the same instant through a real server (threaded,
one database connection per request), on SQLite as on PostgreSQL. Exactly one save wins;
every other request is a clear refusal, and the history holds exactly the winner."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from plans.models import Agency, Plan
from portal.seeding import seed_all
from targets.models import Figure, FigureSheet
from tasks.models import Task, TaskReport
from tests.conftest import make_user
from tests.factories import figures_of, place_where, plan_place_url
from tests.targets.test_views import form_data

from .http import Session

YEAR = 2025
N = 20


@pytest.fixture
def portal(live_server, transactional_db):
    seed_all(fixtures_dir=settings.FIXTURES_DIR)
    return live_server


def all_at_once(sessions, path, payloads):
    """POST each payload from its own session, released together by a barrier."""
    barrier = threading.Barrier(len(payloads))

    def send(index):
        barrier.wait()
        return sessions[index].post(path, payloads[index])

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(send, range(len(payloads))))


def test_twenty_simultaneous_saves_of_one_figure_sheet(portal):
    """One save wins; nineteen are told someone saved first; nothing else is written."""
    dak_nong = Plan.objects.get(slug="dak-nong")
    staff = [make_user(f"canbo-{i}", "plan_staff", plans=[dak_nong]) for i in range(N)]
    path = plan_place_url("targets:figure_entry", "dak-nong", YEAR)
    sessions = [Session(portal.url, user) for user in staff]
    client = Client()
    client.force_login(staff[0])
    page = client.get(path)
    payloads = [
        {
            **form_data(page, htx_count=str(300 + index)),
            "csrfmiddlewaretoken": session.csrf_token(path),
            "reason": f"người {index}",
        }
        for index, session in enumerate(sessions)
    ]

    responses = all_at_once(sessions, path, payloads)

    statuses = sorted(r.status for r in responses)
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == N - 1, statuses
    refused = [r for r in responses if r.status == 200]
    assert all("người khác đã lưu số liệu này" in r for r in refused)
    winner = payloads[next(i for i, r in enumerate(responses) if r.status == 302)]
    figure = figures_of(dak_nong).get(year=YEAR, indicator__code="htx_count")
    assert figure.value == int(winner["v_htx_count"])
    assert FigureSheet.objects.get(**place_where(dak_nong, YEAR)).version == 1
    assert Figure.history.filter(**place_where(dak_nong, YEAR)).count() == 1
    assert figure.history.get().history_change_reason == winner["reason"]


def test_twenty_simultaneous_first_saves_of_one_task_report(portal):
    """Twenty users of one agency save the same (new) report at once: one report is
    created, nineteen are refused with the other version shown; no text is silently
    overwritten."""
    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    users = [make_user(f"skhdt-{i}", "agency", agency=skhdt) for i in range(N)]
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="2")
    path = reverse("tasks:report_edit", args=[task.pk, YEAR + 1])
    sessions = [Session(portal.url, user) for user in users]
    payloads = [
        {
            "csrfmiddlewaretoken": session.csrf_token(path),
            "version": "0",
            "progress": "in_progress",
            "done": f"Nội dung của người thứ {index}.",
            "save": "1",
        }
        for index, session in enumerate(sessions)
    ]

    responses = all_at_once(sessions, path, payloads)

    statuses = sorted(r.status for r in responses)
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == N - 1, statuses
    winner = payloads[next(i for i, r in enumerate(responses) if r.status == 302)]
    report = TaskReport.objects.get(task=task, year=YEAR + 1, agency=skhdt)
    assert report.done == winner["done"]
    assert report.version == 1
    assert report.history.count() == 1
    for response, payload in zip(responses, payloads, strict=True):
        if response.status == 200:
            assert "người khác đã lưu báo cáo này" in response
            assert payload["done"] in response  # the loser's text is kept in the form
            assert winner["done"] in response  # and the winner's version is shown


def test_a_second_save_of_an_open_report_is_refused_then_a_deliberate_overwrite_works(portal):
    """Two users of one agency: the second save, built from an older version, is refused
    showing the first one's text; saving again (now knowing it) replaces it."""
    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    first, second = (
        Session(portal.url, make_user(f"skhdt-{i}", "agency", agency=skhdt)) for i in (1, 2)
    )
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="2")
    path = reverse("tasks:report_edit", args=[task.pk, YEAR + 1])
    token_1, token_2 = first.csrf_token(path), second.csrf_token(path)
    base = {"version": "0", "progress": "in_progress", "save": "1"}
    saved = first.post(path, {**base, "csrfmiddlewaretoken": token_1, "done": "Bản của A."})
    assert saved.status == 302
    refused = second.post(path, {**base, "csrfmiddlewaretoken": token_2, "done": "Bản của B."})
    assert refused.status == 200
    assert "Bản của A." in refused and "Bản của B." in refused
    assert TaskReport.objects.get().done == "Bản của A."
    again = second.post(
        path, {**base, "version": "1", "csrfmiddlewaretoken": token_2, "done": "Bản của B."}
    )
    assert again.status == 302
    report = TaskReport.objects.get()
    assert (report.done, report.version) == ("Bản của B.", 2)
    assert report.history.count() == 2


def test_three_simultaneous_finalisations_one_wins_and_no_orphan_files(portal, settings, tmp_path):
    """Three staff members finalise the same report at once: one finalises, the others are
    told it is already final; only the winner's two files are on disk."""
    settings.MEDIA_ROOT = str(tmp_path)
    dak_nong = Plan.objects.get(slug="dak-nong")
    sessions = [
        Session(portal.url, make_user(f"canbo-{i}", "plan_staff", plans=[dak_nong]))
        for i in range(3)
    ]
    path = reverse("reports:report_edit", args=["dak-nong", YEAR])
    payloads = [
        {
            "csrfmiddlewaretoken": session.csrf_token(path),
            "number_suffix": "BC-UBND",
            "difficulties": f"Khó khăn {i}",
            "finalise": "1",
            "confirm": "1",
        }
        for i, session in enumerate(sessions)
    ]

    responses = all_at_once(sessions, path, payloads)

    statuses = sorted(r.status for r in responses)
    assert 500 not in statuses and set(statuses) <= {200, 302}, statuses
    from reports.models import AnnualReport

    report = AnnualReport.objects.get(plan=dak_nong, year=YEAR)
    assert report.is_final
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert files == [f"bao-cao-dak-nong-{YEAR}.pdf", f"bao-cao-dak-nong-{YEAR}.xlsx"], files
    assert report.history.filter(status="final").count() == 1
    for response in responses:
        if response.status == 200:
            assert "đã hoàn thành (chốt)" in response


def test_a_review_or_an_admin_edit_makes_an_open_agency_page_stale(client, admin_user):
    """Anything that changes a report moves its version on: the agency page opened before
    it is refused rather than overwriting the change."""
    from tasks.services import TaskReportStale, task_report_review, task_report_save

    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    user = make_user("skhdt-r", "agency", agency=skhdt)
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="2")
    report = TaskReport(task=task, year=YEAR, agency=skhdt, role="lead", done="Bản đầu.")
    report = task_report_save(report=report, user=user, version=0, submit=True)
    task_report_review(report=report, user=admin_user, accept=False, comment="Bổ sung.")
    stale = TaskReport.objects.get(pk=report.pk)
    stale.version = 1  # the page the agency opened before the review
    stale.done = "Bản sửa."
    with pytest.raises(TaskReportStale):
        task_report_save(report=stale, user=user, version=1)
    client.force_login(admin_user)
    current = TaskReport.objects.get(pk=report.pk)
    client.post(
        reverse("admin:tasks_taskreport_change", args=[current.pk]),
        {
            "task": task.pk,
            "year": YEAR,
            "agency": skhdt.pk,
            "role": "lead",
            "progress": "in_progress",
            "done": "Sửa của quản trị.",
            "state": "returned",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "version": "0",
        },
    )
    after = TaskReport.objects.get(pk=report.pk)
    assert after.done == "Sửa của quản trị."
    assert after.version == current.version + 1
    with pytest.raises(TaskReportStale):
        task_report_save(report=current, user=user, version=current.version)


def test_a_deleted_report_is_not_silently_recreated(admin_user):
    from django.core.exceptions import ValidationError

    from tasks.services import task_report_save

    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    user = make_user("skhdt-d", "agency", agency=skhdt)
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="2")
    report = task_report_save(
        report=TaskReport(task=task, year=YEAR, agency=skhdt, role="lead", done="A"),
        user=user,
        version=0,
    )
    TaskReport.objects.filter(pk=report.pk).delete()
    report.done = "B"
    with pytest.raises(ValidationError, match="không còn"):
        task_report_save(report=report, user=user, version=1)
    assert not TaskReport.objects.exists()
