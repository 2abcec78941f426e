"""Builders for every model of the portal's apps (factory-boy).

Each factory makes a small, valid object by default and needs none of the seeded plans:
``TaskReportFactory()`` makes a locality, an agency, a plan, a section, a task, the
agency's assignment on it and the report. Pass what matters to the test and nothing else::

    plan = PlanFactory()
    staff = UserFactory(plan_staff=True, plans=[plan])
    task = TaskFactory(plan=plan, leads=[agency])
    report = TaskReportFactory(task=task, agency=agency, submitted=True)

Users: ``UserFactory`` makes an agency user; the traits ``plan_staff``, ``leadership`` and
``admin`` give the other roles (``plans=[…]`` sets the plans a staff member manages). Every
user's password is :data:`tests.conftest.TEST_PASSWORD`.

Years: plans start in :data:`START_YEAR`; yearly objects default to :data:`YEAR`, a year
every view accepts (figures, task reports and annual reports are kept from the plan's
start to the current year).
"""

import datetime
import functools
import hashlib

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.choices import Role
from accounts.models import User
from plans.choices import AgencyKind, LocalityLevel, PlanKind, ReportFrequency
from plans.models import Agency, Document, Locality, Plan, PlanYear
from plans.places import plan_place
from reports.choices import BuildStatus, BuildStep, BuiltFileKind, ReportStatus
from reports.models import AnnualReport, BuiltReportFile
from targets.choices import Comparator, FigureStatus, Unit
from targets.models import (
    Figure,
    FigureConflict,
    FigureSheet,
    Indicator,
    IndicatorDefinition,
    ProgressSummary,
    Target,
)
from tasks.choices import AssignmentRole, DeadlineKind, ReportProgress, ReportState
from tasks.models import (
    CompletenessSummary,
    Task,
    TaskAssignment,
    TaskEvidence,
    TaskReport,
    TaskReportEvent,
    TaskSection,
)
from tests.conftest import TEST_PASSWORD

START_YEAR = 2021
YEAR = 2024
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
XLSX_BYTES = b"PK\x03\x04 not a real workbook"


@functools.cache
def _password_hash() -> str:
    """Hash the test password once: PBKDF2 for every user would slow the suite down."""
    return make_password(TEST_PASSWORD)


def _roman(n: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    if n > 39:  # sections are numbered per plan; beyond XXXIX plain numbers do
        return str(n)
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


# ---------------------------------------------------------------- plans


class LocalityFactory(DjangoModelFactory):
    class Meta:
        model = Locality

    code = factory.Sequence(lambda n: f"tinh-{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    level = LocalityLevel.PROVINCE


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT
    locality = factory.SubFactory(LocalityFactory)

    class Params:
        peoples_committee = factory.Trait(
            kind=AgencyKind.PEOPLES_COMMITTEE,
            name=factory.Sequence(lambda n: f"Ủy ban nhân dân tỉnh Thử {n}"),
        )


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    number = factory.Sequence(lambda n: f"{n}-NQ/TW")
    issuer = "Ban Chấp hành Trung ương"
    issued_on = datetime.date(2022, 6, 16)
    title = "Nghị quyết về tiếp tục đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể"


class PlanFactory(DjangoModelFactory):
    """A province's plan issued by its People's Committee, reporting every 15 December."""

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"ke-hoach-{n}")
    kind = PlanKind.PLAN
    number = factory.Sequence(lambda n: f"{n}/KH-UBND")
    title = "Kế hoạch thực hiện Nghị quyết số 20-NQ/TW về kinh tế tập thể"
    locality = factory.SubFactory(LocalityFactory)
    issuing_body = factory.SubFactory(
        AgencyFactory, peoples_committee=True, locality=factory.SelfAttribute("..locality")
    )
    level = LocalityLevel.PROVINCE
    issued_on = datetime.date(START_YEAR, 3, 1)
    report_frequency = ReportFrequency.YEARLY
    report_due_day = 15
    report_due_month = 12
    start_year = START_YEAR

    @factory.post_generation
    def implements(self, create, documents, **kwargs):
        if create and documents:
            self.implements.set(documents)


class PlanYearFactory(DjangoModelFactory):
    class Meta:
        model = PlanYear
        django_get_or_create = ("plan", "year")

    plan = factory.SubFactory(PlanFactory)
    year = YEAR
    is_final = False

    class Params:
        final = factory.Trait(is_final=True, reason="Báo cáo đã hoàn thành")


# ---------------------------------------------------------------- accounts


class UserFactory(DjangoModelFactory):
    """An agency user by default; traits ``plan_staff``, ``leadership``, ``admin``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoi-dung-{n}")
    first_name = "Thử"
    last_name = factory.Sequence(lambda n: f"Nguyễn {n}")
    password = factory.LazyFunction(_password_hash)
    role = Role.AGENCY
    agency = factory.SubFactory(AgencyFactory)

    class Params:
        plan_staff = factory.Trait(role=Role.PLAN_STAFF)
        leadership = factory.Trait(role=Role.LEADERSHIP, agency=None)
        admin = factory.Trait(role=Role.ADMIN, agency=None, is_staff=True, is_superuser=True)

    @factory.post_generation
    def plans(self, create, plans, **kwargs):
        """The plans a staff member manages: ``UserFactory(plan_staff=True, plans=[plan])``."""
        if create and plans:
            self.plans.set(plans)


def agency_user(agency=None, **kwargs) -> User:
    """A user who reports on the tasks of ``agency`` (a new agency if none)."""
    if agency is not None:
        kwargs["agency"] = agency
    return UserFactory(**kwargs)


def plan_staff(*plans, **kwargs) -> User:
    """Staff of ``plans``, working at the first plan's issuing body."""
    kwargs.setdefault("agency", plans[0].issuing_body if plans else None)
    return UserFactory(plan_staff=True, plans=list(plans), **kwargs)


def leader(**kwargs) -> User:
    return UserFactory(leadership=True, **kwargs)


def admin(**kwargs) -> User:
    return UserFactory(admin=True, **kwargs)


# ---------------------------------------------------------------- targets


class IndicatorFactory(DjangoModelFactory):
    """A count of organisations; the trait ``share`` makes a derived percentage."""

    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"chi-so-{n}")
    name = factory.Sequence(lambda n: f"Số hợp tác xã (thử {n})")
    unit = Unit.ORGANISATIONS
    order = factory.Sequence(lambda n: 1000 + n)

    class Params:
        share = factory.Trait(
            unit=Unit.PERCENT,
            name=factory.Sequence(lambda n: f"Tỷ lệ hợp tác xã hoạt động hiệu quả (thử {n})"),
            numerator=factory.SubFactory("tests.factories.IndicatorFactory"),
            denominator=factory.SubFactory("tests.factories.IndicatorFactory"),
            computation="share",
        )


