"""Task reports in templates: a report's state as people read it, and the counts of the
review queues shown in the menu and on the plan page.

``{{ report|report_state }}``, ``{% review_queue_count as n %}`` (the signed-in user's
queue), ``{% review_queue_count plan as n %}`` (one plan's), ``{% returned_count as n %}``
(the agency's reports returned for revision)."""

from django import template
from django.utils.translation import gettext as _

from accounts.permissions import (
    can_edit_plan,
    has_review_queue,
    plans_editable_filter,
    reporting_agency,
)
from plans.models import Plan

from .. import selectors, tables
from ..choices import ReportState

register = template.Library()

MENU_COUNT_MAX = selectors.QUEUE_COUNTED


@register.filter
def report_state(report) -> str:
    """A submitted report is "awaiting review" until the plan's staff accept it."""
    if report.state == ReportState.SUBMITTED:
        return _("Submitted, awaiting review")
    return report.get_state_display()


@register.simple_tag(takes_context=True)
def review_queue_count(context, plan=None) -> int | str:
    """How many submitted reports wait for the user's review (on ``plan`` if given)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if plan is not None:
        if not can_edit_plan(user, plan):
            return 0
        return selectors.review_queue(plans=Plan.objects.filter(pk=plan.pk)).count()
    if not has_review_queue(user):
        return 0
    if "menu_review_count" in context:  # the page counted the user's queue already
        return context["menu_review_count"]
    if not hasattr(request, "_review_queue_count"):
        plans = Plan.objects.filter(plans_editable_filter(user))
        # The menu's badge counts to MENU_COUNT_MAX and says "99+" beyond: counting a
        # national queue of thousands on every page took 40 ms.
        found = selectors.review_queue(plans=plans).order_by()[: MENU_COUNT_MAX + 1].count()
        request._review_queue_count = selectors.menu_count(found)
    return request._review_queue_count


@register.simple_tag(takes_context=True)
def returned_count(context) -> int:
    """How many of the user's agency's reports were returned for revision."""
    request = context.get("request")
    agency = reporting_agency(getattr(request, "user", None))
    if agency is None:
        return 0
    return selectors.returned_reports(agency=agency).count()


@register.simple_tag
def review_queue_rows(reports):
    """The rows of a review queue's table (:func:`tasks.tables.review_queue_rows`)."""
    return tables.review_queue_rows(reports)
