"""The reports page at national scale: every plan the user sees is read as a few values,
the page's plans as plans, the issuers as names, and each year's links are made without a
reverse() apiece; it shows what it showed before."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from common.formatting import vn_sort_key
from plans.choices import AgencyKind, LocalityLevel
from plans.models import Locality
from reports.pages import report_index_rows
from reports.views import _report_urls, _rows_html, consolidation_issuers
from tests import factories as f
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

INDEX = "/bao-cao/"


def issuer_options(page: str) -> list[tuple[str, bool, str]]:
    select = re.search(r'<select id="cons-issuer"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', select)
    return [(value, bool(selected), unescape(label)) for value, selected, label in options]


def test_the_report_links_are_the_urls_reverse_gives():
    urls = _report_urls()
    for slug in ("dak-nong", "ke-hoach-99999", "plan-slug", "a_1"):
        for year in (2021, 2025, 99999):
            got = urls(slug, year)
            assert got == {
                "preview": reverse("reports:report_preview", args=[slug, year]),
                "pdf": reverse("reports:report_download", args=[slug, year, "pdf"]),
                "docx": reverse("reports:report_download", args=[slug, year, "docx"]),
                "xlsx": reverse("reports:report_download", args=[slug, year, "xlsx"]),
                "edit": reverse("reports:report_edit", args=[slug, year]),
            }


def test_each_years_links_on_the_page(client, plan_staff, dak_nong):
    client.force_login(plan_staff)
    page = client.get(INDEX).content.decode()
    for name, args in [
        ("reports:report_preview", [dak_nong.slug, 2025]),
        ("reports:report_download", [dak_nong.slug, 2025, "pdf"]),
        ("reports:report_download", [dak_nong.slug, 2025, "docx"]),
        ("reports:report_download", [dak_nong.slug, 2025, "xlsx"]),
        ("reports:report_edit", [dak_nong.slug, 2025]),  # staff edit the plans they follow
    ]:
        assert f'href="{reverse(name, args=args)}"' in page


LEVELS = ["national", "province", "city", "district", "commune"]


def place_options(page: str) -> list[tuple[str, bool, str]]:
    select = re.search(r'<select id="cons-place"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', select)
    return [(value, bool(selected), unescape(label)) for value, selected, label in options]


def top_place(locality):
    while locality.parent_id:
        locality = locality.parent
    return locality


def test_the_issuers_are_a_places_bodies_above_the_communes_from_the_country_down(client, leader):
    """A place first (the country, the provinces), then its bodies and those of the
    places under it: the country's five hundred bodies in one list were 33 kB of every
    page. Every body above the communes is under one place, in the stored order."""
    province = f.LocalityFactory(name="Tỉnh Thử", level=LocalityLevel.PROVINCE)
    district = f.LocalityFactory(name="Huyện Thử", level=LocalityLevel.DISTRICT, parent=province)
    commune = f.LocalityFactory(name="Xã Thử", level=LocalityLevel.COMMUNE, parent=district)
    f.AgencyFactory(
        name="Ủy ban nhân dân xã Thử", kind=AgencyKind.PEOPLES_COMMITTEE, locality=commune
    )
    hostile = f.AgencyFactory(name='Sở <b>"x"</b> & co', locality=district)
    issuers = sorted(  # from the country down; places and names in Vietnamese order
        consolidation_issuers().exclude(locality__level=LocalityLevel.COMMUNE),
        key=lambda a: (
            LEVELS.index(a.locality.level),
            vn_sort_key(a.locality.name),
            vn_sort_key(a.name),
        ),
    )
    client.force_login(leader)

    page = client.get(INDEX).content.decode()
    places = place_options(page)
    tops = Locality.objects.filter(parent__isnull=True).exclude(level=LocalityLevel.COMMUNE)
    assert {top_place(a.locality) for a in issuers} <= set(tops)
    expected_places = sorted(tops, key=lambda p: (LEVELS.index(p.level), vn_sort_key(p.name)))
    assert [(pk, label) for pk, _s, label in places] == [
        (str(p.pk), p.name) for p in expected_places
    ]
    assert places[0][1:] == (True, "Toàn quốc")  # a leader of no body: the country's
    listed = []
    for pk, _selected, _label in places:
        shown = client.get(INDEX, {"place": pk}).content.decode()
        assert [v for v, selected, _l in place_options(shown) if selected] == [pk]
        listed += issuer_options(shown)
        assert "Ủy ban nhân dân xã Thử" not in shown
        assert '<b>"x"</b>' not in shown  # labels are escaped
    assert listed == [  # each place's in turn, from the country down within it
        (str(a.pk), False, f"{a.name} ({a.locality.name})")
        for place in expected_places
        for a in issuers
        if top_place(a.locality) == place
    ]
    # a body chosen (sent back by the form) is listed with its place, selected
    chosen = client.get(INDEX, {"issuer": hostile.pk}).content.decode()
    assert [v for v, selected, _l in issuer_options(chosen) if selected] == [str(hostile.pk)]
    assert [v for v, selected, _l in place_options(chosen) if selected] == [str(province.pk)]


def test_a_place_without_an_issuing_body_says_so(client, leader):
    lonely = f.LocalityFactory(name="Tỉnh Vắng", level=LocalityLevel.PROVINCE)
    f.AgencyFactory(
        name="Hội Nông dân tỉnh Vắng", kind=AgencyKind.MASS_ORGANISATION, locality=lonely
    )
    client.force_login(leader)
    page = client.get(INDEX, {"place": lonely.pk}).content.decode()
    assert [v for v, selected, _l in place_options(page) if selected] == [str(lonely.pk)]
    assert issuer_options(page) == []
    assert "Không có cơ quan nào trên địa bàn này ban hành báo cáo tổng hợp" in page


def test_the_place_shown_first_is_the_users_bodys(client):
    """A leader of a district's body sees the bodies of its province first."""
    from plans.models import Agency

    body = Agency.objects.get(name="Ủy ban nhân dân huyện Gò Công Tây")
    client.force_login(make_user("district-leader", "leadership", agency=body))
    page = client.get(INDEX).content.decode()
    assert [label for _v, selected, label in place_options(page) if selected] == ["Tiền Giang"]
    assert any("Gò Công Tây" in label for _v, _s, label in issuer_options(page))
    assert not any("(Toàn quốc)" in label for _v, _s, label in issuer_options(page))


