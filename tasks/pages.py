"""Page data for the task pages, as plain data: the views only pass it on."""

import datetime

from plans.models import Plan
from plans.years import final_years, reporting_years, year_is_final

from . import selectors
from .choices import AssignmentRole, Timeliness
from .models import Task, TaskReport


def task_years(task, *, today: datetime.date, agency=None) -> list[dict]:
    """A task's reports grouped by year (newest first), every reporting year of its plan:
    the year's status, whether it rests on a report not yet accepted ("chờ duyệt"),
    whether the year is final, and ``agency``'s own report of the year (if any)."""
    reports = (
        task.reports.select_related("agency", "updated_by")
        .prefetch_related("evidence", "events__user")
        .order_by("-year", "role", "agency__name")
    )
    by_year: dict[int, list] = {}
    for report in reports:
        by_year.setdefault(report.year, []).append(report)
    final = final_years(plan=task.plan)
    agency_id = agency.pk if agency is not None else None
    return [
        {
            "year": year,
            "reports": by_year.get(year, []),
            "status": Timeliness(selectors.task_status(task, year=year, today=today)),
            "awaiting_review": selectors.task_awaiting_review(task, year=year),
            "is_final": year in final,
            "mine": next((r for r in by_year.get(year, []) if r.agency_id == agency_id), None),
        }
        for year in reversed(reporting_years(task.plan, today=today))
    ]


def assignment_role_of(task, agency) -> str | None:
    """The agency's role on the task (from the prefetched assignments): its own, else that
    of a group it reports for as a member, or ``None``."""
    if agency is None:
        return None
    assignments = task.assignments.all()
    own = next((a.role for a in assignments if a.agency_id == agency.pk), None)
    if own is not None:
        return own
    groups = agency.reporting_ids()
    return next((a.role for a in assignments if a.agency_id in groups), None)


def task_report_page(report) -> dict:
    """What the report form shows beside the form: the cooperating agencies'
    contributions (for the lead), whether it can be edited, and its events."""
    is_final = year_is_final(plan=report.task.plan, year=report.year)
    contributions = []
    if report.role == AssignmentRole.LEAD:
        contributions = list(
            TaskReport.objects.filter(
                task=report.task, year=report.year, role=AssignmentRole.PARTNER
            )
            .select_related("agency")
            .prefetch_related("evidence")
        )
    return {
        "task": report.task,
        "report": report,
        "year": report.year,
        "contributions": contributions,
        "editable": report.is_editable_by_agency and not is_final,
        "is_final": is_final,
        "events": list(report.events.select_related("user")) if report.pk else [],
    }


def stale_fields(current) -> list[tuple[str, str]]:
    """The other person's version of a task report, field by field."""
    completed = current.completed_on and f"{current.completed_on:%d/%m/%Y}"
    return [
        (current._meta.get_field(name).verbose_name, value)
        for name, value in [
            ("progress", current.get_progress_display()),
            ("done", current.done),
            ("deliverable_ref", current.deliverable_ref),
            ("completed_on", completed),
            ("state", current.get_state_display()),
        ]
    ]


def plan_task_rows(plan):
    return (
        Task.objects.filter(plan=plan)
        .select_related("section")
        .prefetch_related("assignments__agency")
        .order_by("section__order", "order")
    )


def task_row_for(plan, pk=None) -> Task:
    """The task row to edit, or a new one placed after the plan's last row."""
    if pk is not None:
        from django.shortcuts import get_object_or_404

        return get_object_or_404(
            Task.objects.prefetch_related("assignments__agency"), pk=pk, plan=plan
        )
    last = Task.objects.filter(plan=plan).order_by("-order").first()
    return Task(plan=plan, order=(last.order + 10) if last else 10)


def agency_report_years(agency, *, today=None, last: int = 2) -> list[tuple]:
    """[(plan, [years…])…]: the plans whose tasks ``agency`` leads, with the latest
    ``last`` reporting years, for the agency's own yearly reports (newest first)."""
    plans = (
        Plan.objects.filter(
            tasks__is_active=True,
            tasks__assignments__agency=agency,
            tasks__assignments__role=AssignmentRole.LEAD,
        )
        .distinct()
        .select_related("locality")
        .order_by("slug")
    )
    return [(plan, list(reversed(reporting_years(plan, today=today)))[:last]) for plan in plans]


def import_result_message(result) -> str:
    """What a confirmed import did, in one sentence for the page's message."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    parts = [
        ngettext("%(count)s task added", "%(count)s tasks added", result.created)
        % {"count": result.created}
    ]
    if result.updated:
        parts.append(
            ngettext("%(count)s task updated", "%(count)s tasks updated", result.updated)
            % {"count": result.updated}
        )
    if result.retired:
        parts.append(
            ngettext(
                "%(count)s former task retired (it has reports)",
                "%(count)s former tasks retired (they have reports)",
                result.retired,
            )
            % {"count": result.retired}
        )
    if result.removed:
        parts.append(
            ngettext(
                "%(count)s former task without reports removed",
                "%(count)s former tasks without reports removed",
                result.removed,
            )
            % {"count": result.removed}
        )
    return _("The table has been imported: %(what)s.") % {"what": "; ".join(parts)}
