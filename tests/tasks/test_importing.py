"""Importing a task table: Đắk Nông's own appendix, and another province's layout."""

import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from openpyxl.styles import Font

from plans.models import Agency, Plan
from plans.names import agency_key
from targets.excel import UploadRefused
from tasks.importing import import_task_table, read_task_table
from tasks.models import Task

pytestmark = pytest.mark.django_db
SEEDS = Path(os.environ.get("KTTT_SEEDS_DIR", Path(settings.BASE_DIR).parent / "shared" / "seeds"))


def workbook(rows, bold_sections=True) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for values in rows:
        ws.append(values)
        if bold_sections and values and re.match(r"^[IVX]+\.", str(values[0] or "")):
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def empty_plan(slug, template="dak-nong") -> Plan:
    plan = Plan.objects.get(slug=template)
    plan.pk = None
    plan.slug = slug
    plan.number = f"1/{slug}"
    plan.save()
    return plan


def appendix_rows():
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"seed documents missing: {SEEDS}")
        pytest.skip("seed documents not beside this checkout")
    text = (SEEDS / "003_871ca0cd701cc8d8.txt").read_text(encoding="utf-8")
    table = text[text.index("TT\tNhiệm vụ") :]
    rows = []
    for line in table.splitlines():
        if "\t" not in line:
            continue
        cells = [re.sub(r"</?b>", "", c).strip() for c in line.split("\t")]
        rows.append(cells[:7])
    return rows


def test_agency_keys_tolerate_case_spacing_and_abbreviations():
    assert agency_key("Sở TT&TT") == agency_key("Sở Thông tin và Truyền thông")
    assert agency_key("Sở Thông tin Truyền thông") == agency_key("sở thông tin  và truyền thông")
    assert agency_key("UBND các huyện, thành phố") == agency_key(
        "Ủy ban nhân dân các huyện, thành phố"
    )
    assert agency_key("Sở KH&ĐT") == agency_key("Sở Kế hoạch và Đầu tư")
    assert agency_key("Sở LĐ-TB&XH") == agency_key("Sở Lao động - Thương binh và Xã hội")


def test_dak_nong_appendix_imports_as_written():
    plan = empty_plan("dak-nong-copy")
    preview = read_task_table(workbook(appendix_rows()), plan=plan)
    assert not preview.has_errors, (preview.errors, [r.errors for r in preview.rows if r.errors])
    assert [s for s, _t in preview.sections] == ["I", "II", "III", "IV", "V"]
    assert len(preview.rows) == 26
    assert preview.new_agency_names == []  # every agency is known, spellings included
    assert preview.unknown_deadlines == []
    created = import_task_table(preview=preview, plan=plan, user=None, create_agencies=False)
    assert created == 26
    original = Task.objects.get(plan__slug="dak-nong", section__number="I", number="1")
    copy = Task.objects.get(plan=plan, section__number="I", number="1")
    assert [a.name for a in copy.partner_agencies] == [a.name for a in original.partner_agencies]
    ii1 = Task.objects.get(plan=plan, section__number="II", number="1")
    assert [a.name for a in ii1.lead_agencies] == [
        "Trường Chính trị tỉnh",
        "Các Trung tâm Bồi dưỡng Chính trị các huyện, thành phố",
    ]
    iii1 = Task.objects.get(plan=plan, section__number="III", number="1")
    assert [a.name for a in iii1.partner_agencies] == [
        "Các Sở, Ban, ngành",
        "Liên minh Hợp tác xã tỉnh",
    ]


def test_another_provinces_table_with_abbreviations_and_unknowns():
    plan = empty_plan("bp-copy", "binh-phuoc")
    rows = [
        ["PHỤ LỤC NHIỆM VỤ"],
        [],
        [
            "STT",
            "Nội dung nhiệm vụ",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Sản phẩm",
            "Thời hạn",
            "Ghi chú",
        ],
        ["I", "Tuyên truyền", None, None, None, None, None],
        [
            1,
            "Tuyên truyền Nghị quyết",
            "Đài PT-TH Bình Phước",
            "Sở KH&ĐT; ubnd các huyện, thị xã, thành phố",
            "Chuyên mục",
            "Hằng năm",
            None,
        ],
        [
            2,
            "Sơ kết 3 năm",
            "Sở Kế hoạch và Đầu tư",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Báo cáo",
            "Sau khi có hướng dẫn",
            None,
        ],
        ["II. Tổ chức thực hiện"],
        [
            1,
            "Báo cáo hằng năm",
            "Các Sở, ban, ngành",
            None,
            "Báo cáo",
            "Trước ngày 15/12 hằng năm",
            None,
        ],
    ]
    preview = read_task_table(workbook(rows), plan=plan)
    assert not preview.has_errors
    assert [s for s, _t in preview.sections] == ["I", "II"]
    first = preview.rows[0]
    assert [m.agency.name for m in first.leads] == ["Đài Phát thanh - Truyền hình Bình Phước"]
    assert [m.agency.name for m in first.partners] == [
        "Sở Kế hoạch và Đầu tư",
        "UBND các huyện, thị xã, thành phố",
    ]
    assert preview.new_agency_names == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert [r.number for r in preview.unknown_deadlines] == ["2"]
    with pytest.raises(ValueError):
        import_task_table(preview=preview, plan=plan, user=None, create_agencies=False)
    assert not Task.objects.filter(plan=plan).exists()
    import_task_table(preview=preview, plan=plan, user=None, create_agencies=True)
    assert Task.objects.filter(plan=plan).count() == 3
    assert Agency.objects.get(locality=plan.locality, name="Sở Văn hóa, Thể thao và Du lịch")
    unknown = Task.objects.get(plan=plan, section__number="I", number="2")
    assert (unknown.deadline_kind, unknown.deadline_text) == ("unknown", "Sau khi có hướng dẫn")


def test_rows_that_exist_already_or_lack_data_are_errors():
    plan = Plan.objects.get(slug="dak-nong")
    rows = [
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp"],
        ["I. Nhận thức"],
        [1, "Trùng dòng I.1", "Sở Nội vụ", None],
        [9, "", "", None],
    ]
    preview = read_task_table(workbook(rows), plan=plan)
    assert preview.has_errors
    assert "đã có" in " ".join(preview.rows[0].errors)
    assert len(preview.rows[1].errors) == 2


@pytest.mark.parametrize(
    "content",
    [b"not a workbook", workbook([["Một bảng", "không có tiêu đề"]])],
)
def test_unreadable_tables_are_refused(content):
    with pytest.raises(UploadRefused):
        read_task_table(content, plan=Plan.objects.get(slug="dak-nong"))
