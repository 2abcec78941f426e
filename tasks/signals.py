"""What the models keep in step: a task's lead state follows its reports, its place in the
lists (``Task.list_key``) follows its section, plan and place, its agencies' search text
(``Task.agencies_text``) follows its assignments and their names, and a plan's stored
reporting rate (``CompletenessSummary``) is cleared when anything it was computed
from changes. Receivers, not ``save()`` overrides: a deletion that cascades from a plan, a
task or an agency sends them too. A row moved (a report to another task, a task to another
plan) updates the side it left as well (``RemembersLoaded``)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from plans.models import Agency, Locality, Plan

from .models import (
    CompletenessSummary,
    Task,
    TaskAssignment,
    TaskReport,
    TaskSection,
    refresh_agencies_text,
    refresh_due_columns,
    refresh_lead_state,
    refresh_list_keys,
)


def _clear(summaries) -> None:
    """Delete these summaries now, and once more when the transaction commits: a page that
    read the data before the commit may have stored what it computed in between."""
    summaries.delete()
    transaction.on_commit(summaries.delete)


def _clear_plans(plan_ids) -> None:
    _clear(CompletenessSummary.objects.filter(plan_id__in=[pk for pk in plan_ids if pk]))


def _plans_of(*task_ids) -> list:
    return list(Task.objects.filter(pk__in=task_ids).values_list("plan_id", flat=True))


def _moved(instance, name) -> list:
    """The column's value now and, if it changed since the row was read, before; the row
    then remembers the new one."""
    values = [getattr(instance, name), instance.former(name)]
    instance.loaded_values = {**getattr(instance, "loaded_values", {}), name: values[0]}
    return [value for value in values if value is not None]


@receiver([post_save, post_delete], sender=TaskReport)
def report_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata (a restore): the tasks' stored state comes with them
        return
    tasks = _moved(instance, "task_id")
    refresh_lead_state(tasks)
    _clear_plans(_plans_of(*tasks))


@receiver([post_save, post_delete], sender=Task)
def task_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _clear_plans(_moved(instance, "plan_id"))


@receiver([post_save, post_delete], sender=TaskAssignment)
def assignment_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        tasks = _moved(instance, "task_id")
        refresh_agencies_text(tasks)
        _clear_plans(_plans_of(*tasks))


@receiver([post_save], sender=Agency)
def agency_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """Renamed: the tasks it is assigned find it by its new name (only their rows whose
    text changed are written)."""
    named = update_fields is None or {"name", "short_name", "search_text"} & set(update_fields)
    if not raw and named:
        refresh_agencies_text(instance.assignments.values_list("task_id", flat=True))


@receiver([post_save], sender=Plan)
def plan_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # its report date, its place, its slug
        _clear_plans([instance.pk])
        refresh_list_keys(Task.objects.filter(plan=instance))
        refresh_due_columns(Task.objects.filter(plan=instance))


@receiver([post_save], sender=TaskSection)
def section_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # moved up or down
        refresh_list_keys(Task.objects.filter(section=instance))


@receiver([post_save], sender=Locality)
def place_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # renamed
        refresh_list_keys(Task.objects.filter(plan__locality=instance))


@receiver([post_save, post_delete], sender=Agency)
@receiver([post_save, post_delete], sender=Locality)
@receiver(m2m_changed, sender=Agency.members.through)
def bodies_changed(sender, raw=False, action="post", **kwargs):
    """An agency or a place: who is in which group, who took over whom. Rare (an
    administrator's edit) and reaching any plan, so every summary is cleared."""
    if not raw and action.startswith("post"):
        _clear(CompletenessSummary.objects.all())
