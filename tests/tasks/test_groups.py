"""Groups of bodies as leads ("Các Sở, Ban, ngành", "UBND các huyện, thành phố"): each
member owes its own report, and completeness counts the members."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.choices import AgencyKind, LocalityLevel
from tasks.selectors import plan_completeness
from tests import factories as f
from tests.tasks.test_views import post_report, report_url

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def group_world(db):
    """A province with two departments, a mass organisation and the group "Các Sở, Ban,
    ngành", which leads one task of the province's plan."""
    province = f.LocalityFactory(name="Đắk Thử")
    plan = f.PlanFactory(locality=province, start_year=YEAR - 1)
    trade = f.AgencyFactory(locality=province, name="Sở Công Thương")
    home = f.AgencyFactory(locality=province, name="Sở Nội vụ")
    farmers = f.AgencyFactory(
        locality=province, name="Hội Nông dân tỉnh", kind=AgencyKind.MASS_ORGANISATION
    )
    group = f.AgencyFactory(locality=province, name="Các Sở, Ban, ngành", kind=AgencyKind.GROUP)
    task = f.TaskFactory(plan=plan, leads=[group])
    staff = f.plan_staff(plan)
    return {
        "province": province,
        "plan": plan,
        "trade": trade,
        "home": home,
        "farmers": farmers,
        "group": group,
        "task": task,
        "staff": staff,
    }


def submit(client, agency, task, year=YEAR):
    client.force_login(f.agency_user(agency))
    return post_report(
        client,
        report_url(task, year),
        {"progress": "in_progress", "done": "Đã triển khai.", "submit": "1"},
    )


def test_completeness_reaches_100_when_every_member_of_a_lead_group_reports(client, group_world):
    """A task led by a group: once each member department has submitted its report, the
    plan's reporting is complete (it used to stay at 0 %: nobody could report for the
    group)."""
    w = group_world
    for agency in (w["trade"], w["home"]):
        response = submit(client, agency, w["task"])
        assert response.status_code == 302, response.content[:500]
    completeness = plan_completeness(plan=w["plan"], year=YEAR, today=timezone.localdate())
    assert completeness.rate == 100
    (row,) = completeness.agencies
    assert row.agency == w["group"]
    assert (row.members_reported, row.members_total) == (2, 2)


def test_the_group_shows_x_of_y_members_and_who_is_missing(client, group_world):
    """Completeness shows the group as "1 of 2 members reported" and names the missing
    one; the rate counts each member's report."""
    w = group_world
    submit(client, w["trade"], w["task"])
    completeness = plan_completeness(plan=w["plan"], year=YEAR, today=timezone.localdate())
    (row,) = completeness.agencies
    assert (row.expected, row.submitted, row.state) == (2, 1, "missing")
    assert (row.members_reported, row.members_total) == (1, 2)
    assert row.members_missing == [w["home"]]
    assert completeness.rate == 50
    client.force_login(w["staff"])
    page = client.get(reverse("tasks:completeness", args=[w["plan"].slug, YEAR]))
    html = page.content.decode()
    assert "1/2" in html and "Sở Nội vụ" in html


def test_members_see_the_task_in_my_tasks_and_others_do_not(client, group_world):
    """A member department's users find the group's task in "Nhiệm vụ của tôi", as lead; a
    mass organisation (not a department) does not, and cannot report on it."""
    w = group_world
    client.force_login(f.agency_user(w["trade"]))
    rows = client.get(reverse("tasks:my_tasks")).context["table"].page.object_list
    assert [(r.record.pk, r.record.is_lead) for r in rows] == [(w["task"].pk, True)]
    client.force_login(f.agency_user(w["farmers"]))
    assert not client.get(reverse("tasks:my_tasks")).context["table"].page.object_list
    assert client.get(report_url(w["task"])).status_code == 403


