"""Who may do what. One place, used by views and templates."""

from .choices import Role


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def can_edit_plan(user, plan) -> bool:
    """Plan staff edit the figures and targets of their own plans; admins edit all."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_admin(user):
        return True
    return user.role == Role.PLAN_STAFF and user.plans.filter(pk=plan.pk).exists()


def can_read_figures(user) -> bool:
    """Every signed-in role reads figures; the public sees progress on public pages only."""
    return bool(user.is_authenticated and user.is_active)


def can_see_plan_reports(user, plan) -> bool:
    """Completeness and reviews: the plan's staff, leadership and admins."""
    return can_edit_plan(user, plan) or bool(user.is_authenticated and user.role == Role.LEADERSHIP)


def reporting_agency(user):
    """The agency a user reports for (agency users only)."""
    if user.is_authenticated and user.is_active and user.role == Role.AGENCY:
        return user.agency
    return None
