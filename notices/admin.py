from django.contrib import admin

from .models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """What the daily reminders sent: read only (the record keeps them from repeating)."""

    list_display = ["sent_at", "agency", "plan", "year", "due_on", "days_before", "recipients"]
    list_filter = ["year", "days_before"]
    search_fields = ["agency__name", "plan__number", "recipients"]
    list_select_related = ["agency", "plan"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
