"""Report files built off the request path (reports.builds): a download that would render
a PDF (or any consolidated file) answers at once with a progress page (202) and queues one
build; the worker (django-tasks' ``db_worker``) builds it; the same download then gets the
file (200), again and again without rendering while the data is unchanged; a change to the
data builds a new file; a failed build says so in Vietnamese and can be retried."""

import datetime
import hashlib
import io
import re
import unicodedata
from decimal import Decimal as D
from unittest import mock

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from plans.models import Agency, Plan
from reports import builds
from reports.assembly import assemble_plan_report
from reports.choices import BuildStatus, BuiltFileKind
from reports.models import AnnualReport, BuiltReportFile
from reports.services import annual_report_finalise
from targets.models import FigureSheet
from targets.services import FigureInput, figures_save
from tasks.models import Task, TaskReport
from tests import factories as f
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
YEAR = 2025
PDF_URL = reverse("reports:report_download", args=["dak-nong", YEAR, "pdf"])


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def renders():
    """Counts the PDFs rendered (WeasyPrint), in the request or in the worker."""
    from reports import services

    with mock.patch.object(services, "render_pdf", wraps=services.render_pdf) as spy:
        yield spy


def set_htx_count(plan, user, value):
    sheet = FigureSheet.objects.filter(**f.place_where(plan, YEAR)).first()
    figures_save(
        plan=plan,
        year=YEAR,
        user=user,
        version=sheet.version if sheet else 0,
        values={"htx_count": FigureInput(D(value))},
    )


def consolidated_url(**query):
    from urllib.parse import urlencode

    issuer = Agency.objects.get(name="Chính phủ").pk
    url = reverse("reports:consolidated", args=[YEAR, query.pop("fmt", "pdf")])
    return f"{url}?{urlencode({'issuer': issuer, **query}, doseq=True)}"


def test_a_draft_pdf_is_not_rendered_in_the_request(client, leader, renders):
    """The download answers at once with a Vietnamese progress page and one queued build."""
    client.force_login(leader)
    response = client.get(PDF_URL)
    assert response.status_code == 202
    assert not renders.called
    html = response.content.decode()
    assert "Đang tạo báo cáo…" in html and "bao-cao-dak-nong-2025.pdf" in html
    assert "Đang chờ đến lượt" in html  # the step
    assert f'href="{PDF_URL}"' in html  # come back to the same link
    assert response["Refresh"] == f"3; url={PDF_URL}"
    assert "<script>" not in html and "style=" not in html  # the CSP allows neither
    assert "script-src" in response["Content-Security-Policy"]
    built = BuiltReportFile.objects.get()
    assert (built.kind, built.format, built.status) == ("plan", "pdf", BuildStatus.QUEUED)
    assert DBTaskResult.objects.get().task_path == "reports.jobs.build_report_file"


def test_the_worker_builds_the_file_and_downloads_reuse_it(client, leader, renders, media):
    client.force_login(leader)
    assert client.get(PDF_URL).status_code == 202
    assert client.get(PDF_URL).status_code == 202  # still waiting: no second build
    assert BuiltReportFile.objects.count() == 1 and DBTaskResult.objects.count() == 1

    assert f.run_report_worker() == 1
    assert renders.call_count == 1
    built = BuiltReportFile.objects.get()
    assert built.status == BuildStatus.DONE and built.file.name.startswith("reports/built/plan/")
    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-dak-nong-2025.pdf"'
    text = pdf_text(response.content)
    assert "DỰ THẢO" in text and "Đắk Nông" in text
    assert hashlib.sha256(response.content).hexdigest() == built.sha256

    again = client.get(PDF_URL)
    assert again.status_code == 200 and again.content == response.content
    assert renders.call_count == 1  # served from the file, not rendered again


