"""A plan's document entered and corrected in the portal (``portal.plan_views``): who may,
what is checked, what is kept."""

import re

import pytest
from django.urls import reverse

from plans.models import Agency, Locality, Plan
from tests import factories as f

pytestmark = pytest.mark.django_db


def national_resolution(**changes) -> dict:
    """Nghị quyết 20-NQ/TW as a user types it into the form."""
    data = {
        "kind": "nghi_quyet",
        "number": "20-NQ/TW",
        "title": "Nghị quyết Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XIII "
        "về tiếp tục đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể trong giai đoạn mới",
        "issuing_body": Agency.objects.get(name="Ban Chấp hành Trung ương").pk,
        "level": "national",
        "locality": Locality.objects.get(code="toan-quoc").pk,
        "issued_on": "16/6/2022",
        "place": "Hà Nội",
        "signer_name": "Nguyễn Phú Trọng",
        "signer_title": "Tổng Bí thư",
        "coordinating_body": "",
        "start_year": "2022",
        "base_year": "2021",
        "reason": "",
    }
    data.update(changes)
    return data


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_plan_staff_enter_a_national_resolution_and_then_follow_it(client):
    """Nghị quyết 20-NQ/TW entered by plan staff: its own address, its kind and level in
    every label, and the staff member follows it."""
    staff = f.plan_staff(f.PlanFactory())
    client.force_login(staff)
    response = client.post(reverse("plan_create"), national_resolution())
    plan = Plan.objects.get(number="20-NQ/TW")
    assert response.status_code == 302
    assert response["Location"] == "/ke-hoach/toan-quoc-20-nq-tw/"
    assert plan.heading == "Nghị quyết số 20-NQ/TW" and plan.place_label == "Toàn quốc"
    assert staff.plans.filter(pk=plan.pk).exists()
    assert plan.history.get().history_user == staff
    page = client.get(response["Location"])
    text = main_text(page)
    assert "Nghị quyết số 20-NQ/TW" in text and "Toàn quốc" in text
    assert "Sửa thông tin văn bản" in text
    assert not re.search(r"\btỉnh\b", text, re.IGNORECASE), text


def test_an_administrator_enters_a_plan_and_follows_nothing(client):
    admin = f.admin()
    client.force_login(admin)
    response = client.post(reverse("plan_create"), national_resolution())
    assert response.status_code == 302
    assert not admin.plans.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"level": "province"}, "locality", "không thuộc cấp đã chọn"),
        (
            {"issuing_body_name": "Ủy ban nhân dân tỉnh Lâm Đồng"},
            "issuing_body",
            "không thuộc Toàn quốc",
        ),
        ({"base_year": "2023"}, "base_year", "Năm gốc phải từ 2000 đến năm bắt đầu"),
        ({"start_year": "1999", "base_year": ""}, "start_year", "Năm bắt đầu phải từ 2000"),
        ({"issued_on": "31/02/2022"}, "issued_on", "ngày hợp lệ"),
        ({"number": ""}, "number", "bắt buộc"),
        ({"title": "x" * 5001}, "title", "5000"),
    ],
)
def test_a_wrong_document_is_refused_with_its_input_kept(client, changes, field, message):
    """Each mistake: a Vietnamese message on its field, the input kept, nothing saved."""
    client.force_login(f.admin())
    if "issuing_body_name" in changes:
        name = changes.pop("issuing_body_name")
        changes["issuing_body"] = Agency.objects.get(name=name).pk
    response = client.post(reverse("plan_create"), national_resolution(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    assert "Không có thay đổi nào được lưu" in response.content.decode() or form.errors
    assert 'value="Hà Nội"' in response.content.decode()  # input kept
    assert not Plan.objects.filter(number="20-NQ/TW").exists()


def test_a_district_plan_after_the_district_level_ended_is_refused(client):
    """Gò Công Tây (a district) existed until 30/6/2025: a plan it issues later is refused."""
    client.force_login(f.admin())
    district = Locality.objects.get(code="go-cong-tay")
    body = Agency.objects.filter(locality=district).exclude(kind="group").first()
    data = national_resolution(
        kind="ke_hoach",
        number="99/KH-UBND",
        level="district",
        locality=district.pk,
        issuing_body=body.pk,
        issued_on="01/7/2025",
    )
    response = client.post(reverse("plan_create"), data)
    assert response.status_code == 200
    assert "Huyện Gò Công Tây không còn tồn tại vào ngày 01/7/2025" in " ".join(
        response.context["form"].errors["issued_on"]
    )
    data["issued_on"] = "30/6/2025"
    assert client.post(reverse("plan_create"), data).status_code == 302


def test_the_same_document_twice_is_refused(client):
    client.force_login(f.admin())
    assert client.post(reverse("plan_create"), national_resolution()).status_code == 302
    response = client.post(reverse("plan_create"), national_resolution(number=" 20-nq/tw "))
    assert "Cổng đã có Nghị quyết số 20-NQ/TW của Ban Chấp hành Trung ương" in " ".join(
        response.context["form"].errors["number"]
    )
    assert Plan.objects.filter(number__iexact="20-NQ/TW").count() == 1


def test_the_choosers_name_each_place_and_list_the_country_first(client):
    client.force_login(f.admin())
    form = client.get(reverse("plan_create")).context["form"]
    places = [label for _pk, label in form.fields["locality"].choices][1:]
    assert places[0] == "Toàn quốc"
    assert "Huyện Gò Công Tây (đến 30/6/2025)" in places
    bodies = [str(label) for _pk, label in form.fields["issuing_body"].choices]
    assert "Ban Chấp hành Trung ương – Toàn quốc" in bodies
    assert not any(label.startswith("Các Sở") for label in bodies)  # groups issue nothing


def test_staff_correct_their_plan_with_a_reason_kept_in_its_history(client, dak_nong, plan_staff):
    client.force_login(plan_staff)
    url = reverse("plan_edit", args=["dak-nong"])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["issued_on"] = dak_nong.issued_on.strftime("%d/%m/%Y")
    data["title"] = dak_nong.title + " (sửa)"
    data["reason"] = "Sửa tên theo bản gốc"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    dak_nong.refresh_from_db()
    assert dak_nong.title.endswith("(sửa)") and dak_nong.slug == "dak-nong"
    assert dak_nong.history.first().history_change_reason == "Sửa tên theo bản gốc"
    page = client.get(url)
    assert "Sửa tên theo bản gốc" in page.content.decode()


def test_the_home_page_offers_adding_a_plan_to_those_who_may(client, dak_nong, plan_staff):
    assert "Thêm kế hoạch" not in client.get("/").content.decode()
    client.force_login(plan_staff)
    assert "Thêm kế hoạch" in client.get("/").content.decode()
    client.force_login(f.leader())
    assert "Thêm kế hoạch" not in client.get("/").content.decode()
