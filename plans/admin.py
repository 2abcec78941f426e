from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from targets.models import Target
from tasks.models import Task, TaskSection
from tasks.services import task_apply_deadline

from .admin_years import NoRevertMixin, TaskRowsFormSet
from .models import Agency, Document, Locality, Plan, PlanYear


@admin.register(PlanYear)
class PlanYearAdmin(NoRevertMixin, SimpleHistoryAdmin):
    """Final years are set by finalising a report and reopened from the report's page
    (an administrator, with a reason): here they are read, with their history."""

    list_display = ["plan", "year", "is_final", "reason", "changed_at"]
    list_filter = ["is_final", "year", "plan"]
    list_select_related = ["plan", "plan__locality"]
    readonly_fields = ["plan", "year", "is_final", "reason", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent", "successor", "successor_from", "dissolved_on"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "successor"]
    autocomplete_fields = ["parent", "successor"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "locality",
        "parent",
        "successor",
        "successor_from",
    ]
    list_filter = ["kind", "locality"]
    search_fields = ["name", "short_name", "aliases"]
    list_select_related = ["locality", "parent", "successor"]
    autocomplete_fields = ["locality", "parent", "successor"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_on", "issuer", "title"]
    search_fields = ["number", "issuer", "title"]
    date_hierarchy = "issued_on"


class TargetInline(admin.TabularInline):
    model = Target
    fk_name = "plan"
    extra = 0
    fields = [
        "code",
        "milestone_year",
        "is_yearly",
        "indicator",
        "comparator",
        "value",
        "value_max",
        "parent",
        "newly_founded",
        "text",
    ]
    autocomplete_fields = ["indicator"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and getattr(request, "_plan_obj", None) is not None:
            kwargs["queryset"] = Target.objects.filter(plan=request._plan_obj)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator", "parent")


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
    fields = ["number", "title", "order"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "kind",
        "locality",
        "level",
        "issued_on",
        "issuing_body",
        "reports_to",
        "start_year",
    ]
    list_filter = ["kind", "level", "locality"]
    search_fields = ["number", "title", "slug", "signer_name"]
    list_select_related = ["locality", "issuing_body", "reports_to"]
    autocomplete_fields = ["issuing_body", "locality", "reports_to", "reports_via"]
    filter_horizontal = ["implements"]
    prepopulated_fields = {"slug": ["number"]}
    inlines = [TaskSectionInline, TargetInline, TaskInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "kind",
                    "number",
                    "title",
                    "level",
                    "locality",
                    "issuing_body",
                    "start_year",
                ]
            },
        ),
        (
            _("Issue and signature"),
            {"fields": ["issued_on", "place", "signer_name", "signer_title", "implements"]},
        ),
        (
            _("Reporting"),
            {
                "fields": [
                    "reports_to",
                    "reports_via",
                    "report_frequency",
                    "report_due_day",
                    "report_due_month",
                    "reporting_text",
                ]
            },
        ),
        (_("Source"), {"fields": ["seed_file", "note"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        request._plan_obj = obj
        return super().get_form(request, obj, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is Task:
            for task_form in formset.forms:
                if task_form.has_changed() and not task_form.cleaned_data.get("DELETE"):
                    task_apply_deadline(task=task_form.instance)
        super().save_formset(request, form, formset, change)
