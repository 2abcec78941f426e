from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import Agency, Plan

from .choices import AssignmentRole, DeadlineKind
from .deadlines import Deadline


class TaskSection(models.Model):
    """A section of a plan's task table ("II. Tiếp tục đổi mới, hoàn thiện cơ chế…")."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="task_sections"
    )
    number = models.CharField(_("number"), max_length=10, help_text=_("Roman numeral, e.g. II."))
    title = models.TextField(_("title"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("task section")
        verbose_name_plural = _("task sections")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="tasksection_unique_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Task(models.Model):
    """An assigned task, in the columns of Đắk Nông's appendix."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    section = models.ForeignKey(
        TaskSection, verbose_name=_("section"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.CharField(_("number (TT)"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("task (Nhiệm vụ)"))
    agencies = models.ManyToManyField(
        Agency, through="TaskAssignment", verbose_name=_("agencies"), related_name="tasks"
    )
    deliverable = models.TextField(_("deliverable (Sản phẩm hoàn thành)"), blank=True)
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
    note = models.TextField(_("note (Ghi chú)"), blank=True)
    data_note = models.TextField(
        _("data note"),
        blank=True,
        help_text=_("How the row was taken from the document: corrections, readings."),
    )
    source_text = models.TextField(_("passage in the document"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

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
        ]

    def __str__(self):
        return f"{self.section.number}.{self.number} {self.description[:60]}"

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


class TaskAssignment(models.Model):
    """An agency's place on a task: lead (chủ trì) or cooperating (phối hợp)."""

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