@pytest.mark.parametrize("place", ["abc", "99999999999999999999", "-1", "0", "٣", "999999"])
def test_a_wrong_place_shows_the_first_one(client, leader, place):
    client.force_login(leader)
    response = client.get(INDEX, {"place": place, "issuer": place})
    assert response.status_code == 200
    page = response.content.decode()
    assert [label for _v, selected, label in place_options(page) if selected] == ["Toàn quốc"]
    assert issuer_options(page)


def test_the_place_button_comes_back_here_with_the_choice_kept(client, leader, dak_nong):
    """Without JavaScript: the place's button sends the form to this page (its
    ``formaction``), the form keeps the search and the page, and the page the plans
    ticked, the year, the format."""
    client.force_login(leader)
    page = client.get(INDEX, {"q": "dak nong"}).content.decode()
    form = re.search(r'<form[^>]*id="consolidated-form".*?</form>', page, re.S).group(0)
    assert f'formaction="{INDEX}"' in form and "formnovalidate" in form
    assert '<input type="hidden" name="q" value="dak nong">' in form
    place = next(pk for pk, _s, label in place_options(page) if label == "Đắk Nông")
    back = client.get(
        INDEX,
        {"q": "dak nong", "year": 2024, "place": place, "format": "docx", "plan": dak_nong.slug},
    ).content.decode()
    assert 'value="dak-nong" form="consolidated-form" checked' in back
    assert '<option value="2024" selected>' in back and '<option value="docx" selected>' in back
    assert any("Ủy ban nhân dân tỉnh" in label for _v, _s, label in issuer_options(back))


def test_the_search_reads_the_number_title_and_place_as_one_text(client, leader):
    place = f.LocalityFactory(name="Tỉnh Thử Tìm")
    plan = f.PlanFactory(number="81/KH-UBND", title="Kế hoạch hợp tác", locality=place)
    other = f.PlanFactory(number="82/KH-UBND", title="Chương trình khác")
    client.force_login(leader)

    def found(q):
        rows = client.get(INDEX, {"q": q}).context["rows"]
        return {row["plan"] for row in rows}

    for q in (
        "81/kh-ubnd",
        "KẾ HOẠCH HỢP TÁC",
        "tinh thu tim",
        "ubnd ke hoach",
        "hop tac tinh thu",
    ):
        assert plan in found(q), q
        assert other not in found(q), q
    assert found("khong co ke hoach nao") == set()


def test_plan_staff_see_only_the_plans_they_follow(client, plan_staff, dak_nong):
    f.PlanFactory()
    client.force_login(plan_staff)
    response = client.get(INDEX)
    assert response.context["page_obj"].paginator.count == 1
    assert [row["plan"] for row in response.context["rows"]] == [dak_nong]
    assert response.context["issuer_options"] == ""  # no consolidated report for staff


