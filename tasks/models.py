import calendar
import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import limits
from common.search import searched_text
from plans.models import PLAN_LIST_KEY_LENGTH, REPORT_DUE, Agency, Plan, plan_list_key

from .choices import COUNTED_STATES, AssignmentRole, DeadlineKind, ReportProgress, ReportState
from .deadlines import RECURRING_KINDS, Deadline


class TaskSection(models.Model):
    """A section of a plan's task table ("II. Tiếp tục đổi mới, hoàn thiện cơ chế…")."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="task_sections"
    )
    number = models.CharField(_("number"), max_length=10, help_text=_("Roman numeral, e.g. II."))
    title = models.TextField(_("title"), max_length=limits.NOTE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.TextField(_("note"), blank=True, max_length=limits.NOTE)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A retired section leaves the plan's table; its tasks keep their history."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task section")
        verbose_name_plural = _("task sections")
        ordering = ["plan", "order", "pk"]
        constraints = [
            # Among the plan's current sections: a table replaced by an import keeps its
            # retired sections (and their tasks' reports) beside the new ones.
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=models.Q(is_active=True),
                name="tasksection_unique_number",
            ),
            *limits.length_constraints("tasksection", title=limits.NOTE, note=limits.NOTE),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


LEAD_YEARS_LENGTH = 600
"""Room for every year a report may have (2000–2100), five characters each."""


def list_key(place_name: str, plan_slug: str, section_order: int, order: int) -> str:
    """The task lists' default order as one string of digits: the plan's
    (:func:`plans.models.plan_list_key`: its place in Vietnamese alphabetical order, its
    slug), the section's order, the task's order."""
    return plan_list_key(place_name, plan_slug) + f"{section_order:05d}{order:05d}"


LIST_KEY_LENGTH = PLAN_LIST_KEY_LENGTH + 10


def task_list_key(task) -> str:
    """``task``'s key from the database's section, plan and place (a form's copies of them
    may be older: another inline saved before it, a section moved meanwhile)."""
    slug, place = Plan.objects.filter(pk=task.plan_id).values_list("slug", "locality__name").get()
    section_order = TaskSection.objects.filter(pk=task.section_id).values_list("order", flat=True)
    return list_key(place, slug, section_order.get(), task.order)


def task_search_text(task) -> str:
    """What the search reads of a task (``Task.search_text``)."""
    return searched_text(task, Task.SEARCHED_FIELDS)


class RemembersLoaded:
    """Keeps the values of the ``REMEMBERED`` columns as they were read (the ``from_db``
    pattern of Django's documentation), so that ``tasks.signals`` can update the side a
    row left as well as the one it moved to (a report moved to another task in the admin)."""

    REMEMBERED: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.loaded_values = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if name in cls.REMEMBERED
        }
        return instance

    def former(self, name):
        """The column's value as read, if it has changed since (else ``None``)."""
        value = getattr(self, "loaded_values", {}).get(name)
        return value if value is not None and value != getattr(self, name) else None


class Task(RemembersLoaded, models.Model):
    """An assigned task, in the columns of Đắk Nông's appendix."""

    REMEMBERED = ("plan_id",)

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    section = models.ForeignKey(
        TaskSection, verbose_name=_("section"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.CharField(_("number (TT)"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("task (Nhiệm vụ)"), max_length=limits.PARAGRAPH)
    agencies = models.ManyToManyField(
        Agency, through="TaskAssignment", verbose_name=_("agencies"), related_name="tasks"
    )
    deliverable = models.TextField(
        _("deliverable (Sản phẩm hoàn thành)"), blank=True, max_length=limits.NOTE
    )
    deadline_text = models.CharField(
        _("deadline as written (Thời gian hoàn thành)"), max_length=255, blank=True
    )
    deadline_kind = models.CharField(
        _("deadline kind"),
        max_length=20,
        choices=DeadlineKind.choices,
        default=DeadlineKind.NOT_STATED,
    )
    deadline_year_from = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    deadline_year_to = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    deadline_quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    deadline_due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)
    deadline_due_month = models.PositiveSmallIntegerField(_("due month"), null=True, blank=True)
    note = models.TextField(_("note (Ghi chú)"), blank=True, max_length=limits.NOTE)
    data_note = models.TextField(
        _("data note"),
        blank=True,
        max_length=limits.NOTE,
        help_text=_("How the row was taken from the document: corrections, readings."),
    )
    source_text = models.TextField(
        _("passage in the document"), blank=True, max_length=limits.PARAGRAPH
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The task's text as the search reads it (common.search.fold_vn of the description,
    # deliverable and note), kept by save(): a lookup in a stored column, indexed on
    # PostgreSQL, instead of folding three columns of every task on each search.
    search_text = models.TextField(_("search text"), editable=False, blank=True, default="")
    # The assigned agencies' search texts (Agency.search_text), kept by tasks.signals when
    # an assignment or an agency changes: the search finds a task by its bodies' names in
    # the task's own row (an EXISTS over the assignments of the bodies named hashed 6 000
    # of them twice a search page for "hop tac xa" at national scale).
    agencies_text = models.TextField(
        _("agencies' search text"), editable=False, blank=True, default=""
    )
    # What the lead agency's reports say, kept from them by refresh_lead_state() (on every
    # save or deletion of a report): whether a task is overdue is then read from the task's
    # own row, not searched in every report of the country (tasks.selectors.overdue_q).
    # Only reports that count and were submitted (TaskReport.objects.lead().counted()).
    lead_completed_year = models.PositiveSmallIntegerField(
        _("first year reported completed"), null=True, blank=True, editable=False
    )
    lead_reported_years = models.CharField(
        _("years reported"),
        max_length=LEAD_YEARS_LENGTH,
        blank=True,
        default="",
        editable=False,
        help_text=_('The years with a report, as ",2024,2025,".'),
    )

    # The lists' default order (list_key()), kept by save() and by tasks.signals when the
    # section, the plan or its place changes; indexed, so a page of the national list reads
    # twenty-five rows of an index instead of sorting every task of the country.
    list_key = models.CharField(
        _("list order"), max_length=LIST_KEY_LENGTH, editable=False, blank=True, default=""
    )
    # When the task falls due (due_columns()), kept by save() and by tasks.signals when the
    # plan's date changes: "overdue" compares these two columns with today, from indexes,
    # instead of computing each task's date (every task of the country read for seven).
    deadline_due = models.DateField(_("due date"), null=True, blank=True, editable=False)
    yearly_due = models.PositiveSmallIntegerField(
        _("yearly report due (month × 100 + day)"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(
        excluded_fields=[
            *("search_text", "agencies_text", "lead_completed_year", "lead_reported_years"),
            *("list_key", "deadline_due", "yearly_due"),
        ]
    )

    SEARCHED_FIELDS = ("description", "deliverable", "note")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "section__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"], name="task_unique_number_in_section"
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_quarter__isnull=True)
                | models.Q(deadline_quarter__gte=1, deadline_quarter__lte=4),
                name="task_quarter_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(deadline_kind__in=["year", "year_range", "quarter"])
                | models.Q(deadline_year_from__isnull=False, deadline_year_to__isnull=False),
                name="task_dated_deadline_has_years",
            ),
            *limits.length_constraints(
                "task",
                description=limits.PARAGRAPH,
                deliverable=limits.NOTE,
                note=limits.NOTE,
                data_note=limits.NOTE,
                source_text=limits.PARAGRAPH,
            ),
        ]
        indexes = [
            models.Index(
                fields=["list_key", "id"],
                condition=models.Q(is_active=True),
                name="task_list_order",
            ),
            # The few retired tasks, left out of the review queue without a scan.
            models.Index(fields=["id"], condition=models.Q(is_active=False), name="task_retired"),
            # The task lists' counts and status filters (all, a place's plans, overdue,
            # completed or not, a deadline year) read this narrow index, ~100 bytes a task
            # (PostgreSQL's covering index: an index-only scan once vacuumed), not the
            # table's ~900-byte rows of text: a national count 24 → 3 ms. Its key finds the
            # tasks not completed (or completed) when they are few.
            models.Index(
                fields=["lead_completed_year"],
                include=[
                    "plan",
                    "lead_reported_years",
                    "deadline_kind",
                    "deadline_year_from",
                    "deadline_year_to",
                    "deadline_quarter",
                    "deadline_due_month",
                    "deadline_due_day",
                    "section",
                ],
                condition=models.Q(is_active=True),
                name="task_active_state",
            ),
            # "Overdue" (tasks.selectors.overdue_q): the tasks past their overall deadline
            # and not completed, and those past this year's report date, found from these
            # (a few of the country's tasks) instead of every task read to compute its date.
            models.Index(
                fields=["lead_completed_year", "deadline_due"],
                condition=models.Q(is_active=True, deadline_due__isnull=False),
                name="task_overdue_deadline",
            ),
            models.Index(
                fields=["yearly_due"],
                condition=models.Q(is_active=True, yearly_due__isnull=False),
                name="task_overdue_yearly",
            ),
        ]

    def __str__(self):
        return f"{self.section.number}.{self.number} {self.description[:60]}"

    LEAD_STATE_FIELDS = ("lead_completed_year", "lead_reported_years")
    # Written by what they follow (the reports, the assignments), never by a task's save().
    FOLLOWING_FIELDS = (*LEAD_STATE_FIELDS, "agencies_text")

    DUE_FIELDS = (
        *("deadline_kind", "deadline_year_from", "deadline_year_to", "deadline_quarter"),
        *("deadline_due_day", "deadline_due_month", "plan", "plan_id"),
    )

    def save(self, *args, **kwargs):
        self.search_text = task_search_text(self)
        fields = kwargs.get("update_fields")
        if fields is None or set(fields) & {"order", "section", "plan"}:
            self.list_key = task_list_key(self)  # two queries: only when it is written
        if fields is None or set(fields) & set(self.DUE_FIELDS):
            plan_due = Plan.objects.filter(pk=self.plan_id).values_list(
                "report_due_day", "report_due_month"
            )
            self.deadline_due, self.yearly_due = due_columns(self.deadline, *plan_due)
            if fields is not None:
                fields = {*fields, "deadline_due", "yearly_due"}
        if fields is not None and set(fields) & set(self.LEAD_STATE_FIELDS):
            raise ValueError("The lead state is kept by refresh_lead_state().")
        if fields is not None and "agencies_text" in fields:
            raise ValueError("The agencies' text is kept by refresh_agencies_text().")
        if fields is not None and set(fields) & set(self.SEARCHED_FIELDS):
            fields = {*fields, "search_text"}
        if fields is not None and set(fields) & {"order", "section", "plan"}:
            fields = {*fields, "list_key"}
        if fields is None and not self._state.adding:
            # Every column but the lead state and the agencies' text: this copy of the task
            # may be older than its reports and assignments (a form opened before a report
            # was sent or an agency assigned), and only refresh_lead_state() and
            # refresh_agencies_text() write what they say.
            fields = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.attname not in self.FOLLOWING_FIELDS
            ]
        if fields is not None:
            kwargs["update_fields"] = fields
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:  # a task restored with its pk may find its reports already there
            refresh_lead_state([self.pk])
            refresh_agencies_text([self.pk])

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("tasks:task_detail", args=[self.pk])

    @staticmethod
    def years_key(year: int) -> str:
        """How ``year`` appears in ``lead_reported_years``."""
        return f",{year},"

    def clean(self):
        if self.section_id and self.plan_id and self.section.plan_id != self.plan_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"section": _("The section belongs to another plan.")})

    @property
    def code(self) -> str:
        """The row's reference as people say it: "II.3"."""
        return f"{self.section.number}.{self.number}"

    @property
    def deadline(self) -> Deadline:
        return Deadline(
            text=self.deadline_text,
            kind=self.deadline_kind,
            year_from=self.deadline_year_from,
            year_to=self.deadline_year_to,
            quarter=self.deadline_quarter,
            due_day=self.deadline_due_day,
            due_month=self.deadline_due_month,
        )

    @property
    def deadline_understood(self) -> bool:
        return self.deadline_kind != DeadlineKind.UNKNOWN

    def agencies_in_role(self, role: str) -> list[Agency]:
        """Agencies of a role in the written order; uses prefetched assignments if any."""
        assignments = sorted(self.assignments.all(), key=lambda a: a.order)
        return [a.agency for a in assignments if a.role == role]

    @property
    def lead_agencies(self) -> list[Agency]:
        return self.agencies_in_role(AssignmentRole.LEAD)

    @property
    def partner_agencies(self) -> list[Agency]:
        return self.agencies_in_role(AssignmentRole.PARTNER)


