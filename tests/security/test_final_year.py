"""A finalised year is final on every path: the portal's pages, uploads, reviews and the
admin all ask the one rule (plans.years); reopening is one administrator action with a
reason that unlocks figures, task reports and the report together. Downloads of a final
report check its stored SHA-256."""

import logging

import pytest
from django.urls import reverse

from plans.models import Agency, PlanYear
from plans.years import year_is_final
from reports.models import AnnualReport
from reports.services import annual_report_finalise
from targets.models import Figure, FigureSheet, Indicator
from targets.services import FigureInput, figures_save
from tasks.models import Task, TaskReport
from tests.conftest import make_user
from tests.factories import figures_of, place_where, plan_place_url
from tests.targets.test_excel import download, fill, upload
from tests.targets.test_views import entry_url, form_data

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def skhdt_user(db):
    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    return make_user("skhdt-f", "agency", agency=skhdt)


@pytest.fixture
def final_year(settings, tmp_path, dak_nong, plan_staff, skhdt_user):
    """Đắk Nông 2025 with a figure and a submitted task report, then finalised."""
    settings.MEDIA_ROOT = str(tmp_path)
    figures_save(
        plan=dak_nong,
        year=YEAR,
        values={"htx_count": FigureInput(value=300)},
        user=plan_staff,
        version=0,
    )
    task = Task.objects.get(plan=dak_nong, section__number="II", number="2")
    report = TaskReport.objects.create(
        task=task,
        year=YEAR,
        agency=skhdt_user.agency,
        role="lead",
        done="Đã thực hiện.",
        state="submitted",
        version=1,
    )
    annual = annual_report_finalise(report=AnnualReport(plan=dak_nong, year=YEAR), user=plan_staff)
    return {"task": task, "task_report": report, "annual": annual}


def test_staff_cannot_accept_or_return_a_final_years_task_report(client, plan_staff, final_year):
    report = final_year["task_report"]
    client.force_login(plan_staff)
    for decision in ("accept", "return"):
        response = client.post(
            reverse("tasks:report_review", args=[report.pk]),
            {"decision": decision, "comment": "Bổ sung."},
            follow=True,
        )
        assert "đã hoàn thành (chốt)" in response.content.decode()
    report.refresh_from_db()
    assert report.state == "submitted"
    assert not report.events.exists()


def test_the_agency_cannot_change_a_final_years_report(client, skhdt_user, final_year):
    """A draft left in a final year (editable by its state) is still refused: the year's
    rule decides, not the report's state."""
    lead = Task.objects.get(plan=final_year["task"].plan, section__number="II", number="3")
    draft = TaskReport.objects.create(
        task=lead, year=YEAR, agency=skhdt_user.agency, role="lead", done="Nháp.", version=1
    )
    client.force_login(skhdt_user)
    url = reverse("tasks:report_edit", args=[lead.pk, YEAR])
    page = client.get(url)
    assert page.context["editable"] is False
    assert "đã hoàn thành (chốt)" in page.content.decode()
    response = client.post(
        url, {"version": "1", "progress": "in_progress", "done": "Sửa sau khi chốt.", "save": "1"}
    )
    assert "đã hoàn thành (chốt)" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.done, draft.version) == ("Nháp.", 1)


