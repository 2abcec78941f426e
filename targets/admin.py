from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "is_flow", "order"]
    list_filter = ["unit", "is_flow"]
    search_fields = ["code", "name"]
    list_editable = ["order"]


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
