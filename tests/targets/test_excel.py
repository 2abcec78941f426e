"""The Excel round trip, read back with openpyxl; hostile files change nothing."""

import io
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from targets.models import Figure
from targets.services import FigureInput, figures_save
from tests.factories import figures_of, plan_place_url

pytestmark = pytest.mark.django_db
YEAR = 2025


def template_url(slug="dak-nong"):
    return plan_place_url("targets:figure_template", slug, YEAR)


def upload_url(slug="dak-nong"):
    return plan_place_url("targets:figure_upload", slug, YEAR)


def download(client):
    response = client.get(template_url())
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def fill(wb, **values):
    ws = wb["Số liệu"]
    for row in ws.iter_rows(min_row=6):
        code = row[0].value
        if code in values:
            ws.cell(row=row[0].row, column=6, value=values[code])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="so-lieu.xlsx", **extra):
    return client.post(
        upload_url(), {"file": SimpleUploadedFile(name, content), "reason": "", **extra}
    )


@pytest.fixture
def staff_client(client, plan_staff):
    client.force_login(plan_staff)
    return client


def test_template_is_prefilled_and_styled(staff_client, dak_nong, plan_staff):
    figures_save(
        plan=dak_nong,
        year=YEAR,
        user=plan_staff,
        version=0,
        values={"htx_count": FigureInput(D(320), note="=cmd|' /C calc'!A0")},
    )
    wb = download(staff_client)
    ws = wb["Số liệu"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=6) if r[0].value}
    assert rows["htx_count"][5].value == 320
    assert rows["htx_count"][4].value == "Năm 2030: 360"
    assert rows["htx_count"][7].data_type == "s"  # text that looks like a formula stays text
    assert rows["htx_count"][7].value.startswith("=cmd")
    assert ws.freeze_panes == "C6"
    assert ws["A5"].value == "Mã chỉ số" and ws["A5"].font.b
    assert wb["_meta"].sheet_state == "hidden"
    assert {r[0].value: r[1].value for r in wb["_meta"].iter_rows()} == {
        "place": "lam-dong/dak-nong",
        "year": YEAR,
        "version": 1,
    }


def test_round_trip_saves_all_values(staff_client, dak_nong):
    content = fill(
        download(staff_client), htx_count=330, htx_members="14.500", women_director_share="12,5"
    )
    response = upload(staff_client, content)
    assert response.status_code == 302
    values = dict(figures_of(dak_nong).filter(year=YEAR).values_list("indicator__code", "value"))
    assert values == {
        "htx_count": D(330),
        "htx_members": D(14500),
        "women_director_share": D("12.5"),
    }


def test_row_errors_save_nothing(staff_client, dak_nong):
    content = fill(
        download(staff_client),
        htx_count=330,
        htx_members=10,
        women_director_share="abc",
        lhhtx_count=2.5,
    )
    response = upload(staff_client, content)
    assert response.status_code == 200
    errors = response.context["row_errors"]
    messages = " ".join(m for _row, m in errors)
    assert "không phải là số" in messages and "số nguyên" in messages
    assert all(row >= 6 for row, _m in errors)
    assert not figures_of(dak_nong).filter().exists()


def test_consistency_errors_point_at_their_row(staff_client, dak_nong):
    content = fill(download(staff_client), htx_count=330, htx_members=10)
    response = upload(staff_client, content)
    assert response.status_code == 200
    assert response.context["row_errors"] and response.context["row_errors"][0][0] >= 6
    assert not Figure.objects.exists()


def test_stale_template_is_refused(staff_client, dak_nong, plan_staff):
    wb = download(staff_client)
    figures_save(
        plan=dak_nong,
        year=YEAR,
        user=plan_staff,
        version=0,
        values={"htx_count": FigureInput(D(300))},
    )
    response = upload(staff_client, fill(wb, htx_count=330))
    assert response.status_code == 200
    assert "tải mẫu mới" in response.content.decode()
    assert figures_of(dak_nong).get().value == D(300)


def _xlsx_with(part: str, replace) -> bytes:
    wb = openpyxl.Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = replace(data)
            target.writestr(item, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return out.getvalue()


def _billion_laughs(data: bytes) -> bytes:
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>' + body
    )


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (lambda: b"TT,Nhiem vu\n1,abc\n", "so-lieu.xlsx", "không phải là tệp Excel"),
        (lambda: b"%PDF-1.4 fake", "so-lieu.xlsx", "không phải là tệp Excel"),
        (lambda: b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024), "big.xlsx", "quá lớn"),
        (_zip_bomb, "bomb.xlsx", "bị từ chối"),
        (lambda: _xlsx_with("xl/workbook.xml", _billion_laughs), "entities.xlsx", "XML"),
        (lambda: _xlsx_with("xl/workbook.xml", lambda d: d), "other.xlsx", "mẫu của cổng"),
    ],
    ids=["csv", "pdf", "too-large", "zip-bomb", "xml-entities", "not-our-template"],
)
def test_hostile_files_are_refused_and_change_nothing(staff_client, make, name, message):
    response = upload(staff_client, make(), name=name)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert message in errors, errors
    assert not Figure.objects.exists()


def test_formulas_are_refused(staff_client):
    content = fill(download(staff_client), htx_count="=SUM(1,2)")
    response = upload(staff_client, content)
    assert "công thức" in " ".join(response.context["form"].errors["file"])
    assert not Figure.objects.exists()


def test_template_for_another_plan_is_refused(client, admin_user):
    client.force_login(admin_user)
    other = client.get(template_url("binh-phuoc")).content
    response = client.post(upload_url("dak-nong"), {"file": SimpleUploadedFile("x.xlsx", other)})
    assert "địa bàn hoặc năm khác" in " ".join(response.context["form"].errors["file"])
