from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.admin_years import (
    FinalYearAdminMixin,
    FinalYearInlineMixin,
    NoRevertMixin,
    TaskRowsFormSet,
    task_keeps_its_reports_problem,
)

from .models import (
    CompletenessSummary,
    Task,
    TaskAssignment,
    TaskEvidence,
    TaskReport,
    TaskReportEvent,
    TaskSection,
)
from .services import task_apply_deadline


class TaskAssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 1
    fields = ["agency", "role", "order"]
    autocomplete_fields = ["agency"]


class TaskAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        problem = task_keeps_its_reports_problem(
            self.instance if self.instance.pk else None,
            deleting=False,
            new_plan_id=plan.pk if plan else None,
        )
        if problem:
            self.add_error("plan", problem)
        return cleaned


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    form = TaskAdminForm
    list_display = [
        "code_display",
        "plan",
        "description",
        "deadline_text",
        "deadline_kind",
        "is_active",
    ]
    list_filter = ["plan", "deadline_kind", "is_active", "section__number"]
    search_fields = ["description", "deliverable", "note", "assignments__agency__name"]
    search_help_text = _("Search the task, its deliverable, note or agencies.")
    list_select_related = ["plan", "plan__locality", "section"]
    autocomplete_fields = ["plan", "section"]
    readonly_fields = [
        "deadline_kind",
        "deadline_year_from",
        "deadline_year_to",
        "deadline_quarter",
        "deadline_due_day",
        "deadline_due_month",
    ]
    inlines = [TaskAssignmentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "plan",
                    "section",
                    "number",
                    "order",
                    "description",
                    "deliverable",
                    "note",
                    "source_text",
                    "is_active",
                ]
            },
        ),
        (
            _("Deadline"),
            {
                "fields": [
                    "deadline_text",
                    "deadline_kind",
                    "deadline_year_from",
                    "deadline_year_to",
                    "deadline_quarter",
                    "deadline_due_day",
                    "deadline_due_month",
                ]
            },
        ),
    ]

    @admin.display(description=_("TT"), ordering="section__order")
    def code_display(self, obj):
        return obj.code

    def save_model(self, request, obj, form, change):
        task_apply_deadline(task=obj)
        super().save_model(request, obj, form, change)


@admin.register(TaskSection)
class TaskSectionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "title", "order", "is_active"]
    list_filter = ["plan", "is_active"]
    search_fields = ["title", "plan__number"]
    list_select_related = ["plan", "plan__locality"]


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["task", "agency", "role", "order"]
    list_filter = ["role", "task__plan"]
    search_fields = ["agency__name", "task__description"]
    list_select_related = ["task", "task__section", "agency"]
    autocomplete_fields = ["task", "agency"]


class TaskEvidenceInline(FinalYearInlineMixin, admin.TabularInline):
    model = TaskEvidence
    extra = 0
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = True


class TaskReportEventInline(admin.TabularInline):
    model = TaskReportEvent
    extra = 0
    fields = ["at", "user", "from_state", "to_state", "comment"]
    readonly_fields = fields
    can_delete = False


@admin.register(TaskReport)
class TaskReportAdmin(NoRevertMixin, FinalYearAdminMixin, SimpleHistoryAdmin):
    list_display = ["task", "year", "agency", "role", "progress", "state", "submitted_at"]
    list_filter = ["year", "state", "progress", "role", "task__plan"]
    search_fields = ["agency__name", "task__description", "done", "deliverable_ref"]
    list_select_related = ["task", "task__section", "agency"]
    autocomplete_fields = ["task", "agency"]
    readonly_fields = ["submitted_at", "updated_by", "updated_at", "version"]
    inlines = [TaskEvidenceInline, TaskReportEventInline]

    def save_model(self, request, obj, form, change):
        # An admin's correction is a save like any other: an agency page opened before it
        # is refused as stale instead of overwriting it.
        obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TaskEvidence)
class TaskEvidenceAdmin(FinalYearAdminMixin, admin.ModelAdmin):
    list_display = ["name", "report", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = [
        "report",
        "report__task",
        "report__task__section",
        "report__agency",
        "uploaded_by",
    ]
    search_fields = ["name", "report__agency__name"]
    readonly_fields = ["report", "file", "name", "content_type", "size", "uploaded_by"]

    # Evidence comes from the agencies through the portal, where its content is checked
    # (tasks/evidence.py); here it is read, or deleted while its year is open.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TaskReportEvent)
class TaskReportEventAdmin(FinalYearAdminMixin, admin.ModelAdmin):
    list_display = ["report", "from_state", "to_state", "user", "at", "comment"]
    list_filter = ["to_state"]
    list_select_related = [
        "report",
        "report__task",
        "report__task__section",
        "report__agency",
        "user",
    ]
    search_fields = ["comment", "report__agency__name"]


@admin.register(CompletenessSummary)
class CompletenessSummaryAdmin(admin.ModelAdmin):
    """Reporting rates stored for the home page (``tasks.signals`` clears them when their
    data changes): read-only; deleting one only means the next page computes it again."""

    list_display = ["plan", "year", "expected", "received", "agencies_missing", "computed_at"]
    list_filter = ["year"]
    list_select_related = ["plan", "plan__locality"]
    search_fields = ["plan__number", "plan__locality__name"]
    readonly_fields = [f.name for f in CompletenessSummary._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TaskInline(admin.TabularInline):
    model = Task
    formset = TaskRowsFormSet
    extra = 0
    fields = [
        "section",
        "number",
        "order",
        "description",
        "deliverable",
        "deadline_text",
        "deadline_kind",
        "is_active",
    ]
    readonly_fields = ["deadline_kind"]
    show_change_link = True
    verbose_name_plural = _("tasks (agencies are edited on each task's page)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section" and getattr(request, "_plan_obj", None) is not None:
            kwargs["queryset"] = TaskSection.objects.filter(plan=request._plan_obj)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")


class TaskSectionInline(admin.TabularInline):
    model = TaskSection
    extra = 0
    fields = ["number", "title", "order", "is_active"]
    show_change_link = True
