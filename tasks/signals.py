"""What the models keep in step: a task's lead state follows its reports, its place in the
lists (``Task.list_key``) follows its section, plan and place, and a plan's stored
reporting rate (``CompletenessSummary``) is cleared when anything it was computed
from changes. Receivers, not ``save()`` overrides: a deletion that cascades from a plan, a
task or an agency sends them too."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from plans.models import Agency, Locality, Plan

from .models import (
    CompletenessSummary,
    Task,
    TaskAssignment,
    TaskReport,
    TaskSection,
    refresh_lead_state,
    refresh_list_keys,
)


def _clear_plans(plan_ids) -> None:
    """Delete the summaries of these plans (ids, or a query of ids)."""
    CompletenessSummary.objects.filter(plan_id__in=plan_ids).delete()


def _plan_of(task_id):
    return Task.objects.filter(pk=task_id).values("plan_id")


@receiver([post_save, post_delete], sender=TaskReport)
def report_changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata (a restore): the tasks' stored state comes with them
        return
    refresh_lead_state([instance.task_id])
    _clear_plans(_plan_of(instance.task_id))


@receiver([post_save, post_delete], sender=Task)
def task_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _clear_plans([instance.plan_id])


@receiver([post_save, post_delete], sender=TaskAssignment)
def assignment_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _clear_plans(_plan_of(instance.task_id))


@receiver([post_save], sender=Plan)
def plan_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # its report date, its place, its slug
        _clear_plans([instance.pk])
        refresh_list_keys(Task.objects.filter(plan=instance))


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
        CompletenessSummary.objects.all().delete()
