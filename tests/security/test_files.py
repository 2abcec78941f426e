"""Hostile files: zip bombs, entity expansion and formulas never reach a user or the
server's memory. Uploads are refused through the real views, quickly, with a Vietnamese
message, and nothing is saved; list exports write text that looks like a formula as text."""

import io
import time
import tracemalloc
import zipfile
import zlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common.uploads import (
    CHUNK,
    EVIDENCE_LIMITS,
    WORKBOOK_LIMITS,
    UploadRefused,
    check_office_package,
    check_workbook,
)
from plans.models import Agency
from portal.management.commands import benchmark_uploads as hostile
from targets.models import Figure, FigureSheet
from tasks.models import Task, TaskAssignment, TaskEvidence, TaskReport, TaskSection
from tests.conftest import make_user
from tests.factories import plan_place_url

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
FORMULA = '=HYPERLINK("http://evil.example/?x=1","Bấm vào đây")'
CALC = "=cmd|' /C calc'!A0"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Each hostile file, and what the refusal says for a workbook upload / an evidence file.
REFUSALS = {
    "38-sheets": ("giải nén ra 38 MB, vượt mức 10 MB", "bị nén tới"),
    "zip-bomb": ("giải nén ra 1024 MB, vượt mức 10 MB", "giải nén ra 1024 MB, vượt mức 50 MB"),
    "lying-size": ("nhiều hơn dung lượng nó khai báo", "nhiều hơn dung lượng nó khai báo"),
    "many-parts": ("hơn 100 phần", "hơn 1000 phần"),
    "billion-laughs": ("khai báo XML DOCTYPE hoặc ENTITY", "khai báo XML DOCTYPE hoặc ENTITY"),
    "late-doctype": ("khai báo XML DOCTYPE hoặc ENTITY", "khai báo XML DOCTYPE hoặc ENTITY"),
}


@pytest.fixture(scope="module")
def files():
    return {name: build() for name, build in hostile.HOSTILE.items()}


@pytest.fixture
def skhdt(db):
    agency = Agency.objects.get(locality__code="dak-nong", name="Sở Kế hoạch và Đầu tư")
    return make_user("skhdt", "agency", agency=agency)


def counts():
    models = (Figure, FigureSheet, Task, TaskSection, TaskAssignment, Agency)
    return {m.__name__: m.objects.count() for m in (*models, TaskReport, TaskEvidence)}


def field_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("file", []))


