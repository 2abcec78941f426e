"""Writes for tasks and task reports."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.uploads import UploadRefused
from plans.years import reporting_years, year_ensure_open

from .choices import AssignmentRole, ReportProgress, ReportState
from .deadlines import parse_deadline
from .evidence import check_evidence
from .models import Task, TaskAssignment, TaskEvidence, TaskReport, TaskReportEvent
from .notices import report_review_notify


def task_apply_deadline(*, task: Task) -> None:
    """Fill the structured deadline fields of ``task`` from its written phrase (no save)."""
    deadline = parse_deadline(task.deadline_text)
    task.deadline_text = deadline.text
    task.deadline_kind = deadline.kind
    task.deadline_year_from = deadline.year_from
    task.deadline_year_to = deadline.year_to
    task.deadline_quarter = deadline.quarter
    task.deadline_due_day = deadline.due_day
    task.deadline_due_month = deadline.due_month


def assignment_role(*, task: Task, agency) -> str | None:
    if agency is None:
        return None
    return (
        TaskAssignment.objects.filter(task=task, agency=agency)
        .values_list("role", flat=True)
        .first()
    )


def task_report_get_or_new(*, task: Task, year: int, agency) -> TaskReport:
    """The agency's report for the year, or an unsaved draft."""
    years = reporting_years(task.plan)
    if year not in years:
        raise ValidationError(
            _("Reports are kept for %(first)s to %(last)s only.")
            % {"first": years[0], "last": years[-1]}
        )
    role = assignment_role(task=task, agency=agency)
    if role is None:
        raise PermissionDenied(_("Your agency is not assigned to this task."))
    report = TaskReport.objects.filter(task=task, year=year, agency=agency).first()
    return report or TaskReport(task=task, year=year, agency=agency, role=role)


@dataclass
class TaskReportStale(Exception):
    """Someone else saved this report after the user opened it; nothing was saved.
    ``current`` is the report as it is now."""

    current: TaskReport


def _log(report, from_state, to_state, user, comment=""):
    TaskReportEvent.objects.create(
        report=report, from_state=from_state, to_state=to_state, user=user, comment=comment
    )


AGENCY_FIELDS = ["progress", "done", "deliverable_ref", "completed_on"]


@transaction.atomic
def task_report_save(
    *, report: TaskReport, user, version: int, files=(), submit: bool = False
) -> TaskReport:
    """Save an agency's draft (and its new evidence files), and submit it if asked.

    ``report`` carries what the agency wrote (:data:`AGENCY_FIELDS`); ``version`` is the
    report's version the user's form was built from (0 for a report not yet saved). If
    someone saved in between, :class:`TaskReportStale` is raised; if the report was deleted
    meanwhile, a ValidationError. All or nothing: a bad file or an incomplete submission
    stores nothing. The year's row lock (:func:`plans.years.year_ensure_open`) queues every
    writer of the plan's year, so two first saves at once create one report and the second
    is refused as stale.
    """
    year_ensure_open(plan=report.task.plan, year=report.year)
    current = (
        TaskReport.objects.select_for_update(of=("self",))
        .filter(task=report.task, year=report.year, agency=report.agency)
        .select_related("updated_by")
        .first()
    )
    if current is None and (version or report.pk):
        raise ValidationError(_("This report no longer exists: reload the page."))
    if current is not None and current.version != version:
        raise TaskReportStale(current=current)
    if current is not None:
        if not current.is_editable_by_agency:
            raise ValidationError(
                _("This report has been submitted and can no longer be changed by the agency.")
            )
        for name in AGENCY_FIELDS:
            setattr(current, name, getattr(report, name))
        report = current
    checked = []
    errors = []
    for upload in files:
        try:
            checked.append((upload, check_evidence(upload)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    if submit:
        problems = {}
        if not report.done.strip():
            problems["done"] = [_("Say what was done before submitting.")]
        if report.progress == ReportProgress.COMPLETED and not (
            report.deliverable_ref.strip() or checked or (report.pk and report.evidence.exists())
        ):
            problems["deliverable_ref"] = [
                _(
                    "A completed task needs its deliverable (document number and date) or an "
                    "evidence file."
                )
            ]
        if report.completed_on and report.completed_on > timezone.localdate():
            problems["completed_on"] = [_("The completion date is in the future.")]
        if problems:
            raise ValidationError(problems)
    if report.progress != ReportProgress.COMPLETED:
        report.completed_on = None
    report.updated_by = user
    previous_state = report.state
    if submit:
        report.state = ReportState.SUBMITTED
        report.submitted_at = timezone.now()
    report._history_user = user
    report.version += 1
    report.save()
    for upload, content_type in checked:
        TaskEvidence.objects.create(
            report=report,
            file=upload,
            name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=user,
        )
    if submit:
        _log(report, previous_state, ReportState.SUBMITTED, user)
    return report


@transaction.atomic
def task_report_review(*, report: TaskReport, user, accept: bool, comment: str) -> TaskReport:
    """Plan staff accept a submitted report, or return it with a comment (editable again).
    The agency's users are told by e-mail once the review is committed."""
    year_ensure_open(plan=report.task.plan, year=report.year)
    report = TaskReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted or returned."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": [_("Say why the report is returned.")]})
    new_state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    _log(report, report.state, new_state, user, comment.strip())
    report.state = new_state
    report.review_comment = comment.strip()
    report.version += 1
    report._history_user = user
    report.save(update_fields=["state", "review_comment", "updated_at", "version"])
    transaction.on_commit(partial(report_review_notify, report.pk))
    return report


