"""The admin asks the same question as every other path: is this plan's year final?
Rows of a final year are read-only; a new row for a final year is refused with a message;
the bulk delete action, which bypasses per-row checks, is not offered."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from .years import YearIsFinal, year_ensure_open, year_is_final


def _plan_year(obj):
    """(plan, year) of a row that belongs to a plan's year: figures, task reports,
    evidence files, annual reports."""
    if obj is None:
        return None, None
    if hasattr(obj, "report_id") and not hasattr(obj, "year"):  # evidence, events
        obj = obj.report
    plan = obj.task.plan if hasattr(obj, "task_id") else obj.plan
    return plan, obj.year


def _saved_row_is_final(obj) -> bool:
    if obj is None or obj.pk is None:
        return False
    plan, year = _plan_year(obj)
    return year_is_final(plan=plan, year=year)


class FinalYearAdminMixin:
    """For a ModelAdmin of rows keyed by a plan's year."""

    def _final(self, obj) -> bool:
        return _saved_row_is_final(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._final(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._final(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class FinalYearForm(base):
            def _post_clean(self):
                super()._post_clean()
                try:
                    plan, year = _plan_year(self.instance)
                except ObjectDoesNotExist:  # an incomplete row: the field errors say why
                    return
                if plan is not None and year and year_is_final(plan=plan, year=year):
                    self.add_error(None, YearIsFinal(year))

        return FinalYearForm

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            plan, year = _plan_year(obj)
            year_ensure_open(plan=plan, year=year)
            super().save_model(request, obj, form, change)


def task_keeps_its_reports_problem(task, *, deleting: bool, new_plan_id=None) -> str | None:
    """A task that has reports in a final year cannot be deleted (its reports would go
    with it); a task that has any report cannot move to another plan (its reports would
    leave their plan's year)."""
    if task is None or task.pk is None:
        return None
    if deleting:
        years = sorted(set(task.reports.values_list("year", flat=True)))
        final = [y for y in years if year_is_final(plan=task.plan, year=y)]
        if final:
            message = _(
                "Task %(code)s has reports in a finalised year (%(years)s): "
                "it cannot be deleted; retire it instead."
            )
            return message % {"code": task.code, "years": ", ".join(map(str, final))}
    elif new_plan_id is not None and new_plan_id != task.plan_id and task.reports.exists():
        return _("Task %(code)s has reports: it stays in its plan.") % {"code": task.code}
    return None


class TaskRowsFormSet(BaseInlineFormSet):
    """The plan admin's task rows: a row with reports of a final year cannot be deleted."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            problem = task_keeps_its_reports_problem(form.instance, deleting=True)
            if problem:
                raise ValidationError(problem)


class NoRevertMixin:
    """For a SimpleHistoryAdmin whose rows carry workflow state (a year's finality, a
    report's status, a sheet's version): the history can be read, not reverted, since a
    revert would restore a past state without going through the rule that sets it."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class FinalYearInlineMixin:
    """For an inline whose parent row belongs to a plan's year."""

    def _final(self, obj) -> bool:
        return _saved_row_is_final(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._final(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._final(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._final(obj)