class TaskAssignment(RemembersLoaded, models.Model):
    """An agency's place on a task: lead (chủ trì) or cooperating (phối hợp)."""

    REMEMBERED = ("task_id",)

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "role", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "agency"], name="assignment_unique_agency"),
        ]

    def __str__(self):
        return f"{self.agency} ({self.get_role_display()})"


class TaskReportQuerySet(models.QuerySet):
    def counted(self) -> "TaskReportQuerySet":
        """Reports that count (completeness, a task's status, the official report): the
        SQL form of :attr:`TaskReport.is_counted`, both built from ``COUNTED_STATES``."""
        return self.filter(state__in=COUNTED_STATES)

    def lead(self) -> "TaskReportQuerySet":
        """The lead agency's reports: each task's official ones."""
        return self.filter(role=AssignmentRole.LEAD)


class TaskReport(RemembersLoaded, models.Model):
    """An agency's yearly report on a task. The lead agency's report is the task's official
    one; cooperating agencies' reports are their contributions."""

    REMEMBERED = ("task_id",)

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="task_reports"
    )
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    progress = models.CharField(
        _("progress"),
        max_length=20,
        choices=ReportProgress.choices,
        default=ReportProgress.NOT_STARTED,
    )
    done = models.TextField(_("what was done"), blank=True, max_length=limits.PARAGRAPH)
    deliverable_ref = models.CharField(
        _("deliverable produced"),
        max_length=255,
        blank=True,
        help_text=_("E.g. the number and date of the document issued."),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True, max_length=limits.NOTE)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Counts saves; guards against concurrent edits.")
    )

    objects = TaskReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["task", "-year", "role", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "year", "agency"], name="taskreport_unique_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="taskreport_year_valid"
            ),
            *limits.length_constraints(
                "taskreport", done=limits.PARAGRAPH, review_comment=limits.NOTE
            ),
        ]
        indexes = [
            # The review queue, oldest first: its page reads the first fifty of an index
            # that holds only the reports waiting, not every report of the country; with
            # the task and year the queue's conditions read, it is counted from the index
            # alone (10 000 reports waiting: 3 → 1 ms).
            models.Index(
                fields=["submitted_at", "id"],
                include=["task", "year"],
                condition=models.Q(state=ReportState.SUBMITTED),
                name="taskreport_review_queue",
            )
        ]

    def __str__(self):
        return f"{self.task.code} – {self.agency} – {self.year}"

    @property
    def is_editable_by_agency(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)

    @property
    def is_counted(self) -> bool:
        """Whether the report counts: the Python form of ``TaskReport.objects.counted()``."""
        return self.state in COUNTED_STATES

    @property
    def is_official(self) -> bool:
        return self.role == AssignmentRole.LEAD