def test_a_changed_figure_builds_a_new_file_and_the_old_one_goes(
    client, leader, plan_staff, dak_nong, media, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    set_htx_count(dak_nong, plan_staff, 320)
    first = f.download(client, PDF_URL)
    assert first.status_code == 200 and "320" in pdf_text(first.content)
    old = BuiltReportFile.objects.get()

    set_htx_count(dak_nong, plan_staff, 345)
    response = client.get(PDF_URL)
    assert response.status_code == 202
    new = BuiltReportFile.objects.exclude(pk=old.pk).get()
    assert new.fingerprint != old.fingerprint and new.key == old.key

    with django_capture_on_commit_callbacks(execute=True):  # the old file goes on commit
        f.run_report_worker()
    response = client.get(PDF_URL)
    assert response.status_code == 200 and "345" in pdf_text(response.content)
    assert list(BuiltReportFile.objects.all()) == [new]  # the older file of the download went
    assert not (media / old.file.name).exists()


def test_a_task_report_or_the_report_text_changes_the_fingerprint(dak_nong, plan_staff):
    key = builds.request_key(kind="plan", fmt="pdf", params={"plan": "dak-nong", "year": YEAR})

    def fingerprint():
        plan = Plan.objects.get(slug="dak-nong")
        report = AnnualReport.objects.filter(plan=plan, year=YEAR).first()
        content = assemble_plan_report(plan=plan, year=YEAR, report=report)
        return builds.content_fingerprint(key=key, content=content)

    before = fingerprint()
    assert fingerprint() == before  # assembling twice: the same fingerprint
    task = Task.objects.get(plan=dak_nong, section__number="II", number="2")
    TaskReport.objects.create(
        task=task,
        year=YEAR,
        agency=task.lead_agencies[0],
        role="lead",
        done="Đã tổ chức hội nghị.",
        state="submitted",
        submitted_at=timezone.now(),
        version=1,
    )
    after_task = fingerprint()
    assert after_task != before
    AnnualReport.objects.create(plan=dak_nong, year=YEAR, proposals="Bổ sung vốn.")
    assert fingerprint() != after_task


def test_the_renderer_is_part_of_the_fingerprint(dak_nong, monkeypatch):
    content = assemble_plan_report(plan=dak_nong, year=YEAR)
    before = builds.content_fingerprint(key="k", content=content)
    monkeypatch.setattr(builds, "VERSION", "changed")
    builds.renderer_version.cache_clear()
    try:
        assert builds.content_fingerprint(key="k", content=content) != before
    finally:
        monkeypatch.undo()
        builds.renderer_version.cache_clear()


def test_simultaneous_requests_queue_one_build(client, leader):
    """Two requests at once: the second one's lookup ran before the first one's insert, so
    it tries to insert too; the unique fingerprint turns its insert into a read, and it
    queues nothing."""
    client.force_login(leader)
    assert client.get(PDF_URL).status_code == 202
    original_get = QuerySet.get
    missed = []

    def get_before_the_insert(self, *args, **kwargs):
        if self.model is BuiltReportFile and not missed:
            missed.append(kwargs)
            raise BuiltReportFile.DoesNotExist
        return original_get(self, *args, **kwargs)

    with mock.patch.object(QuerySet, "get", get_before_the_insert):
        assert client.get(PDF_URL).status_code == 202
    assert missed  # the race happened
    assert BuiltReportFile.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_a_failed_build_says_so_and_can_be_retried(client, leader, caplog):
    client.force_login(leader)
    client.get(PDF_URL)
    with mock.patch.object(builds, "render_content", side_effect=RuntimeError("Pango")):
        f.run_report_worker()
    built = BuiltReportFile.objects.get()
    assert built.status == BuildStatus.FAILED and "Pango" in built.error
    response = client.get(PDF_URL)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Không tạo được báo cáo" in html and "Pango" not in html
    assert f'href="{PDF_URL}?retry=1"' in html
    assert "Refresh" not in response

    response = client.get(PDF_URL, {"retry": "1"})
    assert response.status_code == 202
    built.refresh_from_db()
    assert built.status == BuildStatus.QUEUED and built.attempts == 2
    assert response["Refresh"] == f"3; url={PDF_URL}"  # back without retry
    f.run_report_worker()
    assert client.get(PDF_URL).status_code == 200


def test_a_build_stuck_for_too_long_counts_as_failed(client, leader):
    client.force_login(leader)
    client.get(PDF_URL)
    BuiltReportFile.objects.update(
        created_at=timezone.now() - builds.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    response = client.get(PDF_URL)
    assert response.status_code == 409 and "Không tạo được báo cáo" in response.content.decode()
    assert client.get(PDF_URL, {"retry": "1"}).status_code == 202


def test_a_built_file_gone_missing_is_built_again(client, leader, media):
    client.force_login(leader)
    f.download(client, PDF_URL)
    (media / BuiltReportFile.objects.get().file.name).unlink()
    assert client.get(PDF_URL).status_code == 202
    assert f.download(client, PDF_URL).status_code == 200


def test_the_data_changing_before_the_build_labels_the_file_with_what_it_shows(
    client, leader, plan_staff, dak_nong
):
    client.force_login(leader)
    assert client.get(PDF_URL).status_code == 202
    set_htx_count(dak_nong, plan_staff, 377)  # after the request, before the worker
    f.run_report_worker()
    response = client.get(PDF_URL)
    assert response.status_code == 200 and "377" in pdf_text(response.content)


def test_word_and_excel_of_a_plan_are_rendered_in_the_request(client, leader):
    client.force_login(leader)
    for fmt in ("docx", "xlsx"):
        url = reverse("reports:report_download", args=["dak-nong", YEAR, fmt])
        assert client.get(url).status_code == 200
    assert not BuiltReportFile.objects.exists()


def test_a_final_report_is_served_from_its_stored_file(client, plan_staff, dak_nong, renders):
    annual = annual_report_finalise(report=AnnualReport(plan=dak_nong, year=YEAR), user=plan_staff)
    client.force_login(plan_staff)
    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == annual.pdf_sha256
    assert renders.call_count == 1  # when finalising, not for the download
    assert not BuiltReportFile.objects.exists()


def test_the_consolidated_report_is_built_by_the_worker(client, leader, renders):
    client.force_login(leader)
    url = consolidated_url(plan=["dak-nong", "kon-tum"])
    response = client.get(url)
    assert response.status_code == 202 and not renders.called
    assert "bao-cao-tong-hop-2025.pdf" in response.content.decode()
    built = BuiltReportFile.objects.get()
    assert built.kind == BuiltFileKind.CONSOLIDATED and built.params["plans"] == [
        "dak-nong",
        "kon-tum",
    ]
    f.run_report_worker()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Đắk Nông" in text and "Kon Tum" in text
    # another selection is another file; Word and Excel are built the same way
    assert client.get(consolidated_url(plan=["dak-nong"])).status_code == 202
    assert client.get(consolidated_url(fmt="xlsx", plan=["dak-nong"])).status_code == 202
    assert BuiltReportFile.objects.count() == 3
    assert renders.call_count == 1


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("agency", 403), ("plan_staff", 403), ("leadership", 202)],
)
def test_who_may_ask_for_a_consolidated_report(client, role, expected, plan_staff):
    users = {
        "agency": lambda: make_user("ag-b", "agency", agency=Agency.objects.get(name="Chính phủ")),
        "plan_staff": lambda: plan_staff,
        "leadership": lambda: make_user("lead-b", "leadership"),
    }
    if role in users:
        client.force_login(users[role]())
    assert client.get(consolidated_url()).status_code == expected
    assert BuiltReportFile.objects.exists() == (expected == 202)


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("agency", 403)])
def test_a_refused_download_queues_nothing(client, agency_user, role, expected):
    if role == "agency":
        client.force_login(agency_user)
    assert client.get(PDF_URL).status_code == expected
    assert not BuiltReportFile.objects.exists() and not DBTaskResult.objects.exists()


