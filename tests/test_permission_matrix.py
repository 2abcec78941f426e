"""Who gets what: every URL name of the portal × every role × GET and POST.

The URL names come from the URL conf (Django's admin aside, of which the index is
checked), and :data:`EXPECTED` holds one row per URL name: a new URL without its row
fails ``test_every_url_name_has_a_row`` and each of its cells. A cell is what the portal
answers today to a request with no query and an empty form:

- ``200`` the page (for a POST: the form again with its errors, i.e. allowed),
- ``LOGIN`` a redirect to the sign-in page, ``302`` any other redirect,
- ``400`` refused as malformed (a POST without the form's hidden fields or choice),
- ``403`` forbidden, ``404`` not found, ``405`` the method is not served.

The objects come from the builders (:mod:`tests.factories`), made once for the module:
a plan with a task led by the *agency*, whose submitted report for :data:`YEAR` carries an
evidence file, a target, and another plan whose staff is *other_staff*.
"""

import datetime
import functools

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f

YEAR = f.YEAR
LOGIN = "login"
ROLES = ("anon", "agency", "other_agency", "other_staff", "staff", "leader", "admin")

# fmt: off
EXPECTED = {
    # Columns in the order of ROLES: signed out, the task's agency, another agency (oth.ag),
    # staff of another plan (oth.st), the plan's staff, leadership, an administrator.
    #                                      anon   agency oth.ag oth.st staff  leader admin
    "home":                      {"GET":  (200,   200,   200,   200,   200,   200,   200),
                                  "POST": (405,   405,   405,   405,   405,   405,   405)},
    "landing":                   {"GET":  (302,   302,   302,   302,   302,   302,   302),
                                  "POST": (302,   302,   302,   302,   302,   302,   302)},
    "search":                    {"GET":  (200,   200,   200,   200,   200,   200,   200),
                                  "POST": (405,   405,   405,   405,   405,   405,   405)},
    # The icon browsers ask for: a redirect to the static file, for everyone.
    "favicon":                   {"GET":  (302,   302,   302,   302,   302,   302,   302),
                                  "POST": (405,   405,   405,   405,   405,   405,   405)},
    "plan_detail":               {"GET":  (200,   200,   200,   200,   200,   200,   200),
                                  "POST": (405,   405,   405,   405,   405,   405,   405)},
    # Entering a plan: plan staff (any) and administrators; correcting it: its staff.
    "plan_create":               {"GET":  (LOGIN, 403,   403,   200,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   200,   200,   403,   200)},
    "plan_edit":                 {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "login":                     {"GET":  (200,   200,   200,   200,   200,   200,   200),
                                  "POST": (200,   200,   200,   200,   200,   200,   200)},
    "logout":                    {"GET":  (405,   405,   405,   405,   405,   405,   405),
                                  "POST": (302,   302,   302,   302,   302,   302,   302)},
    "password_change":           {"GET":  (LOGIN, 200,   200,   200,   200,   200,   200),
                                  "POST": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "password_change_done":      {"GET":  (LOGIN, 200,   200,   200,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "targets:figure_current":    {"GET":  (LOGIN, 302,   302,   302,   302,   302,   302),
                                  "POST": (LOGIN, 302,   302,   302,   302,   302,   302)},
    "targets:plan_figures":      {"GET":  (LOGIN, 302,   302,   302,   302,   302,   302),
                                  "POST": (LOGIN, 302,   302,   302,   302,   302,   302)},
    # A place's figures (the plan's locality; ``_part``: a former locality's part of
    # them): everyone reads, the staff of the plans reading them write.
    "targets:figure_entry":      {"GET":  (LOGIN, 200,   200,   200,   200,   200,   200),
                                  "POST": (LOGIN, 403,   403,   403,   400,   403,   400)},
    "targets:figure_entry_part": {"GET":  (LOGIN, 200,   200,   200,   200,   200,   200),
                                  "POST": (LOGIN, 403,   403,   403,   400,   403,   400)},
    "targets:figure_template":   {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "targets:figure_template_part": {"GET": (LOGIN, 403,  403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "targets:figure_upload":     {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "targets:figure_upload_part": {"GET": (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "targets:target_add":        {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "targets:target_edit":       {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "tasks:task_list":           {"GET":  (LOGIN, 200,   200,   200,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "tasks:my_tasks":            {"GET":  (LOGIN, 200,   200,   403,   403,   403,   403),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    # The queue of reports waiting for review: plan staff (their plans'), administrators.
    "tasks:review_queue":        {"GET":  (LOGIN, 403,   403,   200,   200,   403,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "tasks:task_detail":         {"GET":  (LOGIN, 200,   200,   200,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "tasks:report_edit":         {"GET":  (LOGIN, 200,   403,   403,   403,   403,   403),
                                  "POST": (LOGIN, 302,   403,   403,   403,   403,   403)},
    "tasks:report_review":       {"GET":  (LOGIN, 405,   405,   405,   405,   405,   405),
                                  "POST": (LOGIN, 403,   403,   403,   400,   403,   400)},
    "tasks:evidence_download":   {"GET":  (LOGIN, 200,   403,   403,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "tasks:completeness":        {"GET":  (LOGIN, 403,   403,   403,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "tasks:task_manage":         {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   400,   403,   400)},
    "tasks:task_add":            {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "tasks:task_edit":           {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "tasks:task_import":         {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "tasks:section_add":         {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "tasks:section_edit":        {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   200,   403,   200)},
    "reports:report_index":      {"GET":  (LOGIN, 403,   403,   200,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    # Without a year and an issuing body: 400 for those allowed.
    "reports:consolidated_form": {"GET":  (LOGIN, 403,   403,   403,   403,   400,   400),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "reports:consolidated":      {"GET":  (LOGIN, 403,   403,   403,   403,   400,   400),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "reports:report_edit":       {"GET":  (LOGIN, 403,   403,   403,   200,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   302,   403,   302)},
    "reports:report_preview":    {"GET":  (LOGIN, 403,   403,   403,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "reports:report_reopen":     {"GET":  (LOGIN, 403,   403,   403,   403,   403,   200),
                                  "POST": (LOGIN, 403,   403,   403,   403,   403,   200)},
    "reports:report_download":   {"GET":  (LOGIN, 403,   403,   403,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    "reports:agency_report":     {"GET":  (LOGIN, 200,   403,   403,   200,   200,   200),
                                  "POST": (LOGIN, 405,   405,   405,   405,   405,   405)},
    # Django's admin: its index only (302: to the admin's own sign-in page).
    "admin:index":               {"GET":  (302,   302,   302,   302,   302,   302,   200),
                                  "POST": (302,   302,   302,   302,   302,   302,   200)},
}
# fmt: on

# The object a URL's ``pk`` names (an attribute of the module's world); every other URL
# argument has one value for all URLs (below, ``URL_ARGUMENTS``).
PK_OBJECT = {
    "targets:target_edit": "target",
    "tasks:task_detail": "task",
    "tasks:report_edit": "task",
    "tasks:task_edit": "task",
    "tasks:section_edit": "section",
    "tasks:report_review": "report",
    "tasks:evidence_download": "evidence",
}


@functools.cache
def url_patterns() -> dict[str, list[str]]:
    """Every named URL of the portal (Django's admin aside) with its arguments' names."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = ":".join(p for p in (namespace, pattern.namespace or "") if p)
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, list(pattern.pattern.converters)

    return dict(walk(get_resolver().url_patterns))


URL_NAMES = sorted(url_patterns()) + ["admin:index"]


class World:
    """The module's objects, made once by the builders."""

    def __init__(self):
        self.plan = f.PlanFactory()
        other_plan = f.PlanFactory()
        self.agency = f.AgencyFactory(locality=self.plan.locality)
        other_agency = f.AgencyFactory(locality=self.plan.locality)
        self.task = f.TaskFactory(plan=self.plan, leads=[self.agency])
        self.section = self.task.section
        self.report = f.TaskReportFactory(task=self.task, agency=self.agency, submitted=True)
        self.evidence = f.TaskEvidenceFactory(report=self.report)
        self.target = f.TargetFactory(plan=self.plan)
        # A former locality merged into the plan's: its part of the figures has pages too.
        self.former = f.LocalityFactory(
            successor=self.plan.locality, successor_from=datetime.date(YEAR - 1, 7, 1)
        )
        self.users = {
            "anon": None,
            "agency": f.agency_user(self.agency),
            "other_agency": f.agency_user(other_agency),
            "other_staff": f.plan_staff(other_plan),
            "staff": f.plan_staff(self.plan),
            "leader": f.leader(),
            "admin": f.admin(),
        }

    def url(self, name: str) -> str:
        if name == "admin:index":
            return reverse(name)
        url_arguments = {
            "slug": self.plan.slug,
            "year": YEAR,
            "format": "docx" if name == "reports:agency_report" else "xlsx",
            "agency": self.agency.pk,
            "locality": self.plan.locality.code,
            "area": self.former.code,
        }
        kwargs = {}
        for argument in url_patterns()[name]:
            if argument == "pk":
                kwargs["pk"] = getattr(self, PK_OBJECT[name]).pk
            else:
                kwargs[argument] = url_arguments[argument]
        return reverse(name, kwargs=kwargs)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Made once in a transaction rolled back after the module (each test runs in a
    savepoint inside it), with evidence files in a temporary media folder."""
    with (
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def outcome(response):
    login = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response["Location"].split("?")[0] == login:
        return LOGIN
    return response.status_code


def test_every_url_name_has_a_row():
    """A new URL cannot be added without its row (nor a row kept for a URL gone)."""
    assert set(EXPECTED) == set(URL_NAMES)
    for name, row in EXPECTED.items():
        assert set(row) == {"GET", "POST"}, name
        assert all(len(cells) == len(ROLES) for cells in row.values()), name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_permission(world, db, name, method, role):
    assert name in EXPECTED, f"{name} has no row in EXPECTED"
    expected = EXPECTED[name][method][ROLES.index(role)]
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    response = getattr(client, method.lower())(world.url(name))
    assert outcome(response) == expected, f"{method} {name} as {role}"
