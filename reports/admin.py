from django.contrib import admin
from django_tasks_db.models import DBTaskResult
from simple_history.admin import SimpleHistoryAdmin

from plans.admin_years import FinalYearAdminMixin, NoRevertMixin

from .models import AnnualReport, BuiltReportFile


@admin.register(AnnualReport)
class AnnualReportAdmin(NoRevertMixin, FinalYearAdminMixin, SimpleHistoryAdmin):
    """Reports are finalised and reopened from the portal (with a reason); here they can
    be read and their texts corrected."""

    list_display = ["plan", "year", "status", "finalised_at", "finalised_by", "pdf_sha256"]
    list_filter = ["status", "year", "plan"]
    search_fields = ["plan__number", "difficulties", "proposals"]
    list_select_related = ["plan", "plan__locality", "finalised_by"]
    autocomplete_fields = ["reporting_body"]
    readonly_fields = [
        "status",
        "finalised_at",
        "finalised_by",
        "report_date",
        "pdf",
        "xlsx",
        "pdf_sha256",
        "xlsx_sha256",
    ]


@admin.register(BuiltReportFile)
class BuiltReportFileAdmin(admin.ModelAdmin):
    """Files built by the worker (``reports.builds``): read-only; deleting one only means
    the next download builds it again."""

    list_display = ["kind", "format", "plan", "year", "status", "step", "created_at", "finished_at"]
    list_filter = ["status", "kind", "format", "year"]
    list_select_related = ["plan"]
    readonly_fields = [f.name for f in BuiltReportFile._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The queue's own table (django-tasks) is the worker's business: its page is in English and
# says less than the built files' page above; the worker's log has the tracebacks.
admin.site.unregister(DBTaskResult)