def test_the_query_count_does_not_grow_with_plans_and_issuers(client, leader):
    client.force_login(leader)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INDEX).status_code == 200
        return len(captured)

    before = queries()
    for n in range(30):
        place = f.LocalityFactory(name=f"Tỉnh Đếm {n:02d}")
        f.PlanFactory(locality=place)
        f.AgencyFactory(locality=place)
    assert queries() == before


# The rows as the template wrote them before they were written in Python.
TEMPLATE_ROWS = """{% load i18n permissions %}{% for row in rows %}{% for y, report in row.years %}<tr>
    {% if forloop.first %}<th scope="rowgroup" rowspan="{{ row.years|length }}">{{ row.plan.number }}<br><span class="muted">{{ row.plan.locality.name }}</span>{% if can_consolidate %}<br><label class="muted"><input type="checkbox" name="plan" value="{{ row.plan.slug }}" form="consolidated-form"{% if row.plan.slug in chosen.plans %} checked{% endif %}> {% translate "in the consolidated report" %}</label>{% endif %}</th>{% endif %}
    <td>{{ y }}</td>
    <td>{% if report and report.is_final %}<span class="status status-achieved">{% translate "Finalised" %}</span> {{ report.finalised_at|date:"d/m/Y" }}{% else %}<span class="status status-no_data">{% translate "Draft" %}</span>{% endif %}</td>
    <td><a href="{% url 'reports:report_preview' row.plan.slug y %}">{% translate "Preview" %}</a> · <a href="{% url 'reports:report_download' row.plan.slug y 'pdf' %}">PDF</a>{% if y in row.building %} <span class="muted">({% translate "being built" %})</span>{% endif %} · <a href="{% url 'reports:report_download' row.plan.slug y 'docx' %}">Word</a> · <a href="{% url 'reports:report_download' row.plan.slug y 'xlsx' %}">Excel</a>{% may "can_edit_plan" row.plan as can_edit %}{% if can_edit %} · <a href="{% url 'reports:report_edit' row.plan.slug y %}">{% translate "Write / finalise" %}</a>{% endif %}</td>
  </tr>{% endfor %}{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("role", ["leadership", "plan_staff", "admin"])
def test_the_rows_are_written_as_the_template_wrote_them(role, dak_nong):
    hostile = f.PlanFactory(
        number='<b>"9"</b>/KH', locality=f.LocalityFactory(name="Tỉnh <i>Thử</i> & co")
    )
    # Finalised late on 14/12 UTC: 15/12 in Viet Nam, as the template's date filter shows it.
    at = datetime.datetime(2025, 12, 14, 20, 0, tzinfo=datetime.UTC)
    f.AnnualReportFactory(plan=hostile, year=2025, final=True, finalised_at=at)
    f.AnnualReportFactory(plan=hostile, year=2024)
    user = make_user(f"rows-{role}", role, plans=[hostile])
    plans = [dak_nong, hostile]
    rows, _years = report_index_rows(plans, today=timezone.localdate())
    rows[1]["building"] = {2024}
    chosen = [hostile.slug]
    request = RequestFactory().get("/bao-cao/")
    request.user = user
    consolidates = role != "plan_staff"
    with translation.override("vi"):
        expected = Template(TEMPLATE_ROWS).render(
            Context(
                {
                    "rows": rows,
                    "can_consolidate": consolidates,
                    "chosen": {"plans": chosen},
                    "request": request,
                }
            )
        )
        urls = _report_urls()
        for row in rows:
            row["years"] = [(y, r, urls(row["plan"].slug, y)) for y, r in row["years"]]
        written = _rows_html(rows, user=user, consolidates=consolidates, chosen_plans=chosen)
    assert "15/12/2025" in written and "&lt;b&gt;&quot;9&quot;&lt;/b&gt;" in written
    assert written == expected


def test_a_choice_without_a_report_comes_back_to_the_list_as_it_was(client, leader):
    """The form says why there is no report and the list keeps its search, its page and
    the place chosen (the plans ticked are on that page)."""
    from urllib.parse import parse_qs, urlsplit

    from plans.models import Agency

    city = Agency.objects.get(name="Ủy ban nhân dân thành phố Yên Bái")
    client.force_login(leader)
    response = client.get(
        "/bao-cao/tong-hop/",
        {
            "year": 2025,
            "issuer": city.pk,
            "format": "pdf",
            "plan": "kon-tum",
            "q": "kon tum",
            "page": "2",
            "place": str(city.locality.parent_id),
        },
    )
    assert response.status_code == 302
    back = parse_qs(urlsplit(response["Location"]).query)
    assert back["q"] == ["kon tum"] and back["page"] == ["2"]
    assert back["place"] == [str(city.locality.parent_id)] and back["plan"] == ["kon-tum"]
