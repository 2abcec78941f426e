"""The plan's admin page: the plan with its sections, targets and tasks inline."""

import datetime

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from plans.chain import addressee_problem
from plans.models import Plan
from targets.admin import TargetInline
from tasks.admin import TaskInline, TaskSectionInline
from tasks.models import Task
from tasks.services import task_apply_deadline


class PlanAdminForm(forms.ModelForm):
    """Refuses a "Kính gửi" body below the report's issuer (``plans.chain``)."""

    class Meta:
        model = Plan
        fields = "__all__"  # noqa: DJ007 - the admin shows every field of the plan

    def clean(self):
        cleaned = super().clean()
        issuer = cleaned.get("report_issuer") or cleaned.get("issuing_body")
        start = cleaned.get("start_year")
        if issuer is None or not start:
            return cleaned
        problems = [
            problem
            for agency in cleaned.get("report_addressees") or []
            for year in (start, timezone.localdate().year)
            if (problem := addressee_problem(issuer, agency, datetime.date(year, 12, 31)))
        ]
        if problems:
            self.add_error("report_addressees", sorted(set(problems)))
        return cleaned


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    form = PlanAdminForm
    list_display = [
        "number",
        "kind",
        "locality",
        "level",
        "issued_on",
        "issuing_body",
        "coordinating_body",
        "start_year",
    ]
    list_filter = ["kind", "level", "locality"]
    search_fields = ["number", "title", "slug", "signer_name"]
    list_select_related = ["locality", "issuing_body", "coordinating_body"]
    autocomplete_fields = [
        "issuing_body",
        "locality",
        "coordinating_body",
        "report_issuer",
        "report_addressees",
    ]
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
                    "coordinating_body",
                    "report_frequency",
                    "report_due_day",
                    "report_due_month",
                    "reporting_text",
                ]
            },
        ),
        (
            _("The yearly report"),
            {
                "fields": [
                    "report_issuer",
                    "report_addressees",
                    "report_sign_authority",
                    "report_sign_deputy",
                    "report_sign_title",
                    "report_signer_name",
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