def test_the_fingerprint_depends_on_the_data_not_on_what_was_loaded_with_it(dak_nong):
    """The same data loaded with or without its related rows: one fingerprint (else the
    worker's file would never match the download); the place's name, which the templates
    read through the plan, is part of it."""
    key = "k"
    bare = Plan.objects.get(slug="dak-nong")
    loaded = Plan.objects.select_related(*builds.PLAN_RELATED, "locality__parent").get(
        slug="dak-nong"
    )
    first = builds.content_fingerprint(key=key, content=assemble_plan_report(plan=bare, year=YEAR))
    assert first == builds.content_fingerprint(
        key=key, content=assemble_plan_report(plan=loaded, year=YEAR)
    )
    dak_nong.locality.name = "Đắk Nông (cũ)"
    dak_nong.locality.save()
    renamed = Plan.objects.get(slug="dak-nong")
    assert first != builds.content_fingerprint(
        key=key, content=assemble_plan_report(plan=renamed, year=YEAR)
    )


def test_the_reports_page_says_which_pdf_is_being_built(client, leader):
    client.force_login(leader)
    index = reverse("reports:report_index")
    assert "(đang tạo)" not in client.get(index).content.decode()
    client.get(PDF_URL)
    html = client.get(index).content.decode()
    assert html.count("(đang tạo)") == 1
    f.run_report_worker()
    assert "(đang tạo)" not in client.get(index).content.decode()