# --- uploads through the views -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_figure_upload_refuses_hostile_workbooks(client, plan_staff, files, name):
    """The figure upload refuses each hostile workbook with what was wrong; nothing saved."""
    client.force_login(plan_staff)
    before = counts()
    response = client.post(
        plan_place_url("targets:figure_upload", "dak-nong", 2025),
        {"file": SimpleUploadedFile(f"{name}.xlsx", files[name])},
    )
    assert response.status_code == 200
    assert REFUSALS[name][0] in field_errors(response), field_errors(response)
    assert counts() == before


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_task_import_refuses_hostile_workbooks(client, plan_staff, files, name):
    """The task-table import refuses each hostile workbook; no preview is kept."""
    client.force_login(plan_staff)
    before = counts()
    response = client.post(
        reverse("tasks:task_import", args=["dak-nong"]),
        {"file": SimpleUploadedFile(f"{name}.xlsx", files[name])},
    )
    assert response.status_code == 200
    assert REFUSALS[name][0] in field_errors(response), field_errors(response)
    assert "task_import" not in client.session
    assert counts() == before


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_evidence_refuses_hostile_office_files(client, skhdt, files, name):
    """An evidence file that is a hostile workbook is refused on the report form, with its
    name; no report and no file is stored."""
    client.force_login(skhdt)
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="3")
    before = counts()
    response = client.post(
        reverse("tasks:report_edit", args=[task.pk, YEAR]),
        {
            "progress": "in_progress",
            "done": "Đang làm.",
            "save": "1",
            "version": "0",
            "file": SimpleUploadedFile(f"{name}.xlsx", files[name]),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Không nhận tệp {name}.xlsx" in html
    assert REFUSALS[name][1] in html
    assert counts() == before


def test_hostile_docx_evidence_is_refused_and_a_plain_one_accepted(client, skhdt):
    """DOCX evidence gets the same checks: a DOCTYPE after a long comment is refused, an
    ordinary document is stored."""
    client.force_login(skhdt)
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="3")
    url = reverse("tasks:report_edit", args=[task.pk, YEAR])
    form = {"progress": "in_progress", "done": "Đang làm.", "save": "1", "version": "0"}
    bad = hostile.late_doctype(part="word/document.xml", parts=hostile.docx_parts())
    response = client.post(url, {**form, "file": SimpleUploadedFile("bao-cao.docx", bad)})
    assert "khai báo XML DOCTYPE" in response.content.decode()
    assert not TaskEvidence.objects.exists()
    good = hostile.package(hostile.docx_parts())
    response = client.post(url, {**form, "file": SimpleUploadedFile("bao-cao.docx", good)})
    assert response.status_code == 302
    assert TaskEvidence.objects.get().content_type.endswith("wordprocessingml.document")


# --- speed and memory --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REFUSALS))
@pytest.mark.parametrize("limits", [WORKBOOK_LIMITS, EVIDENCE_LIMITS], ids=["workbook", "evidence"])
def test_refusal_is_fast_and_small(files, name, limits):
    """Each hostile file is refused in well under a second, with under 2 MB of Python
    allocations (openpyxl took 22–32 s and about 1 GB for the 38-sheet file)."""
    start = time.perf_counter()
    with pytest.raises(UploadRefused):
        check_office_package(files[name], limits=limits)
    assert time.perf_counter() - start < 1.0
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused):
            check_office_package(files[name], limits=limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, peak


# --- the checks one by one ---------------------------------------------------------------


def test_zipfile_returns_no_more_than_the_declared_size_but_read_inflates_it_all():
    """The claim behind bounding the declared sizes, checked: zipfile never returns more
    than a part declares. But ZipFile.read inflates the whole part before cutting it, so a
    part declaring 1 KB that inflates to 64 MiB costs 64 MiB; hence the check inflates each
    part itself, in chunks, and refuses the lie."""
    data = hostile.lying_size(declared=1024, size=64 * hostile.MIB)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.getinfo("xl/styles.xml").file_size == 1024
    with archive.open("xl/styles.xml") as part:
        assert len(part.read(CHUNK)) == 1024  # a chunked read stops at the declared size
    tracemalloc.start()
    try:
        assert len(archive.read("xl/styles.xml")) == 1024
        whole = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        with pytest.raises(UploadRefused, match="nhiều hơn dung lượng nó khai báo"):
            check_workbook(data)
        checked = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert whole > 32 * hostile.MIB
    assert checked < 2 * hostile.MIB


def _parts_with(part: str, content: bytes, base=None) -> dict[str, bytes]:
    parts = dict(base or hostile.workbook_parts())
    parts[part] = content
    return parts


def _stored(parts: dict[str, bytes]) -> bytes:
    return hostile.raw_zip(
        [(n, d, zlib.crc32(d), len(d), zipfile.ZIP_STORED) for n, d in parts.items()]
    )


@pytest.mark.parametrize("split", range(1, 9))
def test_a_doctype_split_across_two_chunks_is_found(split):
    """A DOCTYPE cut between two 64 KB chunks at any of its letters is still found."""
    prefix = b'<?xml version="1.0" encoding="UTF-8"?><!--'
    comment = b"x" * (CHUNK - len(prefix) - len(b"-->") - split)
    sheet = prefix + comment + b"--><!DOCTYPE r []><r/>"
    assert sheet[CHUNK - split : CHUNK + 9 - split] == b"<!DOCTYPE"
    data = _stored(_parts_with("xl/worksheets/sheet1.xml", sheet))
    with pytest.raises(UploadRefused, match="DOCTYPE"):
        check_workbook(data)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (_parts_with("xl/vbaProject.bin", b"\0" * 100), "macro"),
        (_parts_with("xl/worksheets/sheet1.xml", b"\0" * 50_000), "bị nén tới"),
        (
            _parts_with(
                "xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x []><x/>'.encode("utf-16")
            ),
            "UTF-8",
        ),
        (
            _parts_with("xl/workbook.xml", b'<?xml version="1.0" encoding="UTF-7"?><x/>'),
            "UTF-8",
        ),
        ({"xl/workbook.xml": b"<workbook/>"}, "không phải là tệp Excel"),
    ],
    ids=["macros", "ratio-of-a-small-part", "utf-16", "utf-7", "no-content-types"],
)
def test_packages_that_office_would_not_write_are_refused(parts, message):
    with pytest.raises(UploadRefused, match=message):
        check_workbook(hostile.package(parts))


