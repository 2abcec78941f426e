"""The builders make valid objects by default, without the seeded plans."""

import pytest
from django.apps import apps

from accounts.choices import Role
from plans.years import year_is_final
from tasks.models import TaskAssignment
from tests import factories as f

pytestmark = pytest.mark.django_db

FACTORIES = [
    f.LocalityFactory,
    f.AgencyFactory,
    f.DocumentFactory,
    f.PlanFactory,
    f.PlanYearFactory,
    f.UserFactory,
    f.IndicatorFactory,
    f.TargetFactory,
    f.FigureSheetFactory,
    f.FigureFactory,
    f.FigureConflictFactory,
    f.IndicatorDefinitionFactory,
    f.TaskSectionFactory,
    f.TaskFactory,
    f.TaskAssignmentFactory,
    f.TaskReportFactory,
    f.TaskEvidenceFactory,
    f.TaskReportEventFactory,
    f.AnnualReportFactory,
    f.BuiltReportFileFactory,
    f.CompletenessSummaryFactory,
    f.ProgressSummaryFactory,
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_every_model_of_the_portal_has_a_builder():
    built = {factory._meta.model for factory in FACTORIES}
    models = {
        model
        for label in ("accounts", "plans", "targets", "tasks", "reports")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert models - built == set()


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_builders_make_valid_objects(factory):
    """Twice, so sequences keep unique fields unique; each passes the model's validation."""
    for _ in range(2):
        factory().full_clean()


@pytest.mark.parametrize(
    ("factory", "traits"),
    [
        (f.TargetFactory, {"yearly": True}),
        (f.TargetFactory, {"range": True}),
        (f.TargetFactory, {"qualitative": True}),
        (f.IndicatorFactory, {"share": True}),
        (f.TaskReportFactory, {"submitted": True}),
        (f.TaskReportFactory, {"accepted": True}),
        (f.TaskReportFactory, {"returned": True}),
        (f.AnnualReportFactory, {"final": True}),
        (f.PlanYearFactory, {"final": True}),
    ],
    ids=lambda v: getattr(v, "__name__", None) or next(iter(v)),
)
def test_traits_make_valid_objects(factory, traits):
    factory(**traits).full_clean()


def test_role_helpers():
    plan = f.PlanFactory()
    assert f.agency_user().role == Role.AGENCY
    staff = f.plan_staff(plan)
    assert staff.role == Role.PLAN_STAFF and list(staff.plans.all()) == [plan]
    assert staff.agency == plan.issuing_body
    assert f.leader().role == Role.LEADERSHIP
    boss = f.admin()
    assert boss.is_superuser and boss.role == Role.ADMIN
    assert boss.check_password(f.TEST_PASSWORD)


def test_a_task_stays_in_its_sections_plan():
    section = f.TaskSectionFactory()
    assert f.TaskFactory(section=section).plan == section.plan
    plan = f.PlanFactory()
    assert f.TaskFactory(plan=plan).section.plan == plan


def test_a_task_report_assigns_its_agency_and_a_final_report_closes_its_year():
    report = f.TaskReportFactory(role="partner")
    assert TaskAssignment.objects.get(task=report.task, agency=report.agency).role == "partner"
    annual = f.AnnualReportFactory(final=True)
    assert year_is_final(plan=annual.plan, year=annual.year)