def test_a_member_directly_assigned_reports_in_its_own_right(client, group_world):
    """A department named on the task itself (here as cooperating) keeps its own role and
    is not counted again among the group's members for that task."""
    w = group_world
    f.TaskAssignmentFactory(task=w["task"], agency=w["home"], role="partner")
    completeness = plan_completeness(plan=w["plan"], year=YEAR, today=timezone.localdate())
    (row,) = completeness.agencies
    assert row.members_total == 1 and row.expected == 1
    submit(client, w["home"], w["task"])
    report = w["task"].reports.get(agency=w["home"])
    assert report.role == "partner"


def test_explicit_members_replace_the_rule(group_world):
    """An administrator's list of members (``Agency.members``) is the group's membership:
    "Các Sở, ngành có liên quan" cannot be told from its name."""
    w = group_world
    w["group"].members.set([w["farmers"]])
    completeness = plan_completeness(plan=w["plan"], year=YEAR, today=timezone.localdate())
    (row,) = completeness.agencies
    assert row.members_missing == [w["farmers"]]


def test_a_group_without_members_in_the_portal_stays_missing_and_says_why(client, group_world):
    """ "UBND các huyện, thành phố" of a province whose districts are not in the portal:
    one report missing, and the page says the portal has no members."""
    w = group_world
    districts = f.AgencyFactory(
        locality=w["province"], name="UBND các huyện, thành phố", kind=AgencyKind.GROUP
    )
    f.TaskFactory(plan=w["plan"], leads=[districts])
    completeness = plan_completeness(plan=w["plan"], year=YEAR, today=timezone.localdate())
    row = next(r for r in completeness.agencies if r.agency == districts)
    assert (row.expected, row.submitted, row.members_total) == (1, 0, 0)
    client.force_login(w["staff"])
    html = client.get(reverse("tasks:completeness", args=[w["plan"].slug, YEAR])).content
    assert "Chưa có thành viên nào" in html.decode()


def test_district_committees_become_communes_after_the_districts_were_abolished(group_world):
    """ "UBND các huyện, thành phố": the districts' People's Committees until 30/6/2025,
    then the communes' where the portal has them, and the membership says so."""
    from plans.groups import groups_members

    w = group_world
    province = w["province"]
    district = f.LocalityFactory(
        name="Thử Đông",
        level=LocalityLevel.DISTRICT,
        parent=province,
        dissolved_on=datetime.date(2025, 7, 1),
    )
    commune = f.LocalityFactory(name="Tân Thử", level=LocalityLevel.COMMUNE, parent=province)
    district_ubnd = f.AgencyFactory(
        locality=district, name="UBND huyện Thử Đông", kind=AgencyKind.PEOPLES_COMMITTEE
    )
    commune_ubnd = f.AgencyFactory(
        locality=commune, name="UBND xã Tân Thử", kind=AgencyKind.PEOPLES_COMMITTEE
    )
    group = f.AgencyFactory(
        locality=province, name="UBND các huyện, thành phố", kind=AgencyKind.GROUP
    )
    before = groups_members([group], on=datetime.date(2024, 12, 15))[group.pk]
    after = groups_members([group], on=datetime.date(2025, 12, 15))[group.pk]
    assert before.members == [district_ubnd] and not before.communes
    assert after.members == [commune_ubnd] and after.communes
    assert any("01/07/2025" in note for note in after.notes)
    commune_ubnd.delete()  # a province whose communes are not in the portal: said too
    alone = groups_members([group], on=datetime.date(2025, 12, 15))[group.pk]
    assert alone.members == [] and alone.communes and len(alone.notes) == 2


def test_a_merged_department_is_followed_by_its_successor(group_world):
    """A member department taken over by another body reports through its successor from
    the day of the takeover, and the membership names whom it replaces."""
    from plans.groups import groups_members

    w = group_world
    finance = f.AgencyFactory(locality=w["province"], name="Sở Tài chính")
    planning = f.AgencyFactory(
        locality=w["province"],
        name="Sở Kế hoạch và Đầu tư",
        successor=finance,
        successor_from=datetime.date(2025, 3, 1),
    )
    before = groups_members([w["group"]], on=datetime.date(2024, 12, 15))[w["group"].pk]
    after = groups_members([w["group"]], on=datetime.date(2025, 12, 15))[w["group"].pk]
    assert planning in before.members and finance in before.members
    assert planning not in after.members and finance in after.members
    assert after.replaced[finance.pk] == [planning]


