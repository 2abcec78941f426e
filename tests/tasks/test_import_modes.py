"""Importing into a plan that already has tasks: the user chooses to append, update or
replace, and nothing happens without that choice."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import Task, TaskReport

pytestmark = pytest.mark.django_db
HEADER = [
    "TT",
    "Nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Sản phẩm hoàn thành",
    "Thời gian hoàn thành",
    "Ghi chú",
]


def table(rows) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("bang.xlsx", buffer.getvalue())


COLLIDING = [
    ["I. Công tác tuyên truyền (bổ sung)"],
    [1, "Tuyên truyền trên cổng thông tin", "Sở KH&ĐT", "Sở TT&TT", "Tin bài", "Hằng năm", None],
    [2, "Tập huấn cán bộ HTX", "Liên minh Hợp tác xã tỉnh", None, "Lớp tập huấn", "Năm 2026", None],
    ["II. Phát triển HTX (bổ sung)"],
    [1, "Hỗ trợ HTX chuyển đổi số", "Sở KH&ĐT", None, "Báo cáo", "6 tháng đầu năm 2026", "x"],
]


def test_colliding_numbering_can_be_appended(client, plan_staff, dak_nong):
    """Rows numbered I.1, I.2, II.1 like the plan's own no longer block the import: appended,
    they go into new sections after the plan's last one."""
    client.force_login(plan_staff)
    url = reverse("tasks:task_import", args=["dak-nong"])
    before = Task.objects.filter(plan=dak_nong, is_active=True).count()
    assert before == 26
    preview = client.post(url, {"file": table(COLLIDING)})
    assert preview.status_code == 200
    done = client.post(url, {"confirm": "1", "mode": "append"})
    assert done.status_code == 302, done.content.decode()[:3000]
    assert Task.objects.filter(plan=dak_nong, is_active=True).count() == before + 3


@pytest.fixture
def previewed(client, plan_staff, dak_nong):
    """The plan's staff signed in, the colliding table uploaded: returns the import URL."""
    client.force_login(plan_staff)
    url = reverse("tasks:task_import", args=["dak-nong"])
    assert client.post(url, {"file": table(COLLIDING)}).status_code == 200
    return url


def test_appended_sections_are_numbered_after_the_plans_last(client, previewed, dak_nong):
    done = client.post(previewed, {"confirm": "1", "mode": "append"})
    assert done.status_code == 302
    vi, vii = (dak_nong.task_sections.get(number=n, is_active=True) for n in ("VI", "VII"))
    assert vi.title == "Công tác tuyên truyền (bổ sung)"
    assert vii.title == "Phát triển HTX (bổ sung)"
    assert vi.order > dak_nong.task_sections.get(number="V").order
    assert [t.number for t in vi.tasks.order_by("order")] == ["1", "2"]
    added = vii.tasks.get()
    assert (added.deadline_kind, added.deadline_year_to) == ("half_year", 2026)
    assert added.history.first().history_user.username == "staff-test"
    # the plan's own rows are as they were
    i1 = Task.objects.get(plan=dak_nong, section__number="I", number="1")
    assert "Tuyên truyền trên cổng" not in i1.description
    message = client.get(done["Location"]).content.decode()
    assert "3 nhiệm vụ đã được thêm" in message