@pytest.fixture
def live_portal(live_server, transactional_db):
    """A real threaded server (one database connection per request) with the five plans
    (transactional tests start from an empty database)."""
    from django.conf import settings

    from portal.seeding import seed_all

    seed_all(fixtures_dir=settings.FIXTURES_DIR)
    return live_server


def test_twenty_simultaneous_first_downloads_queue_one_build(live_portal):
    """Twenty people ask for the same draft PDF at the same instant: one build is queued,
    every one of them gets the progress page; once built, twenty at once get the file."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from tests.security.http import Session

    leader = make_user("lanhdao-many", "leadership")
    sessions = [Session(live_portal.url, leader) for _ in range(20)]

    def all_at_once():
        barrier = threading.Barrier(len(sessions))

        def fetch(session):
            barrier.wait()
            return session.get(PDF_URL)

        with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
            return list(pool.map(fetch, sessions))

    first = all_at_once()
    assert [r.status for r in first] == [202] * 20
    assert all("Đang tạo báo cáo" in r for r in first)
    assert BuiltReportFile.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert f.run_report_worker() == 1
    done = all_at_once()
    assert [r.status for r in done] == [200] * 20
    assert {r.headers["Content-Type"] for r in done} == {"application/pdf"}
    assert BuiltReportFile.objects.count() == 1


@pytest.fixture
def large(monkeypatch):
    """Two plans count as a large consolidated report (the worker checks it)."""
    monkeypatch.setattr(builds, "ASSEMBLED_IN_REQUEST", 1)
    from reports import views

    with mock.patch.object(
        views, "assemble_consolidated", wraps=views.assemble_consolidated
    ) as spy:
        yield spy


def test_a_large_consolidated_report_is_not_assembled_in_the_request(
    client, leader, renders, large
):
    client.force_login(leader)
    url = consolidated_url(plan=["dak-nong", "kon-tum"])

    first = client.get(url)

    assert first.status_code == 202 and "Đang tạo báo cáo…" in first.content.decode()
    assert not large.called and not renders.called  # nothing assembled in the request
    assert client.get(url).status_code == 202  # the same check, not a second one
    assert DBTaskResult.objects.count() == 1
    f.run_report_worker()
    done = client.get(url)
    assert done.status_code == 200
    assert "Kon Tum" in pdf_text(done.content)
    assert client.get(url).status_code == 200 and not large.called
    assert renders.call_count == 1


def test_a_large_report_is_checked_again_after_a_while_and_rebuilt_only_if_its_data_changed(
    client, leader, renders, large, dak_nong, plan_staff
):
    client.force_login(leader)
    url = consolidated_url(plan=["dak-nong", "kon-tum"])
    client.get(url)
    f.run_report_worker()
    built = BuiltReportFile.objects.get(status=BuildStatus.DONE)

    def age():
        BuiltReportFile.objects.filter(status=BuildStatus.DONE).update(
            checked_at=timezone.now() - builds.RECHECK_AFTER - datetime.timedelta(seconds=1)
        )

    # The data unchanged: the worker checks, finds the same fingerprint, renders nothing.
    age()
    assert client.get(url).status_code == 202
    f.run_report_worker()
    assert client.get(url).status_code == 200
    assert renders.call_count == 1
    assert BuiltReportFile.objects.get().pk == built.pk

    # A figure changes: within the window the checked file is still served; after it,
    # the worker finds new data and builds a new file, and the old one goes.
    set_htx_count(dak_nong, plan_staff, 777)
    assert client.get(url).status_code == 200
    age()
    assert client.get(url).status_code == 202
    f.run_report_worker()
    response = client.get(url)
    assert response.status_code == 200 and renders.call_count == 2
    assert "777" in pdf_text(response.content)
    assert BuiltReportFile.objects.get().pk != built.pk


def test_a_failed_check_of_a_large_report_can_be_retried(client, leader, large):
    client.force_login(leader)
    url = consolidated_url(plan=["dak-nong", "kon-tum"])
    client.get(url)
    with mock.patch.object(builds, "render_content", side_effect=RuntimeError("boom")):
        f.run_report_worker()
    assert client.get(url).status_code == 409  # says so, queues nothing by itself
    assert client.get(url).status_code == 409
    assert client.get(url + "&retry=1").status_code == 202
    f.run_report_worker()
    assert client.get(url).status_code == 200
