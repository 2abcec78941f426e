"""Importing into a plan that already has tasks: the user chooses to append, update or
replace, and nothing happens without that choice."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import Task

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
