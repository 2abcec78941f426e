"""Plan staff add, edit, reorder, retire and import task rows in the portal."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Agency, Plan
from tasks.models import Task
from tests import factories as f

pytestmark = pytest.mark.django_db


def agency(name):
    return Agency.objects.get(locality__code="dak-nong", name=name)


# Who may open these pages: tests/test_permission_matrix.py.


def test_staff_of_another_plan_cannot_edit_its_tasks(client):
    """Nor reach them through their own plan's address: a task is found only in its plan."""
    mine, theirs = f.PlanFactory(), f.PlanFactory()
    task = f.TaskFactory(plan=theirs)
    client.force_login(f.plan_staff(mine))
    assert client.get(reverse("tasks:task_edit", args=[theirs.slug, task.pk])).status_code == 403
    assert client.get(reverse("tasks:task_edit", args=[mine.slug, task.pk])).status_code == 404


def test_staff_adds_a_task_with_agencies_and_a_parsed_deadline(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    section = dak_nong.task_sections.get(number="II")
    response = client.post(
        reverse("tasks:task_add", args=["dak-nong"]),
        {
            "section": section.pk,
            "number": "15",
            "description": "Nhiệm vụ mới",
            "deliverable": "Báo cáo",
            "deadline_text": "Quý II/2027",
            "note": "",
            "is_active": "on",
            "leads": [agency("Sở Nội vụ").pk],
            "partners": [agency("Liên minh Hợp tác xã tỉnh").pk],
            "reason": "Bổ sung theo chỉ đạo",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(section=section, number="15")
    assert (task.deadline_kind, task.deadline_quarter, task.deadline_year_to) == (
        "quarter",
        2,
        2027,
    )
    assert [a.name for a in task.lead_agencies] == ["Sở Nội vụ"]
    assert task.history.first().history_change_reason == "Bổ sung theo chỉ đạo"


def test_a_lead_that_also_cooperates_is_refused(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    task = Task.objects.get(plan=dak_nong, section__number="II", number="3")
    skhdt = agency("Sở Kế hoạch và Đầu tư")
    response = client.post(
        reverse("tasks:task_edit", args=["dak-nong", task.pk]),
        {
            "section": task.section_id,
            "number": "3",
            "description": task.description,
            "deliverable": "",
            "deadline_text": "Năm 2024-2025",
            "is_active": "on",
            "leads": [skhdt.pk],
            "partners": [skhdt.pk],
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "vừa chủ trì vừa phối hợp" in response.content.decode()
    assert len(task.partner_agencies) == 2


def test_retire_and_reorder(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    first = Task.objects.get(plan=dak_nong, section__number="I", number="1")
    second = Task.objects.get(plan=dak_nong, section__number="I", number="2")
    client.post(reverse("tasks:task_manage", args=["dak-nong"]), {"task": second.pk, "move": "up"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.order < first.order
    data = {
        "section": first.section_id,
        "number": "1",
        "description": first.description,
        "deliverable": first.deliverable,
        "deadline_text": first.deadline_text,
        "leads": [a.pk for a in first.lead_agencies],
        "partners": [a.pk for a in first.partner_agencies],
        "reason": "Đã hết hiệu lực",
    }
    client.post(reverse("tasks:task_edit", args=["dak-nong", first.pk]), data)
    first.refresh_from_db()
    assert first.is_active is False
    page = client.get(dak_nong.get_absolute_url()).content.decode()
    assert first.description[:40] not in page


def test_import_through_the_browser_forms(client, plan_staff, dak_nong):
    plan = Plan.objects.get(slug="dak-nong")
    client.force_login(plan_staff)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [
        [
            "TT",
            "Nhiệm vụ",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Sản phẩm hoàn thành",
            "Thời gian hoàn thành",
            "Ghi chú",
        ],
        ["VI. Nhiệm vụ bổ sung"],
        [
            1,
            "Xây dựng cơ sở dữ liệu HTX",
            "Sở KH&ĐT",
            "Sở TT&TT; Cục Thống kê tỉnh",
            "Phần mềm",
            "Năm 2026",
            None,
        ],
    ]:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    url = reverse("tasks:task_import", args=["dak-nong"])
    preview = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", buffer.getvalue())})
    assert preview.status_code == 200
    assert preview.context["preview"].new_agency_names == ["Cục Thống kê tỉnh"]
    refused = client.post(url, {"confirm": "1", "mode": "append"})
    assert "xác nhận" in refused.content.decode()
    assert not Task.objects.filter(plan=plan, section__number="VI").exists()
    done = client.post(url, {"confirm": "1", "create_agencies": "on", "mode": "append"})
    assert done.status_code == 302
    task = Task.objects.get(plan=plan, section__number="VI", number="1")
    assert [a.name for a in task.partner_agencies] == [
        "Sở Thông tin và Truyền thông",
        "Cục Thống kê tỉnh",
    ]
