from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Figure, FigureSheet, Indicator, Target
from .services import figure_sheet_set_lock


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "is_flow", "numerator", "denominator", "order"]
    list_filter = ["unit", "is_flow"]
    search_fields = ["code", "name"]
    list_editable = ["order"]
    list_select_related = ["numerator", "denominator"]
    autocomplete_fields = ["numerator", "denominator"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = [
        "plan",
        "milestone_label",
        "indicator",
        "comparator",
        "value",
        "value_max",
        "parent",
        "newly_founded",
        "text",
    ]
    list_filter = [
        "plan",
        "milestone_year",
        "is_yearly",
        "comparator",
        "indicator__unit",
        "newly_founded",
    ]
    search_fields = ["text", "source_text", "code", "indicator__name"]
    list_select_related = ["plan", "plan__locality", "indicator", "parent"]
    autocomplete_fields = ["plan", "indicator", "parent"]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = [
        "plan",
        "year",
        "indicator",
        "value",
        "status",
        "is_demo",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["plan", "year", "status", "is_demo", "indicator__unit"]
    search_fields = ["indicator__name", "note", "source", "plan__number"]
    list_select_related = ["plan", "plan__locality", "indicator", "entered_by"]
    autocomplete_fields = ["plan", "indicator"]
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FigureSheet)
class FigureSheetAdmin(SimpleHistoryAdmin):
    """Lock or reopen a year's figures: the reason is required and kept in the history."""

    list_display = ["plan", "year", "is_locked", "lock_reason", "version", "changed_at"]
    list_filter = ["is_locked", "year", "plan"]
    search_fields = ["plan__number", "lock_reason"]
    list_select_related = ["plan", "plan__locality"]
    readonly_fields = ["version", "changed_at"]
    fields = ["plan", "year", "is_locked", "lock_reason", "version", "changed_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "plan", "year"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change and "is_locked" in form.changed_data:
            if not obj.lock_reason.strip():
                obj.lock_reason = "—"
            figure_sheet_set_lock(
                plan=obj.plan,
                year=obj.year,
                locked=obj.is_locked,
                user=request.user,
                reason=obj.lock_reason,
            )
            return
        super().save_model(request, obj, form, change)