class TargetFactory(DjangoModelFactory):
    """ "Đến năm 2025 có ít nhất 100 hợp tác xã"; traits ``yearly``, ``range``,
    ``qualitative``."""

    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"muc-tieu-{n}")
    indicator = factory.SubFactory(IndicatorFactory)
    milestone_year = 2025
    is_yearly = False
    comparator = Comparator.AT_LEAST
    value = 100
    text = "Đến năm 2025 có ít nhất 100 hợp tác xã"

    class Params:
        yearly = factory.Trait(
            is_yearly=True, milestone_year=None, text="Hằng năm thành lập mới 10 hợp tác xã"
        )
        range = factory.Trait(
            comparator=Comparator.RANGE, value=8, value_max=10, text="Thành lập mới 08-10 HTX"
        )
        qualitative = factory.Trait(
            comparator=Comparator.QUALITATIVE,
            indicator=None,
            value=None,
            text="Nâng cao chất lượng hoạt động của các hợp tác xã",
        )


class FigureSheetFactory(DjangoModelFactory):
    class Meta:
        model = FigureSheet
        django_get_or_create = ("locality", "area", "year")

    locality = factory.SubFactory(LocalityFactory)
    area = None
    year = YEAR
    version = 1


class FigureFactory(DjangoModelFactory):
    """A figure of a place; ``plan=`` puts it where that plan reads it that year."""

    class Meta:
        model = Figure
        exclude = ("plan",)

    plan = None
    locality = factory.LazyAttribute(
        lambda o: plan_place(o.plan, o.year).locality if o.plan else LocalityFactory()
    )
    area = factory.LazyAttribute(lambda o: plan_place(o.plan, o.year).area if o.plan else None)
    indicator = factory.SubFactory(IndicatorFactory)
    year = YEAR
    value = 120
    status = FigureStatus.ESTIMATED


class IndicatorDefinitionFactory(DjangoModelFactory):
    """What an indicator counts from a year on (a new rating scale, a new law)."""

    class Meta:
        model = IndicatorDefinition

    indicator = factory.SubFactory(IndicatorFactory)
    from_year = 2020
    text = "Thông tư 01/2020/TT-BKHĐT: tốt 80–100 điểm, khá 65–<80 điểm."


class FigureConflictFactory(DjangoModelFactory):
    """A value two plans of one place disagreed on when figures moved to places."""

    class Meta:
        model = FigureConflict

    plan = factory.SubFactory(PlanFactory)
    locality = factory.LazyAttribute(lambda o: o.plan.locality)
    indicator = factory.SubFactory(IndicatorFactory)
    year = YEAR
    value = 110
    kept_value = 120
    status = FigureStatus.ESTIMATED


