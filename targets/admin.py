from django import forms
from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.admin_years import FinalYearAdminMixin, NoRevertMixin

from .models import Figure, FigureSheet, Indicator, Target
from .validation import value_problems


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


class FigureAdminForm(forms.ModelForm):
    """The same per-value check as the entry page and the workbook."""

    def clean(self):
        cleaned = super().clean()
        indicator, value = cleaned.get("indicator"), cleaned.get("value")
        if indicator is not None and value is not None:
            for problem in value_problems(value, is_count=indicator.is_count):
                self.add_error("value", problem)
            if indicator.is_derived:
                self.add_error("indicator", _("This share is computed, not entered."))
        return cleaned


@admin.register(Figure)
class FigureAdmin(FinalYearAdminMixin, SimpleHistoryAdmin):
    form = FigureAdminForm
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
        # An admin's edit is a save like any other: a figure page opened before it is
        # refused as stale instead of overwriting it.
        sheet, _created = FigureSheet.objects.get_or_create(plan=obj.plan, year=obj.year)
        FigureSheet.objects.filter(pk=sheet.pk).update(version=F("version") + 1)


@admin.register(FigureSheet)
class FigureSheetAdmin(NoRevertMixin, SimpleHistoryAdmin):
    """A year's figure sheet: its version guards concurrent saves. Read only: whether the
    year is final is the reporting year's business (Năm báo cáo), reopened from the report."""

    list_display = ["plan", "year", "version", "changed_at"]
    list_filter = ["year", "plan"]
    search_fields = ["plan__number"]
    list_select_related = ["plan", "plan__locality"]
    readonly_fields = ["plan", "year", "version", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
