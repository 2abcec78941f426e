"""The permission rules (accounts.permissions), one table per rule: every role, and the
objects that make a difference (their plan, their task, their evidence)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from accounts import permissions as p
from plans.choices import AgencyKind
from tests import factories as f

ROLES = [
    "signed_out",
    "inactive",
    "agency",
    "other_agency",
    "other_staff",
    "staff",
    "leader",
    "admin",
    "superuser",
]


@pytest.fixture
def world(db):
    plan, other_plan = f.PlanFactory(), f.PlanFactory()
    agency, other_agency = f.AgencyFactory(), f.AgencyFactory()
    task = f.TaskFactory(plan=plan, leads=[agency])
    # "Các Sở, Ban, ngành" of the agency's province: the agency (a department) is a member.
    group = f.AgencyFactory(
        locality=agency.locality, name="Các Sở, Ban, ngành", kind=AgencyKind.GROUP
    )
    group_task = f.TaskFactory(plan=plan, leads=[group])
    report = f.TaskReportFactory(task=task, agency=agency)
    evidence = f.TaskEvidenceFactory(report=report)
    users = {
        "signed_out": AnonymousUser(),
        "inactive": f.plan_staff(plan, is_active=False),
        "agency": f.agency_user(agency),
        "other_agency": f.agency_user(other_agency),
        "other_staff": f.plan_staff(other_plan),
        "staff": f.plan_staff(plan),
        "leader": f.leader(),
        "admin": f.UserFactory(admin=True, is_superuser=False),
        "superuser": f.admin(),
    }
    return {
        "plan": plan,
        "locality": plan.locality,
        "task": task,
        "group_task": group_task,
        "evidence": evidence,
        "agency_report": (plan, agency),
        "users": users,
    }


def allowed(world, rule, obj=None) -> set[str]:
    target = world[obj] if obj else None
    return {role for role, user in world["users"].items() if rule(user, target)}


EVERYONE_SIGNED_IN = {
    "agency",
    "other_agency",
    "other_staff",
    "staff",
    "leader",
    "admin",
    "superuser",
}

EXPECTED = [
    # rule, object it is asked about, the roles it allows
    (p.is_signed_in, None, EVERYONE_SIGNED_IN),
    (p.is_admin, None, {"admin", "superuser"}),
    (p.is_leadership, None, {"leader"}),
    (p.is_plan_staff, None, {"other_staff", "staff"}),
    (p.can_edit_plan, "plan", {"staff", "admin", "superuser"}),
    (p.can_enter_figures, "locality", {"staff", "admin", "superuser"}),
    (p.has_review_queue, None, {"other_staff", "staff", "admin", "superuser"}),
    (p.can_create_plan, None, {"other_staff", "staff", "admin", "superuser"}),
    (p.can_see_plan_reports, "plan", {"staff", "leader", "admin", "superuser"}),
    (p.can_open_reports, None, {"other_staff", "staff", "leader", "admin", "superuser"}),
    (p.can_consolidate, None, {"leader", "admin", "superuser"}),
    (p.can_reopen_year, "plan", {"admin", "superuser"}),
    (p.has_own_tasks, None, {"agency", "other_agency"}),
    (p.can_report_on_task, "task", {"agency"}),
    (p.can_report_on_task, "group_task", {"agency"}),  # as a member of the lead group
    (p.can_see_agency_report, "agency_report", {"agency", "staff", "leader", "admin", "superuser"}),
    (p.can_open_evidence, "evidence", {"agency", "staff", "leader", "admin", "superuser"}),
]


@pytest.mark.parametrize(
    ("rule", "obj", "roles"), EXPECTED, ids=[f"{r.__name__}-{o}" for r, o, _ in EXPECTED]
)
def test_each_rule_allows_exactly_its_roles(world, rule, obj, roles):
    assert allowed(world, rule, obj) == roles


def test_every_registered_rule_has_a_row_above():
    assert {rule.__name__ for rule, *_ in EXPECTED} == set(p.RULES)


def test_the_sql_form_of_plan_reports_agrees_with_the_rule(world):
    from plans.models import Plan

    f.PlanFactory()  # a plan nobody follows
    for role, user in world["users"].items():
        in_sql = set(Plan.objects.filter(p.plans_with_reports_filter(user)))
        in_python = {plan for plan in Plan.objects.all() if p.can_see_plan_reports(user, plan)}
        assert in_sql == in_python, role


def test_the_sql_form_of_plan_editing_agrees_with_the_rule(world):
    from plans.models import Plan

    f.PlanFactory()  # a plan nobody follows
    for role, user in world["users"].items():
        in_sql = set(Plan.objects.filter(p.plans_editable_filter(user)))
        in_python = {plan for plan in Plan.objects.all() if p.can_edit_plan(user, plan)}
        assert in_sql == in_python, role


def test_an_agency_user_without_an_agency_reports_for_nobody(db):
    user = f.UserFactory(agency=None)
    assert p.reporting_agency(user) is None
    assert not p.has_own_tasks(user)
    assert p.landing_page(user) == "home"
    assert p.landing_page(f.agency_user()) == "tasks:my_tasks"


def test_templates_ask_the_same_rules(world):
    template = Template('{% load permissions %}{% may "can_edit_plan" plan as ok %}{{ ok }}')
    for role, user in world["users"].items():
        request = RequestFactory().get("/")
        request.user = user
        shown = template.render(Context({"request": request, "plan": world["plan"]}))
        assert shown == str(p.can_edit_plan(user, world["plan"])), role