def test_without_a_choice_nothing_is_imported_and_the_preview_stays(client, previewed, dak_nong):
    """No default: a confirmation without a choice (or with a made-up one) is a form error
    in Vietnamese, the preview is shown again and the upload kept."""
    for data in ({"confirm": "1"}, {"confirm": "1", "mode": "merge"}):
        response = client.post(previewed, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert response.context["preview"] is not None
        assert "Tập huấn cán bộ HTX" in page
        assert response.context["confirm_form"].errors["mode"]
        assert Task.objects.filter(plan=dak_nong).count() == 26
    assert "Hãy chọn cách nhập bảng" in client.post(previewed, {"confirm": "1"}).content.decode()
    assert "checked" not in page.split('name="mode"')[1].split(">")[0]
    assert client.post(previewed, {"confirm": "1", "mode": "append"}).status_code == 302


def test_the_preview_shows_every_column_sections_readings_and_collisions(client, previewed):
    page = client.post(previewed, {"confirm": "1"}).content.decode()
    for text in (
        "Công tác tuyên truyền (bổ sung)",  # the table's section titles…
        "Nhận thức",  # … beside the plan's of that number (a word of section I's title)
        "Tuyên truyền trên cổng thông tin",
        "Tin bài",  # deliverable
        "Lớp tập huấn",
        "6 tháng đầu năm 2026",  # deadline as written…
        "30/6/2026",  # … and as understood
        "Sở Thông tin và Truyền thông",  # an agency as understood
        "I → VI",  # the numbers when appended
    ):
        assert text in page, text
    preview = client.post(previewed, {"confirm": "1"}).context["preview"]
    assert [r.collides.code for r in preview.collisions] == ["I.1", "I.2", "II.1"]


def test_update_overwrites_the_rows_with_the_same_numbers(client, previewed, dak_nong):
    rows = [
        *COLLIDING,
        [15, "Nhiệm vụ mới trong phần II", "Sở Nội vụ", None, "Đề án", "2027", None],
    ]
    client.post(previewed, {"file": table(rows)})
    i1 = Task.objects.get(plan=dak_nong, section__number="I", number="1")
    done = client.post(previewed, {"confirm": "1", "mode": "update"})
    assert done.status_code == 302
    i1.refresh_from_db()
    assert i1.description == "Tuyên truyền trên cổng thông tin"
    assert [a.name for a in i1.lead_agencies] == ["Sở Kế hoạch và Đầu tư"]
    assert [a.name for a in i1.partner_agencies] == ["Sở Thông tin và Truyền thông"]
    last = i1.history.first()
    assert last.history_user.username == "staff-test"
    assert last.history_change_reason == "Cập nhật từ bảng nhiệm vụ nhập vào"
    assert dak_nong.task_sections.get(number="I").title == "Công tác tuyên truyền (bổ sung)"
    ii15 = Task.objects.get(plan=dak_nong, section__number="II", number="15")
    assert ii15.description == "Nhiệm vụ mới trong phần II"
    assert Task.objects.filter(plan=dak_nong, is_active=True).count() == 26 + 1


def test_replace_retires_the_tasks_with_reports_and_removes_the_others(client, previewed, dak_nong):
    reported = Task.objects.get(plan=dak_nong, section__number="II", number="2")
    lead = reported.lead_agencies[0]
    TaskReport.objects.create(task=reported, year=2024, agency=lead, role="lead", done="Đã làm")
    client.post(previewed, {"file": table(COLLIDING)})  # the preview counts the report
    done = client.post(previewed, {"confirm": "1", "mode": "replace"})
    assert done.status_code == 302
    reported.refresh_from_db()
    assert reported.is_active is False and reported.reports.count() == 1
    assert reported.section.is_active is False
    assert Task.objects.filter(plan=dak_nong).count() == 1 + 3  # 25 removed
    current = dak_nong.task_sections.filter(is_active=True).order_by("order")
    assert [(s.number, s.title) for s in current] == [
        ("I", "Công tác tuyên truyền (bổ sung)"),
        ("II", "Phát triển HTX (bổ sung)"),
    ]
    removed = Task.history.filter(plan_id=dak_nong.pk, history_type="-")
    assert removed.count() == 25
    assert {h.history_user.username for h in removed} == {"staff-test"}
    assert reported.history.first().history_user.username == "staff-test"


def test_a_change_to_the_plan_after_the_preview_refuses_the_import(client, previewed, dak_nong):
    """Someone edits the plan's table between the preview and the confirmation: nothing is
    imported, the new preview is shown; confirming it then works."""
    task = Task.objects.get(plan=dak_nong, section__number="I", number="1")
    task.description = "Sửa bởi người khác"
    task.save()
    refused = client.post(previewed, {"confirm": "1", "mode": "append"})
    assert refused.status_code == 200
    assert "sau khi xem trước" in refused.content.decode()
    assert Task.objects.filter(plan=dak_nong).count() == 26
    assert client.post(previewed, {"confirm": "1", "mode": "append"}).status_code == 302
    assert Task.objects.filter(plan=dak_nong).count() == 29


def test_an_empty_plan_needs_no_choice(client, plan_staff, dak_nong):
    """A plan without tasks takes the table as it is, numbered as written."""
    from tests.tasks.test_importing import empty_plan

    plan = empty_plan("dak-nong-moi")
    plan_staff.plans.add(plan)
    client.force_login(plan_staff)
    url = reverse("tasks:task_import", args=[plan.slug])
    page = client.post(url, {"file": table(COLLIDING)}).content.decode()
    assert 'name="mode"' not in page
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert sorted(plan.task_sections.values_list("number", flat=True)) == ["I", "II"]