@transaction.atomic
def task_save(*, task: Task, leads, partners, user, reason: str = "") -> Task:
    """Create or edit a task row with its agencies (in order); history keeps the change."""
    if not leads:
        raise ValidationError({"leads": [_("A task needs at least one lead agency.")]})
    overlap = set(leads) & set(partners)
    if overlap:
        raise ValidationError(
            {
                "partners": [
                    _("An agency cannot both lead and cooperate: %s")
                    % ", ".join(a.name for a in overlap)
                ]
            }
        )
    task_apply_deadline(task=task)
    task.full_clean()
    task._history_user = user
    task._change_reason = reason
    task.save()
    wanted = [(a, AssignmentRole.LEAD, i) for i, a in enumerate(leads, 1)] + [
        (a, AssignmentRole.PARTNER, i) for i, a in enumerate(partners, 1)
    ]
    existing = {a.agency_id: a for a in task.assignments.all()}
    for agency, role, order in wanted:
        assignment = existing.pop(agency.pk, None) or TaskAssignment(task=task, agency=agency)
        if (assignment.pk, assignment.role, assignment.order) != (assignment.pk, role, order) or (
            assignment.pk is None
        ):
            assignment.role, assignment.order = role, order
            assignment._history_user = user
            assignment.save()
    for assignment in existing.values():
        assignment._history_user = user
        assignment.delete()
    return task


@transaction.atomic
def task_move(*, task: Task, up: bool, user) -> None:
    """Swap a task row with its neighbour in its section; renumbers the section's rows
    10, 20, 30… (with history)."""
    siblings = list(Task.objects.filter(section=task.section).order_by("order", "pk"))
    index = siblings.index(task)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.order != position * 10:
            item.order = position * 10
            item._history_user = user
            item._change_reason = _("Reordered")
            item.save(update_fields=["order"])


class TaskImportRefused(Exception):
    """The confirmed import did not run: ``message`` says why, ``preview`` (if any) is
    shown again."""

    def __init__(self, message: str = "", preview=None):
        super().__init__(message)
        self.message, self.preview = message, preview


def task_table_import_confirm(*, data: bytes | None, plan, user, create_agencies: bool) -> int:
    """Import the previewed table (``data``, kept in the session; ``None`` when it is
    gone): all rows or none. Returns the number of tasks imported."""
    from .importing import import_task_table, read_task_table

    if data is None:
        raise TaskImportRefused(_("The uploaded table is no longer available: upload it again."))
    try:
        preview = read_task_table(data, plan=plan)
    except UploadRefused as exc:
        raise TaskImportRefused(str(exc)) from exc
    if preview.has_errors:
        raise TaskImportRefused("", preview)
    if preview.new_agency_names and not create_agencies:
        message = _("Nothing was imported: confirm the new agencies first.")
        raise TaskImportRefused(message, preview)
    try:
        return import_task_table(
            preview=preview, plan=plan, user=user, create_agencies=create_agencies
        )
    except ValidationError as exc:
        raise TaskImportRefused(" ".join(exc.messages)) from exc
