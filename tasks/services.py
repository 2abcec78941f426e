"""Writes for tasks and task reports."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.uploads import UploadRefused
from plans.groups import groups_members
from plans.years import reporting_years, year_ensure_open

from .choices import AssignmentRole, ReportProgress, ReportState
from .deadlines import parse_deadline
from .evidence import check_evidence
from .models import Task, TaskAssignment, TaskEvidence, TaskReport, TaskReportEvent, TaskSection
from .notices import report_review_notify
from .numbering import is_section_number, next_section_number


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


def assignment_role(*, task: Task, agency, year: int) -> str | None:
    """The agency's role on the task in ``year``: its own where it is named on the task,
    else that of a group it is a member of on the year's due date (``plans.groups``)."""
    if agency is None:
        return None
    assignments = list(TaskAssignment.objects.filter(task=task).select_related("agency__locality"))
    own = next((a.role for a in assignments if a.agency_id == agency.pk), None)
    if own is not None:
        return own
    groups = [a for a in assignments if a.agency.is_group]
    if not groups:
        return None
    members = groups_members([a.agency for a in groups], on=task.plan.report_due_date(year))
    return next((a.role for a in groups if agency.pk in members[a.agency_id].member_ids), None)


def task_report_get_or_new(*, task: Task, year: int, agency) -> TaskReport:
    """The agency's report for the year, or an unsaved draft."""
    years = reporting_years(task.plan)
    if year not in years:
        raise ValidationError(
            _("Reports are kept for %(first)s to %(last)s only.")
            % {"first": years[0], "last": years[-1]}
        )
    role = assignment_role(task=task, agency=agency, year=year)
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
def task_save(
    *, task: Task, leads, partners, user, reason: str = "", new_section: TaskSection | None = None
) -> Task:
    """Create or edit a task row with its agencies (in order); history keeps the change.
    ``new_section`` (unsaved) is created first and receives the task: a plan with no
    section yet is filled from the task form alone."""
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
    if new_section is not None:
        new_section.plan = task.plan
        try:
            task.section = section_save(section=new_section, user=user, reason=reason)
        except ValidationError as exc:
            errors = {f"new_section_{k}": v for k, v in exc.message_dict.items()}
            raise ValidationError(errors) from exc
    if task.is_active and task.section_id and not task.section.is_active:
        raise ValidationError(
            {"section": [_("This section is retired: restore it first or choose another.")]}
        )
    task_apply_deadline(task=task)
    task.full_clean()
    task._history_user = user
    task._change_reason = reason
    task.save()
    wanted = [(a, AssignmentRole.LEAD) for a in leads] + [
        (a, AssignmentRole.PARTNER) for a in partners
    ]
    task_assign(task=task, wanted=wanted, user=user)
    return task


def task_assign(*, task: Task, wanted, user) -> None:
    """Make the task's agencies ``wanted`` ([(agency, role)…] in the written order, each
    agency once: its first role counts); history keeps each change."""
    existing = {a.agency_id: a for a in task.assignments.all()}
    placed, orders = set(), {AssignmentRole.LEAD: 0, AssignmentRole.PARTNER: 0}
    for agency, role in wanted:
        if agency.pk in placed:
            continue
        placed.add(agency.pk)
        orders[role] += 1
        assignment = existing.pop(agency.pk, None) or TaskAssignment(task=task, agency=agency)
        if assignment.pk is None or (assignment.role, assignment.order) != (role, orders[role]):
            assignment.role, assignment.order = role, orders[role]
            assignment._history_user = user
            assignment.save()
    for assignment in existing.values():
        assignment._history_user = user
        assignment.delete()


def _lock_plan(plan) -> None:
    """Queue the writers of one plan's task table (numbering checks, reordering)."""
    type(plan).objects.select_for_update().filter(pk=plan.pk).first()


@transaction.atomic
def section_save(*, section: TaskSection, user, reason: str = "") -> TaskSection:
    """Create a section (placed after the plan's last one, numbered after it unless a
    number is given), or rename, renumber, retire or restore one, with history.

    Retiring a section retires its current tasks with it (their reports stay); restoring
    it restores the tasks retired with it, not those retired before."""
    _lock_plan(section.plan)
    section.number = section.number.strip().rstrip(".").strip().upper()
    section.title = section.title.strip()
    siblings = TaskSection.objects.filter(plan=section.plan).exclude(pk=section.pk)
    if not section.number:
        section.number = next_section_number(siblings.values_list("number", flat=True))
    if not is_section_number(section.number):
        numbering = _(
            "A section is numbered with a Roman numeral (II), a letter (A) or a number (2)."
        )
        raise ValidationError({"number": [numbering]})
    if section.is_active and siblings.filter(is_active=True, number=section.number).exists():
        raise ValidationError(
            {"number": [_("The plan already has a section %(n)s.") % {"n": section.number}]}
        )
    if section.pk is None:
        last = siblings.order_by("-order").values_list("order", flat=True).first() or 0
        section.order = last + 10
    before = TaskSection.objects.filter(pk=section.pk).first() if section.pk else None
    section.full_clean(validate_constraints=False)
    section._history_user = user
    section._change_reason = reason
    section.save()
    if before is not None and before.is_active != section.is_active:
        _cascade_retirement(section, before_active=before.is_active, user=user, reason=reason)
    return section


def _cascade_retirement(section: TaskSection, *, before_active: bool, user, reason: str) -> None:
    if before_active:  # retired now
        moved = section.tasks.filter(is_active=True)
        why = reason or _("Retired with section %(n)s") % {"n": section.number}
        active = False
    else:  # restored: the tasks retired at or after the section's retirement
        retired_at = _retired_at(section)
        moved = section.tasks.filter(is_active=False)
        if retired_at is not None:
            moved = [t for t in moved if _retired_since(t, retired_at)]
        why = reason or _("Restored with section %(n)s") % {"n": section.number}
        active = True
    for task in moved:
        task.is_active = active
        task._history_user = user
        task._change_reason = why
        task.save(update_fields=["is_active"])


def _retired_at(section: TaskSection):
    """When the section, just restored, had been retired (``None`` if no history says)."""
    records = section.history.order_by("-history_date", "-history_id")[1:]
    retired_at = None
    for record in records.iterator():
        if record.is_active:
            break
        retired_at = record.history_date
    return retired_at


def _retired_since(task: Task, moment) -> bool:
    last = task.history.order_by("-history_date").first()
    return last is not None and not last.is_active and last.history_date >= moment


@transaction.atomic
def section_move(*, section: TaskSection, up: bool, user) -> None:
    """Swap a section with its neighbour among the plan's current sections; the numbers
    (the plan's own) stay, the order is renumbered 10, 20, 30… (with history)."""
    _lock_plan(section.plan)
    siblings = list(
        TaskSection.objects.filter(plan=section.plan, is_active=True).order_by("order", "pk")
    )
    if section not in siblings:
        raise ValidationError(_("A retired section has no place in the table."))
    index = siblings.index(section)
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


def task_table_import_confirm(
    *, data: bytes | None, plan, user, create_agencies: bool, mode=None, state=None
):
    """Import the previewed table (``data``, kept in the session; ``None`` when it is
    gone) as ``mode`` says, all or nothing (:func:`tasks.importing.import_task_table`,
    ``state`` the plan's table when the preview was shown). Returns what was done."""
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
            preview=preview,
            plan=plan,
            user=user,
            create_agencies=create_agencies,
            mode=mode,
            state=state,
        )
    except ValidationError as exc:
        raise TaskImportRefused(" ".join(exc.messages), preview) from exc
