from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.admin_years import NoRevertMixin
from plans.places import Place, reading_plans
from plans.years import YearIsFinal, final_plans

from .models import (
    Figure,
    FigureConflict,
    FigureSheet,
    Indicator,
    IndicatorDefinition,
    ProgressSummary,
    Target,
)
from .services import place_ensure_open
from .validation import value_problems


class IndicatorDefinitionInline(admin.TabularInline):
    model = IndicatorDefinition
    extra = 0
    fields = ["from_year", "text", "basis"]


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(SimpleHistoryAdmin):
    """What an indicator counts from a year on (also edited inline on the indicator)."""

    list_display = ["indicator", "from_year", "basis"]
    list_filter = ["from_year"]
    search_fields = ["indicator__name", "text", "basis"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    """The catalogue: an administrator adds, renames and retires indicators (a retired one
    is no longer asked for; its figures stay) and keeps each definition with the year it
    came into force."""

    list_display = [
        "code",
        "name",
        "unit",
        "is_flow",
        "computation",
        "numerator",
        "denominator",
        "in_statistics",
        "is_active",
        "order",
    ]
    list_filter = ["unit", "is_flow", "computation", "in_statistics", "is_active"]
    search_fields = ["code", "name"]
    list_editable = ["order"]
    list_select_related = ["numerator", "denominator"]
    autocomplete_fields = ["numerator", "denominator"]
    inlines = [IndicatorDefinitionInline]

    def has_delete_permission(self, request, obj=None):
        # Retire instead: figures and targets keep pointing at it.
        return False


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
            for problem in value_problems(
                value, is_count=indicator.is_count, is_share=indicator.is_share
            ):
                self.add_error("value", problem)
            if indicator.is_derived:
                self.add_error("indicator", _("This share is computed, not entered."))
        locality, year = cleaned.get("locality"), cleaned.get("year")
        if locality is not None and year:
            row = Figure(locality=locality, area=cleaned.get("area"), year=year)
            if _place_is_final(row):
                self.add_error(None, YearIsFinal(year))
        return cleaned


def _place(obj) -> Place:
    return Place(obj.locality, obj.area, obj.year)


def _place_is_final(obj) -> bool:
    plans = reading_plans(_place(obj))
    return bool(final_plans(plans=plans, year=obj.year))


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    """A place's figure (``plans.places``). Like every other path in: a year that a plan
    reading the figure has finalised is read-only, and a save bumps the sheet's version."""

    form = FigureAdminForm
    list_display = [
        "locality",
        "area",
        "year",
        "indicator",
        "value",
        "status",
        "is_demo",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["year", "status", "is_demo", "indicator__unit", "locality"]
    search_fields = ["indicator__name", "note", "source", "locality__name", "area__name"]
    list_select_related = ["locality", "area", "indicator", "entered_by"]
    autocomplete_fields = ["locality", "area", "indicator"]
    readonly_fields = ["entered_by", "entered_at", "entered_for"]

    def _final(self, obj) -> bool:
        return obj is not None and obj.pk is not None and _place_is_final(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._final(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._final(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        with transaction.atomic():
            place_ensure_open(_place(obj))
            super().save_model(request, obj, form, change)
            # An admin's edit is a save like any other: a figure page opened before it is
            # refused as stale instead of overwriting it.
            where = {"locality": obj.locality, "area": obj.area, "year": obj.year}
            sheet, _created = FigureSheet.objects.get_or_create(**where)
            FigureSheet.objects.filter(pk=sheet.pk).update(version=F("version") + 1)


@admin.register(FigureSheet)
class FigureSheetAdmin(NoRevertMixin, SimpleHistoryAdmin):
    """A place's figure sheet for a year: its version guards concurrent saves. Read only:
    whether the year is final is the reporting year's business (Năm báo cáo)."""

    list_display = ["locality", "area", "year", "version", "changed_at"]
    list_filter = ["year"]
    search_fields = ["locality__name", "area__name"]
    list_select_related = ["locality", "area"]
    readonly_fields = ["locality", "area", "year", "version", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FigureConflict)
class FigureConflictAdmin(SimpleHistoryAdmin):
    """Values two plans of one place disagreed on when figures moved to places: the kept
    figure is the latest entered; an administrator checks each one, corrects the figure if
    needed and marks the conflict resolved."""

    list_display = [
        "locality",
        "area",
        "year",
        "indicator",
        "plan",
        "value",
        "kept_value",
        "entered_by",
        "entered_at",
        "is_resolved",
    ]
    list_filter = ["is_resolved", "year", "locality"]
    list_select_related = ["locality", "area", "indicator", "plan", "entered_by"]
    readonly_fields = [
        "locality",
        "area",
        "year",
        "indicator",
        "plan",
        "value",
        "kept_value",
        "status",
        "note",
        "source",
        "entered_by",
        "entered_at",
    ]
    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark the selected conflicts as resolved"))
    def mark_resolved(self, request, queryset):
        for conflict in queryset.filter(is_resolved=False):
            conflict.is_resolved = True
            conflict._history_user = request.user
            conflict.save(update_fields=["is_resolved"])


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


@admin.register(ProgressSummary)
class ProgressSummaryAdmin(admin.ModelAdmin):
    """The plans' progress stored for the home page's cards (``targets.signals`` clears
    them when their data changes): read-only; deleting one only means the next page
    computes it again."""

    list_display = ["plan", "year", "light", "computed_at"]
    list_filter = ["year", "light"]
    list_select_related = ["plan", "plan__locality"]
    search_fields = ["plan__number", "plan__locality__name"]
    readonly_fields = [f.name for f in ProgressSummary._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