def test_completeness_of_a_plan_with_groups_stays_flat(group_world, django_assert_max_num_queries):
    """Completeness reads the groups' members in a constant number of queries, however
    many tasks the groups lead."""
    w = group_world
    for _ in range(15):
        f.TaskFactory(plan=w["plan"], leads=[w["group"]])
    with django_assert_max_num_queries(9):
        completeness = plan_completeness(plan=w["plan"], year=YEAR, today=timezone.localdate())
    assert completeness.agencies[0].expected == 32


def test_the_members_of_a_lead_group_are_reminded_not_the_group(group_world):
    """Reminders before the due date go to each member with its report still missing; the
    group itself, which has no users, gets none."""
    from notices.selectors import reminders_due

    w = group_world
    due = w["plan"].report_due_date(YEAR)
    reminders = reminders_due(today=due - datetime.timedelta(days=3), days=[7])
    mine = {r.agency for r in reminders if r.plan == w["plan"]}
    assert mine == {w["trade"], w["home"]}


def test_the_task_page_lists_the_group_members(client, group_world):
    """The task page names the members of the group that leads it, and a member's user is
    offered to write its report."""
    w = group_world
    client.force_login(f.agency_user(w["trade"]))
    html = client.get(w["task"].get_absolute_url()).content.decode()
    assert "Thành viên các nhóm cơ quan" in html
    assert "Sở Nội vụ" in html and "Hội Nông dân tỉnh" not in html
    assert reverse("tasks:report_edit", args=[w["task"].pk, YEAR]) in html


def test_the_annual_report_shows_the_group_as_x_of_y_members(client, group_world):
    """The plan's report (completeness appendix and the report page) shows the group as
    "1/2 thành viên đã báo cáo" and names the member still missing."""
    from reports.assembly import assemble_plan_report

    w = group_world
    submit(client, w["trade"], w["task"])
    content = assemble_plan_report(plan=w["plan"], year=YEAR)
    (row,) = content.completeness
    assert row.agency == ("Các Sở, Ban, ngành (1/2 thành viên đã báo cáo, chưa báo cáo: Sở Nội vụ)")
    (state,) = content.agency_reports
    assert (state.members_reported, state.members_total) == (1, 2)
    task_row = content.task_sections[0].rows[0]
    assert task_row.result.startswith("Sở Công Thương: ")


def test_a_group_whose_members_are_all_named_on_the_task_owes_nothing_and_says_so(
    client, group_world
):
    """Every member of the group is named on the task itself and reports there in its own
    role: the group owes no report. Its row said "Đã gửi" (sent) and "no member yet"; it
    says nothing is owed and where its members report."""
    w = group_world
    for agency in (w["trade"], w["home"]):
        f.TaskAssignmentFactory(task=w["task"], agency=agency, role="partner")
    completeness = plan_completeness(plan=w["plan"], year=YEAR, today=timezone.localdate())
    row = next(r for r in completeness.agencies if r.agency == w["group"])
    assert (row.expected, row.submitted, row.members_total) == (0, 0, 0)
    client.force_login(w["staff"])
    page = client.get(reverse("tasks:completeness", args=[w["plan"].slug, YEAR]))
    html = page.content.decode()
    cells = html.split("Các Sở, Ban, ngành", 1)[1].split("</tr>", 1)[0]
    assert "Không phải gửi" in cells
    assert "Đã gửi" not in cells and "Chưa có thành viên" not in cells
    assert "Các thành viên báo cáo trực tiếp trên nhiệm vụ" in cells
