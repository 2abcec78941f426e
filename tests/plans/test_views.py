"""Public pages: the home page and a plan page, for every role."""

import pytest
from django.urls import reverse

from plans.models import Plan

pytestmark = pytest.mark.django_db

SLUGS = ["binh-phuoc", "yen-bai", "go-cong-tay", "dak-nong", "kon-tum"]


def test_home_lists_the_five_plans_for_every_role(any_role_client):
    response = any_role_client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for number in ["147/KH-UBND", "209-KH/TU", "26-CTr/TU", "127/KH-UBND", "41-CTr/TU"]:
        assert number in html
    for slug in SLUGS:
        assert reverse("plan_detail", kwargs={"slug": slug}) in html
    assert "07/3/2023" in html  # Đắk Nông's date, written as Nghị định 30 writes it


@pytest.mark.parametrize("slug", SLUGS)
def test_plan_page_for_every_role(any_role_client, slug):
    plan = Plan.objects.get(slug=slug)
    response = any_role_client.get(plan.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert plan.number in html
    for target in plan.targets.all():
        assert target.text in html
    for task in plan.tasks.all():
        assert task.description[:40] in html


def test_dak_nong_page_shows_document_targets_and_tasks(client):
    html = client.get(reverse("plan_detail", kwargs={"slug": "dak-nong"})).content.decode()
    assert "Ủy ban nhân dân tỉnh Đắk Nông" in html
    assert "Lê Trọng Yên" in html
    assert "25-30" in html  # LHHTX member range
    assert "trên 4.200" in html  # Vietnamese thousands
    assert "Năm 2024-2025" in html
    assert "Sở Tài chính tỉnh Lâm Đồng" in html  # this year's recipient, after the merger
    assert "(26)" in html


def test_undated_and_unsigned_plans_say_so(client):
    gct = client.get(reverse("plan_detail", kwargs={"slug": "go-cong-tay"}))
    kt = client.get(reverse("plan_detail", kwargs={"slug": "kon-tum"}))
    assert "không ghi trong văn bản" in gct.content.decode()
    assert "không ghi trong văn bản" in kt.content.decode()


def test_unknown_plan_is_404(client):
    assert client.get("/ke-hoach/khong-co/").status_code == 404


def test_pages_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    # cold, the home page computes the plans' progress and stores it (6 before it was
    # stored, and one read and one write more); warm, it reads what it stored
    with django_assert_max_num_queries(7):
        client.get(reverse("home"))
    with django_assert_max_num_queries(3):
        client.get(reverse("home"))
    with django_assert_max_num_queries(10):
        client.get(reverse("plan_detail", kwargs={"slug": "dak-nong"}))


def test_interface_is_vietnamese(client):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in html
    assert "Kế hoạch" in html and "Đăng nhập" in html
