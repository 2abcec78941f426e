from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .admin_years import NoRevertMixin
from .models import Agency, Document, Locality, PlanYear


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
    autocomplete_fields = ["locality", "parent", "successor", "members"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_on", "issuer", "title"]
    search_fields = ["number", "issuer", "title"]
    date_hierarchy = "issued_on"