# ---------------------------------------------------------------- tasks


class TaskSectionFactory(DjangoModelFactory):
    class Meta:
        model = TaskSection

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: _roman(n + 1))
    title = "Tuyên truyền, nâng cao nhận thức về kinh tế tập thể"
    order = factory.Sequence(int)


class TaskFactory(DjangoModelFactory):
    """A yearly task in a section of its plan. ``TaskFactory(plan=plan)`` makes a section
    of that plan; ``TaskFactory(section=section)`` takes the section's plan. ``leads=[…]``
    and ``partners=[…]`` assign agencies."""

    class Meta:
        model = Task
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    section = factory.SubFactory(TaskSectionFactory, plan=factory.SelfAttribute("..plan"))
    number = factory.Sequence(lambda n: str(n + 1))
    order = factory.Sequence(lambda n: (n + 1) * 10)
    description = "Tổ chức hội nghị tuyên truyền Nghị quyết số 20-NQ/TW"
    deliverable = "Báo cáo kết quả"
    deadline_text = "Hằng năm"
    deadline_kind = DeadlineKind.YEARLY

    @classmethod
    def _generate(cls, strategy, params):
        if params.get("section") is not None and "plan" not in params:
            params = {**params, "plan": params["section"].plan}
        return super()._generate(strategy, params)

    @factory.post_generation
    def leads(self, create, agencies, **kwargs):
        for order, agency in enumerate(agencies or () if create else ()):
            TaskAssignment.objects.create(
                task=self, agency=agency, role=AssignmentRole.LEAD, order=order
            )

    @factory.post_generation
    def partners(self, create, agencies, **kwargs):
        for order, agency in enumerate(agencies or () if create else ()):
            TaskAssignment.objects.create(
                task=self, agency=agency, role=AssignmentRole.PARTNER, order=order
            )


class TaskAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = TaskAssignment

    task = factory.SubFactory(TaskFactory)
    agency = factory.SubFactory(
        AgencyFactory, locality=factory.SelfAttribute("..task.plan.locality")
    )
    role = AssignmentRole.LEAD
    order = 0


class TaskReportFactory(DjangoModelFactory):
    """An agency's draft report on a task for :data:`YEAR`, with the agency assigned to the
    task in the report's role (as the portal requires); traits ``submitted``, ``accepted``,
    ``returned``."""

    class Meta:
        model = TaskReport
        skip_postgeneration_save = True

    task = factory.SubFactory(TaskFactory)
    year = YEAR
    agency = factory.SubFactory(
        AgencyFactory, locality=factory.SelfAttribute("..task.plan.locality")
    )
    role = AssignmentRole.LEAD
    progress = ReportProgress.IN_PROGRESS
    done = "Đã tổ chức 02 hội nghị tuyên truyền."
    state = ReportState.DRAFT

    class Params:
        submitted = factory.Trait(
            state=ReportState.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        accepted = factory.Trait(
            state=ReportState.ACCEPTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        returned = factory.Trait(
            state=ReportState.RETURNED,
            submitted_at=factory.LazyFunction(timezone.now),
            review_comment="Bổ sung số liệu",
        )

    @factory.post_generation
    def assigned(self, create, extracted, **kwargs):
        """Assign the agency to the task unless ``assigned=False``."""
        if create and extracted is not False:
            TaskAssignment.objects.get_or_create(
                task=self.task, agency=self.agency, defaults={"role": self.role}
            )


class TaskEvidenceFactory(DjangoModelFactory):
    """A small PDF attached to a report (written under ``MEDIA_ROOT``)."""

    class Meta:
        model = TaskEvidence

    report = factory.SubFactory(TaskReportFactory)
    file = factory.django.FileField(data=PDF_BYTES, filename="minh-chung.pdf")
    name = "minh-chung.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory, agency=factory.SelfAttribute("..report.agency"))


class TaskReportEventFactory(DjangoModelFactory):
    class Meta:
        model = TaskReportEvent

    report = factory.SubFactory(TaskReportFactory, submitted=True)
    from_state = ReportState.DRAFT
    to_state = ReportState.SUBMITTED
    user = factory.SubFactory(UserFactory, agency=factory.SelfAttribute("..report.agency"))


# ---------------------------------------------------------------- reports


class AnnualReportFactory(DjangoModelFactory):
    """A draft annual report; the trait ``final`` stores its files (with their SHA-256) and
    makes the year final, as finalising does."""

    class Meta:
        model = AnnualReport
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    year = YEAR
    difficulties = "Nguồn lực hỗ trợ còn hạn chế."
    proposals = "Đề nghị bố trí kinh phí hỗ trợ."
    status = ReportStatus.DRAFT

    class Params:
        final = factory.Trait(
            status=ReportStatus.FINAL,
            finalised_at=factory.LazyFunction(timezone.now),
            report_date=datetime.date(YEAR, 12, 15),
            pdf=factory.django.FileField(data=PDF_BYTES, filename="bao-cao.pdf"),
            xlsx=factory.django.FileField(data=XLSX_BYTES, filename="bao-cao.xlsx"),
            pdf_sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
            xlsx_sha256=hashlib.sha256(XLSX_BYTES).hexdigest(),
        )

    @factory.post_generation
    def year_final(self, create, extracted, **kwargs):
        """A final report's year is final (``plans.years``), as finalising makes it."""
        if create and self.is_final:
            PlanYearFactory(plan=self.plan, year=self.year, final=True)


class BuiltReportFileFactory(DjangoModelFactory):
    """A plan's PDF built by the worker (``reports.builds``); ``status`` "queued" for one
    still waiting (no file then)."""

    class Meta:
        model = BuiltReportFile

    kind = BuiltFileKind.PLAN
    format = "pdf"
    plan = factory.SubFactory(PlanFactory)
    year = YEAR
    params = factory.LazyAttribute(lambda o: {"plan": o.plan.slug, "year": o.year})
    key = factory.Sequence(lambda n: hashlib.sha256(f"key {n}".encode()).hexdigest())
    fingerprint = factory.Sequence(lambda n: hashlib.sha256(f"content {n}".encode()).hexdigest())
    status = BuildStatus.DONE
    step = BuildStep.READY
    file = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == BuildStatus.DONE),
        factory.django.FileField(data=PDF_BYTES, filename="bao-cao.pdf"),
        "",
    )
    sha256 = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == BuildStatus.DONE),
        hashlib.sha256(PDF_BYTES).hexdigest(),
        "",
    )


