from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.admin_years import FinalYearAdminMixin, NoRevertMixin

from .models import AnnualReport


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
