"""Pages that list the whole country's data: a page at a time, and quick to write out."""

import re
from html import unescape

import pytest
from django.utils import timezone

from tests import factories as f
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_the_review_queue_shows_twenty_five_reports_a_page(client):
    # 25 a page as every list of the portal (it was 50 until the national-scale benchmark:
    # the queue's page then took ×1.5 its time with the seed plans).
    plan = f.PlanFactory()
    agency = f.AgencyFactory(locality=plan.locality)
    for _ in range(28):
        f.TaskReportFactory(
            task=f.TaskFactory(plan=plan, leads=[agency]), agency=agency, submitted=True, year=YEAR
        )
    client.force_login(make_user("queue-staff", "plan_staff", plans=[plan]))

    first = client.get("/nhiem-vu/cho-duyet/").content.decode()
    second = client.get("/nhiem-vu/cho-duyet/?page=2").content.decode()

    assert first.count(">Duyệt</a>") == 25
    assert second.count(">Duyệt</a>") == 3
    assert "Số báo cáo đang chờ: 28." in first
    assert "Trang 1/2" in first and 'rel="next" href="?page=2"' in first
    assert 'rel="prev" href="?page=1"' in second
    # A page that does not exist shows the nearest one, never an error.
    for page in ("abc", "0", "99"):
        assert client.get(f"/nhiem-vu/cho-duyet/?page={page}").status_code == 200


def test_the_review_queue_pages_keep_the_plan_chosen(client):
    plan = f.PlanFactory()
    agency = f.AgencyFactory(locality=plan.locality)
    for _ in range(26):
        f.TaskReportFactory(
            task=f.TaskFactory(plan=plan, leads=[agency]), agency=agency, submitted=True, year=YEAR
        )
    client.force_login(make_user("queue-staff", "plan_staff", plans=[plan]))

    page = client.get(f"/nhiem-vu/cho-duyet/?plan={plan.slug}").content.decode()

    assert f'href="?plan={plan.slug}&amp;page=2"' in page


def test_the_plan_filter_lists_every_plan_and_keeps_the_one_chosen(client, leader):
    plans = [f.PlanFactory(number=f"{n}/KH-UBND") for n in range(1, 40)]
    hostile = f.PlanFactory(number='<b>"x"</b>')
    client.force_login(leader)

    page = client.get(f"/nhiem-vu/?plan={plans[7].pk}").content.decode()

    select = re.search(r'<select[^>]*name="plan"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the plan filter is a select"
    options = re.findall(r'<option value="(\d*)"( selected)?>(.*?)</option>', select.group(1))
    assert {value for value, _s, _l in options} >= {str(p.pk) for p in plans + [hostile]}
    assert [value for value, selected, _l in options if selected] == [str(plans[7].pk)]
    assert '<b>"x"</b>' not in page  # labels are escaped
    assert any('<b>"x"</b>' in unescape(label) for _v, _s, label in options)


def test_the_report_index_lists_25_plans_a_page_and_finds_one(client, leader):
    for n in range(1, 31):
        f.PlanFactory(number=f"{n}/KH-UBND", locality=f.LocalityFactory(name=f"Tỉnh Thử {n:02d}"))
    client.force_login(leader)

    first = client.get("/bao-cao/").content.decode()
    found = client.get("/bao-cao/?q=tinh+thu+07").content.decode()

    plans_on = re.findall(r'name="plan" value="([^"]+)" form="consolidated-form"', first)
    assert len(plans_on) == 25  # each row can be ticked for the consolidated report
    assert "Trang 1/2" in first and 'rel="next"' in first
    table = found[found.index("<tbody>") :]
    assert "Tỉnh Thử 07" in table and "Tỉnh Thử 08" not in table
    assert "Số kế hoạch: 1" in found
    for page in ("2", "x", "999"):
        assert client.get(f"/bao-cao/?page={page}").status_code == 200


def test_a_consolidated_choice_without_a_report_returns_to_the_form_saying_why(client, leader):
    """Kon Tum is not among the places of Yên Bái city's bodies: the form comes back with
    the reason and the choice kept, not a "page not found"."""
    from plans.models import Agency

    city = Agency.objects.get(name="Ủy ban nhân dân thành phố Yên Bái")
    client.force_login(leader)

    response = client.get(
        "/bao-cao/tong-hop/",
        {"year": 2025, "issuer": city.pk, "format": "xlsx", "plan": "kon-tum"},
        follow=True,
    )

    assert response.redirect_chain[-1][0].startswith("/bao-cao/?")
    page = response.content.decode()
    assert "Không có kế hoạch nào thuộc địa bàn của cơ quan này được chọn" in page
    assert f'<option value="{city.pk}" selected>' in page
    assert '<option value="xlsx" selected>' in page
    assert 'value="kon-tum" form="consolidated-form" checked' in page or "kon-tum" not in page


def test_issuers_are_listed_from_the_country_down(client, leader):
    """The places first, the country then the provinces in Vietnamese order (Đắk Nông
    after D, not after Q: the code point order of Đ); a province's bodies, its own first."""
    client.force_login(leader)
    page = client.get("/bao-cao/").content.decode()
    select = re.search(r'<select id="cons-place"[^>]*>(.*?)</select>', page, re.S).group(1)
    places = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)
    names = [name for _pk, name in places]
    assert names[0] == "Toàn quốc", names
    assert names.index("Đắk Nông") < names.index("Quảng Ngãi"), names
    assert names.index("Bình Phước") < names.index("Đắk Nông"), names
    yen_bai = next(pk for pk, name in places if name == "Yên Bái")
    page = client.get("/bao-cao/", {"place": yen_bai}).content.decode()
    select = re.search(r'<select id="cons-issuer"[^>]*>(.*?)</select>', page, re.S).group(1)
    bodies = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    assert bodies and all(b.endswith("(Yên Bái)") for b in bodies), bodies
    assert "Ủy ban nhân dân thành phố Yên Bái (Yên Bái)" in bodies