def test_encrypted_parts_and_old_format_files_are_refused():
    data = bytearray(hostile.package(hostile.workbook_parts()))
    data[6] |= 1  # local header: encrypted
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 1  # central directory: encrypted
    with pytest.raises(UploadRefused, match="mật khẩu"):
        check_workbook(bytes(data))
    with pytest.raises(UploadRefused, match="mật khẩu"):
        check_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def test_a_zip64_end_record_cannot_hide_the_part_count(monkeypatch):
    """zipfile takes the part count from a ZIP64 end record when there is one: the check
    reads it too, even when the ordinary end record shows a small count."""
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 5)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in hostile.workbook_parts().items():
            archive.writestr(name, content)
        for index in range(200):
            archive.writestr(f"xl/p{index}.xml", b"")
    monkeypatch.undo()
    data = bytearray(buffer.getvalue())
    end = data.rindex(b"PK\x05\x06")
    data[end + 8 : end + 12] = b"\x05\x00\x05\x00"  # ordinary end record: 5 parts
    data[end + 12 : end + 16] = (300).to_bytes(4, "little")
    with pytest.raises(UploadRefused, match="hơn 100 phần"):
        check_workbook(bytes(data))


def test_real_workbooks_pass(client, plan_staff):
    """The portal's own template and a large ordinary workbook pass every check."""
    client.force_login(plan_staff)
    check_workbook(client.get(plan_place_url("targets:figure_template", "dak-nong", 2025)).content)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in range(1, 5001):
        ws.append([f"{row}", "Nhiệm vụ phát triển hợp tác xã", "Sở KH&ĐT", 2025, row * 1.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    check_workbook(buffer.getvalue())


# --- list exports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "user_fixture"), [("tasks:task_list", "leader"), ("tasks:my_tasks", "skhdt")]
)
def test_list_exports_write_formulas_as_text(client, request, url_name, user_fixture):
    """A task field that starts with "=" comes out of the list exports as the exact text
    in a text cell, never as a live formula; the header row is frozen and styled."""
    task = Task.objects.get(plan__slug="dak-nong", section__number="II", number="3")
    task.description = FORMULA
    task.deliverable = CALC
    task.save()
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse(url_name), {"q": "HYPERLINK", "_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    expected = "nhiem-vu-cua-toi.xlsx" if url_name == "tasks:my_tasks" else "nhiem-vu.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value in (FORMULA, CALC)}
    assert set(cells) == {FORMULA, CALC}
    assert all(c.data_type == "s" for c in cells.values())
    assert ws["A1"].value == "TT" and ws["A1"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= 8


def test_list_exports_offer_excel_only(client, leader):
    """Other django-tables2 formats (CSV, whose cells Excel evaluates) are not served."""
    client.force_login(leader)
    assert client.get(reverse("tasks:task_list"), {"_export": "csv"}).status_code == 404


# --- read-only loading keeps row numbers right -------------------------------------------


def test_figure_upload_row_numbers_survive_empty_cells(client, plan_staff):
    """Read-only loading gives empty cells without a row number: an emptied code cell is
    skipped and an error names its real row."""
    client.force_login(plan_staff)
    template = client.get(plan_place_url("targets:figure_template", "dak-nong", 2025)).content
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb["Số liệu"]
    ws.cell(row=6, column=1).value = None
    ws.cell(row=8, column=6).value = "abc"
    buffer = io.BytesIO()
    wb.save(buffer)
    response = client.post(
        plan_place_url("targets:figure_upload", "dak-nong", 2025),
        {"file": SimpleUploadedFile("so-lieu.xlsx", buffer.getvalue())},
    )
    assert [row for row, _message in response.context["row_errors"]] == [8]
    assert not Figure.objects.exists()


def test_task_import_row_numbers_count_empty_rows(dak_nong):
    """A table that starts lower down, with an empty row inside, reports its real rows."""
    from tasks.importing import read_task_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A3"], ws["B3"], ws["C3"] = "TT", "Nhiệm vụ", "Đơn vị chủ trì"
    ws["A4"], ws["B4"], ws["C4"] = 1, "Trước mọi mục", "Sở Tài chính"
    ws["A6"], ws["B6"] = "I", "Mục một"
    ws["A8"], ws["B8"] = 2, "Không có đơn vị chủ trì"
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = read_task_table(buffer.getvalue(), plan=dak_nong)
    assert [row for row, _message in preview.errors] == [4]
    assert [(r.row, r.number) for r in preview.rows] == [(8, "2")]


def test_task_import_reads_the_first_worksheet_when_a_chart_sheet_is_in_front(dak_nong):
    """A workbook that opens on a chart sheet is read from its first worksheet (read-only
    chart sheets have no rows), not a 500."""
    from openpyxl.chart import BarChart, Reference

    from tasks.importing import read_task_table

    wb = openpyxl.Workbook()
    ws = wb.active
    for values in (["TT", "Nhiệm vụ", "Đơn vị chủ trì"], ["I", "Mục một"], [1, "Việc", "Sở X"]):
        ws.append(values)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=3, max_row=3))
    wb.create_chartsheet("Biểu đồ", 0).add_chart(chart)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = read_task_table(buffer.getvalue(), plan=dak_nong)
    assert [(r.row, r.description) for r in preview.rows] == [(3, "Việc")]