def test_figures_of_a_final_year_cannot_change_by_page_or_upload(
    client, plan_staff, final_year, dak_nong
):
    client.force_login(plan_staff)
    page = client.get(entry_url())
    response = client.post(entry_url(), form_data(page, htx_count="301"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã bị khóa" in html and "đã hoàn thành" in html and dak_nong.number in html
    assert figures_of(dak_nong).get(year=YEAR).value == 300

    workbook = client.get(plan_place_url("targets:figure_template", "dak-nong", YEAR))
    assert workbook.status_code == 200
    upload(client, fill(download(client), htx_count=302))
    assert figures_of(dak_nong).get(year=YEAR).value == 300


def test_the_admin_cannot_edit_a_final_years_rows(client, admin_user, final_year, dak_nong):
    """Figures, task reports and the report text of a final year are read-only in the
    admin; a new figure for that year is refused; the bulk delete is not offered; the figure
    sheet has no lock of its own to untick."""
    client.force_login(admin_user)
    figure = figures_of(dak_nong).get(year=YEAR)
    task_report = final_year["task_report"]
    annual = final_year["annual"]
    cases = [
        ("admin:targets_figure_change", figure.pk, {"value": "999"}),
        ("admin:tasks_taskreport_change", task_report.pk, {"done": "Sửa trong admin."}),
        ("admin:reports_annualreport_change", annual.pk, {"difficulties": "Sửa sau khi chốt."}),
    ]
    for name, pk, data in cases:
        url = reverse(name, args=[pk])
        page = client.get(url)
        assert page.status_code == 200
        assert not page.context["has_change_permission"]
        assert client.post(url, data).status_code == 403
    figure.refresh_from_db()
    task_report.refresh_from_db()
    annual.refresh_from_db()
    assert figure.value == 300
    assert task_report.done == "Đã thực hiện."
    assert annual.difficulties == ""

    response = client.post(
        reverse("admin:targets_figure_add"),
        {
            "locality": place_where(dak_nong, YEAR)["locality"].pk,
            "area": place_where(dak_nong, YEAR)["area"].pk,
            "indicator": Indicator.objects.get(code="htx_members").pk,
            "year": YEAR,
            "value": "14000",
            "status": "estimated",
        },
    )
    assert response.status_code == 200
    assert "đã hoàn thành (chốt)" in response.content.decode()
    assert figures_of(dak_nong).filter(year=YEAR).count() == 1

    listing = client.get(reverse("admin:targets_figure_changelist"))
    assert "delete_selected" not in listing.content.decode()
    sheet = FigureSheet.objects.get(**place_where(dak_nong, YEAR))
    page = client.get(reverse("admin:targets_figuresheet_change", args=[sheet.pk]))
    assert "is_locked" not in page.content.decode()


def test_reopening_unlocks_everything_together_and_the_history_shows_it(
    client, admin_user, plan_staff, final_year, dak_nong
):
    client.force_login(plan_staff)
    reopen = reverse("reports:report_reopen", args=["dak-nong", YEAR])
    assert client.post(reopen, {"reason": "Sửa"}).status_code == 403  # staff cannot
    client.force_login(admin_user)
    assert client.post(reopen, {"reason": ""}).status_code == 200  # a reason is required
    assert year_is_final(plan=dak_nong, year=YEAR)
    client.post(reopen, {"reason": "Cập nhật số liệu chính thức của Cục Thống kê"})
    assert not year_is_final(plan=dak_nong, year=YEAR)
    annual = AnnualReport.objects.get(plan=dak_nong, year=YEAR)
    assert not annual.is_final
    # figures and task reports are editable again
    sheet = FigureSheet.objects.get(**place_where(dak_nong, YEAR))
    figures_save(
        plan=dak_nong,
        year=YEAR,
        values={"htx_count": FigureInput(value=305)},
        user=plan_staff,
        version=sheet.version,
    )
    client.force_login(plan_staff)
    client.post(
        reverse("tasks:report_review", args=[final_year["task_report"].pk]),
        {"decision": "accept", "comment": ""},
    )
    assert TaskReport.objects.get(pk=final_year["task_report"].pk).state == "accepted"
    year = PlanYear.objects.get(plan=dak_nong, year=YEAR)
    reasons = [h.history_change_reason for h in year.history.order_by("history_date")]
    assert reasons[-1] == "Cập nhật số liệu chính thức của Cục Thống kê"
    assert year.history.filter(history_user=admin_user).count() == 1


@pytest.mark.parametrize("damage", ["altered", "missing"])
def test_a_damaged_stored_report_is_a_clear_page_and_a_log_line(
    client, plan_staff, final_year, damage, caplog
):
    annual = final_year["annual"]
    path = annual.pdf.path
    if damage == "altered":
        with open(path, "ab") as handle:
            handle.write(b"% appended after finalisation")
    else:
        import os

        os.remove(path)
    client.force_login(plan_staff)
    url = reverse("reports:report_download", args=["dak-nong", YEAR, "pdf"])
    with caplog.at_level(logging.ERROR, logger="reports.services"):
        response = client.get(url)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Không thể cung cấp tệp báo cáo đã lưu" in html
    assert ("SHA-256" in html) == (damage == "altered")
    assert any(damage in record.getMessage() for record in caplog.records)
    # the other file is intact and still served
    xlsx = client.get(reverse("reports:report_download", args=["dak-nong", YEAR, "xlsx"]))
    assert xlsx.status_code == 200


def test_an_intact_final_report_is_served_byte_for_byte(client, plan_staff, final_year):
    annual = final_year["annual"]
    client.force_login(plan_staff)
    response = client.get(reverse("reports:report_download", args=["dak-nong", YEAR, "pdf"]))
    import hashlib

    assert hashlib.sha256(response.content).hexdigest() == annual.pdf_sha256


def test_the_batch_command_refuses_an_altered_final_report(final_year, tmp_path):
    from django.core.management import CommandError, call_command

    with open(final_year["annual"].xlsx.path, "r+b") as handle:
        handle.write(b"PK-altered")
    with pytest.raises(CommandError, match="altered"):
        call_command(
            "build_report",
            plan="dak-nong",
            year=YEAR,
            format="xlsx",
            output=str(tmp_path / "out.xlsx"),
        )
    assert not (tmp_path / "out.xlsx").exists()


def test_history_reverts_cannot_restore_a_past_state(client, admin_user, final_year, dak_nong):
    """Reverting the year, the report or a task report to an earlier version would bypass
    the rule that sets their state: the history is readable, the revert refused."""
    client.force_login(admin_user)
    year = PlanYear.objects.get(plan=dak_nong, year=YEAR)
    first = year.history.order_by("history_date").first()
    url = reverse("admin:plans_planyear_simple_history", args=[year.pk, first.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    annual = final_year["annual"]
    first = annual.history.order_by("history_date").first()
    url = reverse("admin:reports_annualreport_simple_history", args=[annual.pk, first.history_id])
    assert client.post(url, {}).status_code == 403
    assert year_is_final(plan=dak_nong, year=YEAR)
    annual.refresh_from_db()
    assert annual.is_final


def test_a_finalisation_that_fails_after_writing_its_files_leaves_none(
    settings, tmp_path, dak_nong, plan_staff, monkeypatch
):
    """Files are written before the transaction commits: if it does not, they are removed."""
    import reports.services

    settings.MEDIA_ROOT = str(tmp_path)

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reports.services, "plan_year_close", fail)
    with pytest.raises(RuntimeError):
        annual_report_finalise(report=AnnualReport(plan=dak_nong, year=YEAR), user=plan_staff)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert not AnnualReport.objects.filter(plan=dak_nong, year=YEAR, status="final").exists()
    assert not year_is_final(plan=dak_nong, year=YEAR)


def test_a_reason_of_255_characters_is_kept_whole(client, admin_user, final_year, dak_nong):
    """Reasons are stored whole (django-simple-history's default column held 100: a 500 on
    PostgreSQL for a longer reopening reason)."""
    reason = "Cập nhật số liệu chính thức " + "x" * 227
    client.force_login(admin_user)
    client.post(reverse("reports:report_reopen", args=["dak-nong", YEAR]), {"reason": reason})
    year = PlanYear.objects.get(plan=dak_nong, year=YEAR)
    assert year.history.order_by("history_date").last().history_change_reason == reason


def test_the_admin_applies_the_figure_checks(client, admin_user, dak_nong):
    client.force_login(admin_user)
    for code, value in [("htx_count", "12.5"), ("women_director_share", "150")]:
        response = client.post(
            reverse("admin:targets_figure_add"),
            {
                "plan": dak_nong.pk,
                "indicator": Indicator.objects.get(code=code).pk,
                "year": YEAR,
                "value": value,
                "status": "estimated",
            },
        )
        assert response.status_code == 200, code
        assert response.context["adminform"].form.errors["value"]
    assert not Figure.objects.exists()


def admin_form_data(page) -> dict:
    """An admin change page's form and inline formsets, as the browser would post them."""

    def values(form, prefix=""):
        data = {}
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[f"{prefix}{name}"] = "on"
                continue
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[f"{prefix}{name}"] = "" if value is None else value
        return data

    data = values(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(values(formset.management_form, f"{formset.prefix}-"))
        for i, form in enumerate(formset.forms):
            data.update(values(form, f"{formset.prefix}-{i}-"))
    return data


def test_the_plan_admin_cannot_delete_a_task_with_final_year_reports(
    client, admin_user, final_year, dak_nong
):
    """Deleting the task row in the plan's admin page would take the final year's reports
    with it."""
    client.force_login(admin_user)
    url = reverse("admin:plans_plan_change", args=[dak_nong.pk])
    page = client.get(url)
    data = admin_form_data(page)
    formset = next(
        i.formset for i in page.context["inline_admin_formsets"] if i.formset.model is Task
    )
    index = next(i for i, f in enumerate(formset.forms) if f.instance == final_year["task"])
    data[f"{formset.prefix}-{index}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "không thể xóa" in response.content.decode()
    assert TaskReport.objects.filter(pk=final_year["task_report"].pk).exists()


def test_a_task_with_reports_cannot_move_to_another_plan(client, admin_user, final_year):
    client.force_login(admin_user)
    task = final_year["task"]
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = admin_form_data(client.get(url))
    other = Task.objects.exclude(plan=task.plan).select_related("plan", "section").first()
    data.update({"plan": other.plan.pk, "section": other.section.pk})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "không thể chuyển sang kế hoạch khác" in response.content.decode()
    task.refresh_from_db()
    assert task.plan.slug == "dak-nong"


def test_an_admin_figure_edit_makes_an_open_figure_page_stale(
    client, admin_user, plan_staff, dak_nong
):
    """The admin's edit moves the sheet's version on, like any save."""
    figures_save(
        plan=dak_nong,
        year=YEAR,
        values={"htx_count": FigureInput(value=300)},
        user=plan_staff,
        version=0,
    )
    client.force_login(plan_staff)
    page = client.get(entry_url())  # opened before the admin's edit
    client.force_login(admin_user)
    figure = Figure.objects.get(year=YEAR)
    url = reverse("admin:targets_figure_change", args=[figure.pk])
    data = admin_form_data(client.get(url))
    data["value"] = "310"
    assert client.post(url, data).status_code == 302
    client.force_login(plan_staff)
    response = client.post(entry_url(), form_data(page, htx_count="320"))
    assert "người khác đã lưu số liệu này" in response.content.decode()
    assert Figure.objects.get(year=YEAR).value == 310


def test_evidence_cannot_be_uploaded_through_the_admin_unchecked(client, admin_user):
    """Evidence files are checked by content in the portal; the admin only reads them."""
    client.force_login(admin_user)
    assert client.get(reverse("admin:tasks_taskevidence_add")).status_code == 403
