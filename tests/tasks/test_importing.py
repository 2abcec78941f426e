"""Importing a task table: Đắk Nông's own appendix, and another province's layout."""

import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
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
    result = import_task_table(preview=preview, plan=plan, user=None, create_agencies=False)
    assert result.created == 26
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
    new = Agency.objects.get(locality=plan.locality, name="Sở Văn hóa, Thể thao và Du lịch")
    assert new.kind == "department"
    unknown = Task.objects.get(plan=plan, section__number="I", number="2")
    assert (unknown.deadline_kind, unknown.deadline_text) == ("unknown", "Sau khi có hướng dẫn")


def test_rows_that_collide_are_marked_and_rows_that_lack_data_are_errors():
    """A row with the TT of one of the plan's rows is not an error: the user chooses what
    to do with it (tests/tasks/test_import_modes.py)."""
    plan = Plan.objects.get(slug="dak-nong")
    rows = [
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp"],
        ["I. Nhận thức"],
        [1, "Trùng dòng I.1", "Sở Nội vụ", None],
        [9, "", "", None],
    ]
    preview = read_task_table(workbook(rows), plan=plan)
    assert preview.has_errors
    assert preview.rows[0].errors == []
    assert preview.rows[0].collides.code == "I.1"
    assert preview.rows[1].collides is None
    assert len(preview.rows[1].errors) == 2


@pytest.mark.parametrize(
    "content",
    [b"not a workbook", workbook([["Một bảng", "không có tiêu đề"]])],
)
def test_unreadable_tables_are_refused(content):
    with pytest.raises(UploadRefused):
        read_task_table(content, plan=Plan.objects.get(slug="dak-nong"))


HEADER = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp"]


def agency_rows(*cells):
    """A table with one task per (lead, partners) pair."""
    rows = [HEADER, ["IX. Nhiệm vụ bổ sung"]]  # a section Đắk Nông does not have
    rows += [[n, f"Nhiệm vụ {n}", lead, partners] for n, (lead, partners) in enumerate(cells, 1)]
    return workbook(rows)


def understood(preview):
    return [
        (m.written, m.agency.name if m.agency else None, m.new.name if m.new else None)
        for row in preview.rows
        for m in row.leads + row.partners
    ]


def test_one_new_agency_for_all_the_spellings_of_one_name():
    """Kon Tum has no Sở KH&ĐT, Sở Tư pháp or group of district People's Committees: three
    spellings of each make one new agency each, of the kind its name gives it."""
    plan = empty_plan("kt-copy", "kon-tum")
    table = agency_rows(
        ("Sở KH&ĐT", "Sở Tư pháp; UBND các huyện, thị xã, thành phố"),
        ("sở kế hoạch  và đầu tư", "Sở Tư pháp tỉnh, Ủy ban nhân dân các huyện, thành phố"),
        ("Sở Kế hoạch và Đầu tư", "Sở Tư pháp tỉnh Kon Tum; UBND các huyện, thành phố"),
    )
    preview = read_task_table(table, plan=plan)
    assert not preview.has_errors
    assert [(n.name, n.kind, n.aliases) for n in preview.new_agencies] == [
        ("Sở Kế hoạch và Đầu tư", "department", []),
        ("Sở Tư pháp tỉnh Kon Tum", "department", ["Sở Tư pháp", "Sở Tư pháp tỉnh"]),
        (
            "Ủy ban nhân dân các huyện, thành phố",  # the spelling without abbreviations
            "group",
            ["UBND các huyện, thị xã, thành phố"],
        ),
    ]
    before = Agency.objects.filter(locality=plan.locality).count()
    import_task_table(preview=preview, plan=plan, user=None, create_agencies=True)
    assert Agency.objects.filter(locality=plan.locality).count() == before + 3
    for number in ("1", "2", "3"):
        task = Task.objects.get(plan=plan, number=number)
        assert [a.name for a in task.lead_agencies] == ["Sở Kế hoạch và Đầu tư"]
        assert [a.name for a in task.partner_agencies] == [
            "Sở Tư pháp tỉnh Kon Tum",
            "Ủy ban nhân dân các huyện, thành phố",
        ]
    again = read_task_table(table, plan=empty_plan("kt-copy-2", "kon-tum"))
    assert again.new_agencies == []  # the next import finds them under every spelling


def test_a_locality_that_has_the_agency_under_any_spelling_gets_no_new_one():
    """Đắk Nông has Sở KH&ĐT and the group "UBND các huyện, thành phố": a table that says
    "… các huyện, thị xã, thành phố" means that group."""
    plan = empty_plan("dn-spellings")
    table = agency_rows(
        ("Sở KH&ĐT", "UBND các huyện, thị xã, thành phố"),
        ("Sở Kế hoạch và Đầu tư tỉnh Đắk Nông", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
        ("Sở K.H & Đ.T", "Uỷ ban nhân dân các huyện, thành phố; Liên minh HTX"),
    )
    preview = read_task_table(table, plan=plan)
    assert preview.new_agencies == []
    agencies = {agency for _written, agency, _new in understood(preview)}
    assert agencies == {
        "Sở Kế hoạch và Đầu tư",
        "UBND các huyện, thành phố",
        "Liên minh Hợp tác xã tỉnh",
    }


def test_a_comma_separates_bodies_the_locality_does_not_know_yet():
    plan = empty_plan("dn-commas")
    table = agency_rows(
        ("Sở Tư pháp, Sở Nội vụ, UBND các huyện, thị xã, thành phố", "Các Sở, Ban, ngành"),
        ("Sở Văn hóa, Thể thao và Du lịch", "Cục Thống kê tỉnh, Hội Cựu chiến binh tỉnh"),
    )
    assert understood(read_task_table(table, plan=plan)) == [
        ("Sở Tư pháp", None, "Sở Tư pháp"),
        ("Sở Nội vụ", "Sở Nội vụ", None),
        ("UBND các huyện, thị xã, thành phố", "UBND các huyện, thành phố", None),
        ("Các Sở, Ban, ngành", "Các Sở, Ban, ngành", None),
        ("Sở Văn hóa, Thể thao và Du lịch", None, "Sở Văn hóa, Thể thao và Du lịch"),
        ("Cục Thống kê tỉnh", None, "Cục Thống kê tỉnh"),
        ("Hội Cựu chiến binh tỉnh", None, "Hội Cựu chiến binh tỉnh"),
    ]


def test_the_preview_says_how_each_agency_was_understood(client, plan_staff):
    """Known agencies with the table's spelling, new ones with their kind, in Vietnamese."""
    client.force_login(plan_staff)
    table = agency_rows(("Sở KH&ĐT", "Sở Tư pháp; sở tư pháp tỉnh; Hội Cựu chiến binh tỉnh"))
    upload = SimpleUploadedFile("bang.xlsx", table)
    response = client.post(reverse("tasks:task_import", args=["dak-nong"]), {"file": upload})
    page = " ".join(response.content.decode().split())
    assert "✓ Sở Kế hoạch và Đầu tư <small>(ghi là “Sở KH&amp;ĐT”)</small>" in page
    assert "<strong>mới:</strong> Sở Tư pháp <small>(Sở, ban, ngành)</small>" in page
    assert (
        "<strong>mới:</strong> Sở Tư pháp <small>(Sở, ban, ngành; ghi là “sở tư pháp tỉnh”)" in page
    )
    assert "<li><strong>Sở Tư pháp</strong>: Sở, ban, ngành <small>(ghi là “Sở Tư pháp”, " in page
    assert "<li><strong>Hội Cựu chiến binh tỉnh</strong>: Mặt trận, tổ chức chính trị" in page