def evidence_path(instance, filename):
    return f"evidence/{instance.report.task.plan.slug}/{instance.report.year}/{filename}"


class TaskEvidence(models.Model):
    """A file proving a task's progress (PDF, DOCX, XLSX or an image), checked by content."""

    report = models.ForeignKey(
        TaskReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report", "uploaded_at"]

    def __str__(self):
        return self.name


class TaskReportEvent(models.Model):
    """One step of a report's workflow: who moved it from which state to which, and why."""

    report = models.ForeignKey(
        TaskReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(_("from"), max_length=20, choices=ReportState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ReportState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True, max_length=limits.NOTE)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.from_state} → {self.to_state}"


def lead_states(task_ids) -> dict[int, tuple[int | None, str]]:
    """Each task's (first year reported completed, years reported) from its lead reports
    that count and were submitted: one query."""
    reports: dict[int, list[tuple[int, str]]] = {}
    rows = (
        TaskReport.objects.lead()
        .counted()
        .filter(task_id__in=task_ids, submitted_at__isnull=False)
        .values_list("task_id", "year", "progress")
    )
    for task_id, year, progress in rows:
        reports.setdefault(task_id, []).append((year, progress))
    return {pk: lead_state_of(reports.get(pk, ())) for pk in task_ids}


def lead_state_of(reports) -> tuple[int | None, str]:
    """A task's (first year reported completed, years reported, as ``",2024,2025,"``) from
    the ``(year, progress)`` of its lead reports that count and were sent."""
    years = {year for year, _progress in reports}
    completed = [year for year, progress in reports if progress == ReportProgress.COMPLETED]
    return (
        min(completed) if completed else None,
        "".join(f",{y}" for y in sorted(years)) + "," if years else "",
    )


def refresh_list_keys(tasks) -> None:
    """Recompute ``Task.list_key`` of these tasks (a queryset): after their section, plan
    or place changed, or a bulk write. Only rows whose key changed are written."""
    changed = []
    for task in tasks.select_related("plan__locality", "section").only(
        "pk", "order", "list_key", "plan__slug", "plan__locality__name", "section__order"
    ):
        key = list_key(task.plan.locality.name, task.plan.slug, task.section.order, task.order)
        if key != task.list_key:
            task.list_key = key
            changed.append(task)
    Task.objects.bulk_update(changed, ["list_key"], batch_size=1000)


def due_columns(
    deadline: Deadline, plan_due: tuple[int | None, int | None] = (None, None)
) -> tuple[datetime.date | None, int | None]:
    """(``Task.deadline_due``, ``Task.yearly_due``): the last day of a task with an overall
    deadline (``Deadline.due_date``); else when its yearly report is due, as month × 100 +
    day: its phrase's date, else the plan's ``(day, month)``, else 15/12. A day past the
    month's end stands for the month's last day (it compares as that day would)."""
    try:
        due = deadline.due_date()
    except ValueError:  # "31/4": the month's last day
        last = calendar.monthrange(deadline.year_to, deadline.due_month)[1]
        due = datetime.date(deadline.year_to, deadline.due_month, last)
    if due is not None:
        return due, None
    if deadline.kind in RECURRING_KINDS and deadline.due_day and deadline.due_month:
        return None, deadline.due_month * 100 + deadline.due_day
    day, month = plan_due if None not in plan_due else REPORT_DUE
    return None, month * 100 + day


def refresh_due_columns(tasks) -> None:
    """Recompute ``Task.deadline_due`` and ``yearly_due`` of these tasks (after their plan's
    date changed)."""
    changed = []
    rows = tasks.select_related("plan").only(
        *(f.attname for f in Task._meta.concrete_fields if f.name.startswith("deadline_")),
        "yearly_due",
        "plan__report_due_day",
        "plan__report_due_month",
    )
    for task in rows:
        due = due_columns(task.deadline, (task.plan.report_due_day, task.plan.report_due_month))
        if due != (task.deadline_due, task.yearly_due):
            task.deadline_due, task.yearly_due = due
            changed.append(task)
    Task.objects.bulk_update(changed, ["deadline_due", "yearly_due"], batch_size=1000)


def agencies_texts(task_ids, agency_texts=None) -> dict[int, str]:
    """Each task's ``Task.agencies_text``: the search texts of its assigned agencies, in
    the order of their ids, a line break apart (a search never matches across two). One
    query; ``agency_texts`` (agency id → search text) replaces the agencies' stored ones."""
    texts: dict[int, list[str]] = {pk: [] for pk in task_ids}
    rows = (
        TaskAssignment.objects.filter(task_id__in=task_ids)
        .order_by("task_id", "agency_id")
        .values_list("task_id", "agency_id", "agency__search_text")
    )
    for task_id, agency_id, text in rows:
        texts[task_id].append(text if agency_texts is None else agency_texts[agency_id])
    return {pk: "\n".join(found) for pk, found in texts.items()}


def refresh_agencies_text(task_ids) -> None:
    """Recompute ``Task.agencies_text`` of these tasks: after an agency was assigned,
    unassigned or renamed. Only rows whose text changed are written."""
    task_ids = sorted(set(task_ids))
    for start in range(0, len(task_ids), 1000):
        chunk = task_ids[start : start + 1000]
        right = agencies_texts(chunk)
        changed = [
            Task(pk=pk, agencies_text=right[pk])
            for pk, text in Task.objects.filter(pk__in=chunk).values_list("pk", "agencies_text")
            if text != right[pk]
        ]
        Task.objects.bulk_update(changed, ["agencies_text"])


def lead_state(task_id: int | None) -> tuple[int | None, str]:
    """A task's stored lead state as its reports give it (none for a task not yet saved)."""
    if task_id is None:
        return None, ""
    return lead_states([task_id])[task_id]


def refresh_lead_state(task_ids) -> None:
    """Recompute ``Task.lead_completed_year`` and ``lead_reported_years`` of these tasks
    (after their reports changed; bulk writers call it for the tasks they touched). Only
    rows whose state changed are written."""
    task_ids = list(set(task_ids))
    for start in range(0, len(task_ids), 1000):
        chunk = task_ids[start : start + 1000]
        states = lead_states(chunk)
        changed = [
            Task(pk=pk, lead_completed_year=done, lead_reported_years=years)
            for pk, done, years in Task.objects.filter(pk__in=chunk).values_list(
                "pk", "lead_completed_year", "lead_reported_years"
            )
            if (done, years) != states[pk]
        ]
        for task in changed:
            task.lead_completed_year, task.lead_reported_years = states[task.pk]
        Task.objects.bulk_update(changed, ["lead_completed_year", "lead_reported_years"])


class CompletenessSummary(models.Model):
    """A plan's reporting rate for a year as :func:`tasks.selectors.plans_completeness`
    computes it, kept for the pages that list many plans (the leadership's home page):
    computing it walks every task, report and group member of the plan. A row is deleted
    when anything it was computed from changes (``tasks.signals``) and is not used after
    ``settings.KTTT_COMPLETENESS_MAX_AGE`` seconds, so a change made outside the models
    (a bulk write, SQL) shows within that time."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    expected = models.PositiveIntegerField(_("reports expected"))
    received = models.PositiveIntegerField(_("reports received"))
    agencies_missing = models.PositiveIntegerField(_("agencies missing"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("completeness summary")
        verbose_name_plural = _("completeness summaries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="completenesssummary_unique")
        ]

    def __str__(self):
        return f"{self.plan} {self.year}: {self.received}/{self.expected}"
