"""Who may do what: the portal's one permission layer.

Every rule is a named predicate ``rule(user, obj=None) -> bool`` registered in
:data:`RULES`. Views declare the rule they need (``accounts.mixins.RuleRequiredMixin``:
``permission_rule`` for every request, ``write_permission_rule`` added for POST), templates
ask the same rules (``{% load permissions %}{% may "rule_name" obj as flag %}``) and lists are
filtered by the ``*_filter`` functions, which say the same rules in SQL. No role string is
compared anywhere else in the portal.

The roles (``accounts.choices.Role``):

- **admin** (or a superuser): everything.
- **plan_staff**: the plans they follow (``User.plans``): figures, targets, task rows,
  reviews of task reports, the annual report; they may enter a new plan, and then follow it.
- **leadership**: reads every plan's reporting and reports, and the consolidated report.
- **agency**: the tasks its agency (``User.agency``) is assigned to, and its reports on them.
- signed out: the public pages (plans, targets, tasks as listed on a plan's page).

Objects are read through their attributes (``plan.pk``, ``task.plan_id``,
``evidence.report``), so this module, at the bottom of the layers, imports no app above it.
An inactive user is treated as signed out.
"""

from collections.abc import Callable

from django.db.models import Q

from .choices import Role

Rule = Callable[..., bool]
RULES: dict[str, Rule] = {}


def rule(function: Rule) -> Rule:
    """Register ``function`` under its name for views and templates."""
    RULES[function.__name__] = function
    return function


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _followed_plan_ids(user) -> frozenset[int]:
    """The ids of the plans a plan-staff user follows; read once per request (cached on the
    user object, which Django builds once per request)."""
    if not hasattr(user, "_followed_plan_ids"):
        user._followed_plan_ids = frozenset(user.plans.values_list("pk", flat=True))
    return user._followed_plan_ids


@rule
def is_signed_in(user, obj=None) -> bool:
    """Any active account: reads tasks and figures."""
    return _active(user)


@rule
def is_admin(user, obj=None) -> bool:
    return _active(user) and (user.is_superuser or user.role == Role.ADMIN)


@rule
def is_leadership(user, obj=None) -> bool:
    return _active(user) and user.role == Role.LEADERSHIP


@rule
def is_plan_staff(user, obj=None) -> bool:
    """Follows plans (``User.plans``): the home page shows their figures and reporting."""
    return _active(user) and user.role == Role.PLAN_STAFF


@rule
def can_edit_plan(user, plan) -> bool:
    """A plan's staff edit its figures, targets, task rows and annual report, and review
    its task reports; an administrator edits every plan."""
    if is_admin(user):
        return True
    return is_plan_staff(user) and plan.pk in _followed_plan_ids(user)


@rule
def can_enter_figures(user, locality) -> bool:
    """A locality's figures (and its former localities' parts of them, after a merger) are
    entered by the staff of the plans that read them (``plans.places``): plans of the
    locality or of a former locality it took over. An administrator enters every one."""
    if is_admin(user):
        return True
    if not is_plan_staff(user) or locality is None:
        return False
    return user.plans.filter(locality_id__in=locality.figure_reader_ids()).exists()


@rule
def can_create_plan(user, obj=None) -> bool:
    """Entering a new plan (its document: kind, number, level, locality…): administrators
    and plan staff, who then follow the plan they entered."""
    return is_admin(user) or is_plan_staff(user)


@rule
def has_review_queue(user, obj=None) -> bool:
    """The queue of submitted task reports waiting for review: plan staff (the plans they
    follow) and admins (every plan)."""
    return is_admin(user) or is_plan_staff(user)


@rule
def can_see_plan_reports(user, plan) -> bool:
    """A plan's reporting (completeness, annual reports): its staff, leadership, admins."""
    return can_edit_plan(user, plan) or is_leadership(user)


@rule
def can_open_reports(user, obj=None) -> bool:
    """The reports index: leadership, admins, and plan staff (for the plans they follow)."""
    return is_admin(user) or is_leadership(user) or is_plan_staff(user)


@rule
def can_consolidate(user, obj=None) -> bool:
    """The consolidated report of several plans: leadership and admins."""
    return is_admin(user) or is_leadership(user)


@rule
def can_reopen_year(user, plan=None) -> bool:
    """Reopening a finalised year: administrators only."""
    return is_admin(user)


def reporting_agency(user):
    """The agency a user reports for: agency users with an agency, else ``None``."""
    if _active(user) and user.role == Role.AGENCY and user.agency_id:
        return user.agency
    return None


@rule
def has_own_tasks(user, obj=None) -> bool:
    """ "Nhiệm vụ của tôi": agency users with an agency."""
    return reporting_agency(user) is not None


@rule
def can_see_agency_report(user, obj) -> bool:
    """A lead agency's own yearly report on a plan (``obj`` = (plan, agency)): the agency's
    users, and whoever sees the plan's reporting (the coordinating body's staff)."""
    plan, agency = obj
    own = reporting_agency(user)
    if own is not None and own.pk == agency.pk:
        return True
    return can_see_plan_reports(user, plan)


@rule
def can_report_on_task(user, task) -> bool:
    """An agency user writes its agency's report on a task it is assigned to (lead or
    cooperating), itself or as a member of a group of bodies named on the task
    (``Agency.reporting_ids``, see ``plans.groups``). Uses the task's prefetched
    assignments when there are some."""
    agency = reporting_agency(user)
    if agency is None:
        return False
    ids = agency.reporting_ids()
    return any(a.agency_id in ids for a in task.assignments.all())


@rule
def can_open_evidence(user, evidence) -> bool:
    """Evidence files are not public: the agencies assigned to the task, the plan's staff,
    leadership and admins."""
    task = evidence.report.task
    return can_see_plan_reports(user, task.plan) or can_report_on_task(user, task)


def plans_with_reports_filter(user) -> Q:
    """:func:`can_see_plan_reports` in SQL, for a ``Plan`` queryset."""
    if is_admin(user) or is_leadership(user):
        return Q()
    if is_plan_staff(user):
        return Q(pk__in=_followed_plan_ids(user))
    return Q(pk__in=[])


def plans_editable_filter(user) -> Q:
    """:func:`can_edit_plan` in SQL, for a ``Plan`` queryset."""
    if is_admin(user):
        return Q()
    if is_plan_staff(user):
        return Q(pk__in=_followed_plan_ids(user))
    return Q(pk__in=[])


def landing_page(user) -> str:
    """The URL name a user lands on after signing in."""
    return "tasks:my_tasks" if has_own_tasks(user) else "home"
