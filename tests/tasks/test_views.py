"""Task lists, reports, review and completeness, through the views, for every role."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.models import Agency
from tasks.models import Task, TaskEvidence, TaskReport
from tests import factories as f
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def dak_nong_task(code):
    section, number = code.split(".")
    return Task.objects.get(plan__slug="dak-nong", section__number=section, number=number)


@pytest.fixture
def skhdt(db):
    agency = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    return make_user("skhdt", "agency", agency=agency)


@pytest.fixture
def lmhtx(agency_user):
    return agency_user  # Liên minh Hợp tác xã tỉnh Đắk Nông


def post_report(client, url, data):
    """Post the report form as a browser does: with the version of the page it was built
    from (the hidden field that guards against concurrent edits)."""
    page = client.get(url)
    version = page.context["form"]["version"].value() if page.status_code == 200 else 0
    return client.post(url, {"version": version, **data})


def report_url(task, year=YEAR):
    return reverse("tasks:report_edit", args=[task.pk, year])


def test_my_tasks_lists_lead_and_cooperating_tasks(client, lmhtx):
    client.force_login(lmhtx)
    response = client.get(reverse("tasks:my_tasks"))
    assert response.status_code == 200
    codes = {row.record.code for row in response.context["table"].page.object_list}
    # Liên minh HTX leads I.3, II.12, IV.3, V.1, V.2 and cooperates on III.1, III.2, IV.1
    assert {"I.3", "II.12", "IV.3", "V.1", "V.2"} <= codes
    assert {"III.1", "III.2", "IV.1"} <= codes
    lead_only = client.get(reverse("tasks:my_tasks"), {"role": "lead"})
    assert {r.record.code for r in lead_only.context["table"].page.object_list} == {
        "I.3",
        "II.12",
        "IV.3",
        "V.1",
        "V.2",
    }


def test_skhdt_sees_rows_ii2_to_ii4(client, skhdt):
    client.force_login(skhdt)
    response = client.get(reverse("tasks:my_tasks"))
    codes = sorted(r.record.code for r in response.context["table"].page.object_list)
    assert codes == ["II.2", "II.3", "II.4"]


def test_landing_after_login_is_my_tasks_for_agencies(client, skhdt, leader):
    client.force_login(skhdt)
    assert client.get(reverse("landing"))["Location"] == reverse("tasks:my_tasks")
    client.force_login(leader)
    assert client.get(reverse("landing"))["Location"] == reverse("home")


def test_my_tasks_filters_and_export(client, lmhtx):
    client.force_login(lmhtx)
    url = reverse("tasks:my_tasks")
    text = client.get(url, {"q": "Quỹ hỗ trợ"})
    assert [r.record.code for r in text.context["table"].page.object_list] == ["II.12"]
    section = client.get(url, {"section": "V"})
    assert {r.record.code for r in section.context["table"].page.object_list} == {"V.1", "V.2"}
    year = client.get(url, {"deadline_year": "2023", "role": "lead"})
    assert "II.12" in {r.record.code for r in year.context["table"].page.object_list}
    export = client.get(url, {"section": "V", "_export": "xlsx"})
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "TT" and len(rows) == 3
    assert {r[0] for r in rows[1:]} == {"V.1", "V.2"}


def test_task_list_status_filter_and_overdue(client, leader):
    client.force_login(leader)
    response = client.get(reverse("tasks:task_list"), {"status": "overdue", "plan": ""})
    codes = {r.record.code for r in response.context["table"].page.object_list}
    # "Năm 2023" tasks with no completion report are overdue
    assert {"II.12", "III.1", "IV.4"} <= codes
    assert "I.1" not in codes
    assert 'class="overdue ' in response.content.decode()


# Who may open these pages: tests/test_permission_matrix.py.


def test_another_agency_cannot_open_an_edit_page_by_guessing_the_url(client):
    """Nor write a report through it: nothing is saved."""
    task = f.TaskFactory(leads=[f.AgencyFactory()])
    client.force_login(f.agency_user())
    assert client.get(report_url(task)).status_code == 403
    assert post_report(client, report_url(task), {"progress": "completed"}).status_code == 403
    assert not TaskReport.objects.filter(task=task).exists()


def test_reports_outside_the_plans_years_are_404(client, lmhtx):
    client.force_login(lmhtx)
    task = dak_nong_task("V.1")
    assert client.get(report_url(task, 2022)).status_code == 404  # before the plan (2023)
    assert client.get(report_url(task, YEAR + 1)).status_code == 404


def test_lead_agency_reports_submits_and_staff_return_and_accept(client, skhdt, plan_staff):
    task = dak_nong_task("II.3")
    client.force_login(skhdt)
    empty = post_report(
        client, report_url(task), {"progress": "in_progress", "done": "", "submit": "1"}
    )
    assert empty.status_code == 200
    assert "done" in empty.context["form"].errors
    assert not TaskReport.objects.exists()

    draft = post_report(
        client, report_url(task), {"progress": "in_progress", "done": "Đã dự thảo.", "save": "1"}
    )
    assert draft.status_code == 302
    report = TaskReport.objects.get(task=task, year=YEAR)
    assert (report.state, report.role) == ("draft", "lead")

    submitted = post_report(
        client,
        report_url(task),
        {
            "progress": "completed",
            "done": "Ban hành kế hoạch chuyển đổi số.",
            "deliverable_ref": "Kế hoạch số 45/KH-UBND ngày 02/4/2025",
            "completed_on": "02/4/2025",
            "file": SimpleUploadedFile("ke-hoach.pdf", PDF, "application/pdf"),
            "submit": "1",
        },
    )
    assert submitted.status_code == 302, submitted.context["form"].errors
    report.refresh_from_db()
    assert report.state == "submitted" and report.evidence.count() == 1
    assert report.evidence.get().content_type == "application/pdf"
    locked = post_report(
        client, report_url(task), {"progress": "in_progress", "done": "x", "save": "1"}
    )
    assert locked.status_code == 302
    report.refresh_from_db()
    assert report.done == "Ban hành kế hoạch chuyển đổi số."

    client.force_login(plan_staff)
    review = reverse("tasks:report_review", args=[report.pk])
    client.post(review, {"decision": "return", "comment": ""})
    report.refresh_from_db()
    assert report.state == "submitted"  # returning needs a comment
    client.post(review, {"decision": "return", "comment": "Bổ sung số liệu kinh phí."})
    report.refresh_from_db()
    assert report.state == "returned"

    client.force_login(skhdt)
    page = client.get(report_url(task))
    assert "Bổ sung số liệu kinh phí." in page.content.decode()
    post_report(
        client,
        report_url(task),
        {
            "progress": "completed",
            "done": "Bổ sung kinh phí 2 tỷ.",
            "deliverable_ref": "KH 45",
            "submit": "1",
        },
    )
    client.force_login(plan_staff)
    client.post(review, {"decision": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.state == "accepted"
    steps = [(e.from_state, e.to_state, e.user.username) for e in report.events.all()]
    assert steps == [
        ("draft", "submitted", "skhdt"),
        ("submitted", "returned", "staff-test"),
        ("returned", "submitted", "skhdt"),
        ("submitted", "accepted", "staff-test"),
    ]


def test_review_is_for_the_plans_staff_only(client, skhdt, leader):
    task = dak_nong_task("II.3")
    client.force_login(skhdt)
    post_report(client, report_url(task), {"progress": "in_progress", "done": "x", "submit": "1"})
    report = TaskReport.objects.get()
    for user in (skhdt, leader):
        client.force_login(user)
        response = client.post(
            reverse("tasks:report_review", args=[report.pk]), {"decision": "accept"}
        )
        assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == "submitted"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\0" * 100, "không thực sự là tệp PDF"),
        ("anh.png", PDF, "không thực sự là tệp PNG"),
        ("script.exe", b"MZ\x90\x00", "chỉ nhận tệp PDF"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(client, skhdt, name, content, message):
    client.force_login(skhdt)
    task = dak_nong_task("II.3")
    response = post_report(
        client,
        report_url(task),
        {
            "progress": "in_progress",
            "done": "Đang làm.",
            "save": "1",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("field-error") :][:400]
    assert not TaskReport.objects.exists() and not TaskEvidence.objects.exists()
    assert "Đang làm." in html  # input kept


def test_oversized_evidence_is_refused(client, skhdt, settings):
    client.force_login(skhdt)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (10 * 1024 * 1024 + 1))
    response = post_report(
        client,
        report_url(dak_nong_task("II.3")),
        {"progress": "in_progress", "done": "x", "save": "1", "file": big},
    )
    assert "quá lớn" in response.content.decode()
    assert not TaskReport.objects.exists()


def test_cooperating_agency_contributes_and_the_lead_sees_it(client, skhdt, lmhtx):
    task = dak_nong_task("IV.1")  # lead: BCĐ KTTT tỉnh; partner: Liên minh HTX
    client.force_login(lmhtx)
    post_report(
        client,
        report_url(task),
        {"progress": "in_progress", "done": "Góp ý dự thảo.", "submit": "1"},
    )
    contribution = TaskReport.objects.get()
    assert contribution.role == "partner"
    lead = make_user(
        "bcd",
        "agency",
        agency=Agency.objects.get(
            locality__code="dak-nong", name="Ban Chỉ đạo kinh tế tập thể tỉnh"
        ),
    )
    client.force_login(lead)
    page = client.get(report_url(task))
    assert "Góp ý dự thảo." in page.content.decode()


def test_evidence_download_permissions(client, skhdt, leader, lmhtx):
    task = dak_nong_task("II.3")
    client.force_login(skhdt)
    post_report(
        client,
        report_url(task),
        {
            "progress": "in_progress",
            "done": "x",
            "save": "1",
            "file": SimpleUploadedFile("bc.pdf", PDF),
        },
    )
    evidence = TaskEvidence.objects.get()
    url = reverse("tasks:evidence_download", args=[evidence.pk])
    assert client.get(url).status_code == 200
    client.force_login(leader)
    assert client.get(url).status_code == 200
    client.force_login(lmhtx)  # not assigned to II.3
    assert client.get(url).status_code == 403


def test_completeness_changes_when_an_agency_submits(client, skhdt, plan_staff):
    client.force_login(plan_staff)
    url = reverse("tasks:completeness", args=["dak-nong", YEAR])
    before = client.get(url).context["completeness"]
    row = next(a for a in before.agencies if a.agency.name == "Sở Kế hoạch và Đầu tư")
    assert row.submitted == 0 and row.state == "missing"
    client.force_login(skhdt)
    for code in ("II.2", "II.3", "II.4"):
        post_report(
            client,
            report_url(dak_nong_task(code)),
            {"progress": "in_progress", "done": "Đang thực hiện.", "submit": "1"},
        )
    client.force_login(plan_staff)
    after = client.get(url).context["completeness"]
    row = next(a for a in after.agencies if a.agency.name == "Sở Kế hoạch và Đầu tư")
    assert row.submitted == row.expected and row.state in ("complete", "late")
    assert after.rate > before.rate


def test_task_list_query_count_is_flat(client, leader, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        client.get(reverse("tasks:task_list"))


def test_the_lists_pager_speaks_vietnamese(client, leader):
    """django-tables2 has no Vietnamese catalogue: its "previous"/"next" come from ours."""
    client.force_login(leader)
    first = client.get(reverse("tasks:task_list")).content.decode()
    assert "Trang sau" in first and ">next<" not in first.replace(" ", "").replace("\n", "")
    second = client.get(reverse("tasks:task_list"), {"page": 2}).content.decode()
    assert "Trang trước" in second