class ProgressSummaryFactory(DjangoModelFactory):
    """A plan's stored progress (portal.dashboard.plans_overview)."""

    class Meta:
        model = ProgressSummary

    plan = factory.SubFactory(PlanFactory)
    year = factory.Sequence(lambda n: YEAR + n % 20)
    light = "on_track"
    counts = factory.LazyFunction(lambda: [["achieved", 2], ["on_track", 1], ["behind", 1]])
    key_targets = factory.LazyFunction(
        lambda: [["Số hợp tác xã", "ít nhất 100", 2025, 80, "on_track"]]
    )
    computed_at = factory.LazyFunction(timezone.now)


class CompletenessSummaryFactory(DjangoModelFactory):
    """A plan's stored reporting rate (tasks.selectors.plans_completeness_rates)."""

    class Meta:
        model = CompletenessSummary

    plan = factory.SubFactory(PlanFactory)
    year = factory.Sequence(lambda n: YEAR + n % 20)
    expected = 10
    received = 4
    agencies_missing = 3
    computed_at = factory.LazyFunction(timezone.now)


def figures_of(plan):
    """The figure rows a plan reads (its locality's, and after a merger its part of the
    successor's): for assertions."""
    from django.db.models import Q

    return Figure.objects.filter(
        Q(locality=plan.locality, area__isnull=True) | Q(area=plan.locality)
    )


def plan_place_url(name: str, slug: str, year: int) -> str:
    """The URL of a figure page (``targets:figure_entry`` / ``figure_template`` /
    ``figure_upload``) of the place a plan reads in ``year``."""
    from targets.views import place_url

    return place_url(name, plan_place(Plan.objects.get(slug=slug), year))


def place_where(plan, year: int) -> dict:
    """Filter keywords of the place a plan reads in ``year`` (figure sheets, figures)."""
    place = plan_place(plan, year)
    return {"locality": place.locality, "area": place.area, "year": year}


def run_report_worker() -> int:
    """Run the background worker (``manage.py db_worker --batch``, django-tasks' database
    backend) in this process until its queue is empty; returns the builds it ran.

    Its check of the connection between tasks is switched off: inside a test's
    transaction it would close the connection (and the transaction with it). The signal
    handlers it installs are put back."""
    import signal
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    before = DBTaskResult.objects.finished().count()
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command(
                "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
            )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return DBTaskResult.objects.finished().count() - before


def download(client, url: str, data=None):
    """GET a report file as a user does: when the answer is the progress page (202: the
    file is being built), run the worker and ask again. Returns the final response."""
    response = client.get(url, data)
    if response.status_code == 202:
        run_report_worker()
        response = client.get(url, data)
    return response
