"""Every value is checked against what the database can hold, on every path in: the entry
page, the Excel upload, the admin, and (as a last line) the database's own constraints.
Long text is bounded so that a report stays fast."""

import io

import pytest
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from common import limits
from plans.models import Agency
from reports.models import AnnualReport
from targets.models import Figure, Indicator, Target
from tasks.models import Task, TaskReport
from tests.targets.test_excel import download, fill, upload
from tests.targets.test_views import entry_url, form_data

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.mark.parametrize("value", [1e30, 123456789012345, "1E+30", -5, 12.345, "#NUM!"])
def test_an_out_of_range_number_in_a_workbook_is_a_row_error_and_nothing_is_saved(
    client, plan_staff, dak_nong, value
):
    """1E+30 in a value cell once took the site down: now a Vietnamese error on its row."""
    client.force_login(plan_staff)
    content = fill(download(client), htx_count=value, htx_members=14000)
    response = upload(client, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chưa lưu gì" in html
    assert any(
        message in html
        for message in ("Giá trị quá lớn", "không phải là số", "âm", "số nguyên", "Không phải")
    ), html[:2000]
    assert not Figure.objects.exists()
    # and every page that reads figures still answers
    for url in ("/", dak_nong.get_absolute_url(), entry_url()):
        assert client.get(url).status_code == 200


def test_a_share_with_three_decimals_is_refused_not_rounded(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    response = client.post(
        entry_url(), form_data(client.get(entry_url()), women_director_share="12,345")
    )
    assert "tối đa hai chữ số thập phân" in response.content.decode()
    assert not Figure.objects.exists()


def test_the_database_refuses_what_no_path_may_store(dak_nong):
    """The constraints hold even for code that bypasses every check."""
    indicator = Indicator.objects.get(code="htx_count")
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Figure.objects.create(
            locality=dak_nong.locality, indicator=indicator, year=YEAR, value=10**13
        )
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Figure.objects.create(
            locality=dak_nong.locality,
            indicator=indicator,
            year=YEAR,
            value=1,
            note="x" * (limits.NOTE + 1),
        )
    task = Task.objects.filter(plan=dak_nong).first()
    agency = task.lead_agencies[0]
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        TaskReport.objects.create(
            task=task, year=YEAR, agency=agency, role="lead", done="x" * (limits.PARAGRAPH + 1)
        )
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        AnnualReport.objects.create(
            plan=dak_nong, year=YEAR, proposals="x" * (limits.PARAGRAPH + 1)
        )
    target = Target.objects.filter(plan=dak_nong, value__isnull=False).first()
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(value=10**11)


def test_a_100_kb_paragraph_is_refused_on_the_report_forms(client, plan_staff, dak_nong):
    """100 kB per field once made a report take 35 s: the forms refuse it, keep the rest."""
    client.force_login(plan_staff)
    url = reverse("reports:report_edit", args=["dak-nong", YEAR])
    response = client.post(url, {"difficulties": "x" * 100_000, "proposals": "Đề xuất."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "5000" in html and "Đề xuất." in html
    assert not AnnualReport.objects.exists()


def test_a_100_kb_task_report_is_refused(client, dak_nong):
    from tests.conftest import make_user

    skhdt = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    client.force_login(make_user("skhdt-v", "agency", agency=skhdt))
    task = Task.objects.get(plan=dak_nong, section__number="II", number="2")
    url = reverse("tasks:report_edit", args=[task.pk, YEAR])
    response = client.post(
        url, {"version": "0", "progress": "in_progress", "done": "x" * 100_000, "save": "1"}
    )
    assert response.status_code == 200
    assert "5000" in response.content.decode()
    assert not TaskReport.objects.exists()


def test_the_admin_refuses_an_out_of_range_figure_with_a_message(client, admin_user, dak_nong):
    client.force_login(admin_user)
    indicator = Indicator.objects.get(code="htx_count")
    response = client.post(
        reverse("admin:targets_figure_add"),
        {
            "plan": dak_nong.pk,
            "indicator": indicator.pk,
            "year": YEAR,
            "value": "1E+30",
            "status": "estimated",
            "note": "",
            "source": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Figure.objects.exists()


def test_a_workbook_note_longer_than_the_column_is_a_row_error(client, plan_staff):
    client.force_login(plan_staff)
    wb = download(client)
    ws = wb["Số liệu"]
    for row in ws.iter_rows(min_row=6):
        if row[0].value == "htx_count":
            ws.cell(row=row[0].row, column=6, value=300)
            ws.cell(row=row[0].row, column=9, value="nguồn " * 100)  # > 255 characters
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client, buffer.getvalue())
    html = response.content.decode()
    assert "tối đa 255" in html
    assert not Figure.objects.exists()


def test_an_imported_task_table_with_cells_too_long_is_refused_per_row(client, plan_staff):
    """A TT of 40 characters, a 6 000-character task, an agency name of 300 characters and
    a section numeral longer than its column were a 500 on PostgreSQL: now row errors."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.tasks.test_importing import empty_plan, workbook

    plan = empty_plan("thu-nhap")
    plan_staff.plans.add(plan)
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian"]
    content = workbook(
        [
            header,
            ["I. " + "Phần một", None, None, None, None, None],
            ["1" * 40, "Nhiệm vụ ngắn", "Sở Tài chính", None, None, "Năm 2025"],
            ["2", "x" * 6000, "Sở Tài chính", None, None, "Năm 2025"],
            ["3", "Nhiệm vụ", "Đơn vị " + "rất dài " * 40, None, None, "Năm 2025"],
            ["I" * 12 + ". Phần quá dài", None, None, None, None, None],
        ]
    )
    client.force_login(plan_staff)
    url = reverse("tasks:task_import", args=[plan.slug])
    before = Task.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", content)})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("chỉ được tối đa") >= 4, html[:3000]
    confirm = client.post(url, {"confirm": "1", "create_agencies": "on"})
    assert confirm.status_code == 200
    assert Task.objects.count() == before


def test_a_confirmed_import_cannot_run_twice(plan_staff):
    """Two confirmations of one upload at once: the second finds the plan's table changed
    since its preview and does nothing, whatever its choice."""
    from django.core.exceptions import ValidationError

    from tasks.importing import import_task_table, read_task_table, table_state
    from tests.tasks.test_importing import empty_plan, workbook

    plan = empty_plan("thu-hai-lan")
    content = workbook(
        [
            ["TT", "Nhiệm vụ", "Đơn vị chủ trì"],
            ["I. Phần một", None, None],
            ["1", "Nhiệm vụ một", "Cơ quan mới (ghi chú " + "x" * 10 + ")"],
        ]
    )
    state = table_state(plan)
    first, second = read_task_table(content, plan=plan), read_task_table(content, plan=plan)
    done = import_task_table(
        preview=first, plan=plan, user=plan_staff, create_agencies=True, state=state
    )
    assert done.created == 1
    with pytest.raises(ValidationError, match="sau khi xem trước"):
        import_task_table(
            preview=second,
            plan=plan,
            user=plan_staff,
            create_agencies=True,
            mode="append",
            state=state,
        )
    assert Task.objects.filter(plan=plan).count() == 1
    assert (
        Agency.objects.filter(locality=plan.locality, name__startswith="Cơ quan mới").count() == 1
    )
