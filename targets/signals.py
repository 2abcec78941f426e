"""What the models keep in step: a plan's stored progress (``ProgressSummary``) is cleared
when anything it was computed from changes: its targets, its figures, the plan itself, an
indicator or a place. Receivers, not ``save()`` overrides: a deletion that cascades sends
them too. A bulk write sends none: ``rebuild_stored`` clears every row."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from plans.models import Locality, Plan

from .models import Figure, FigureSheet, Indicator, ProgressSummary, Target


def _clear(summaries) -> None:
    """Delete these summaries now, and once more when the transaction commits: a page that
    read the data before the commit may have stored what it computed in between."""
    summaries.delete()
    transaction.on_commit(summaries.delete)


def clear_place(locality_id: int, area_id: int | None = None) -> None:
    """The summaries of the plans reading a place's figures: a plan reads its own
    locality's, and after a merger its part (the area) of the successor's
    (``plans.places.PlaceIndex.key``)."""
    _clear(ProgressSummary.objects.filter(plan__locality_id=area_id or locality_id))


@receiver([post_save, post_delete], sender=Figure)
@receiver([post_save, post_delete], sender=FigureSheet)
def figures_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        clear_place(instance.locality_id, instance.area_id)


@receiver(pre_save, sender=Figure)
@receiver(pre_save, sender=FigureSheet)
def figures_moving(sender, instance, raw=False, **kwargs):
    """A figure moved to another place (the admin's form): the place it leaves too."""
    if not raw and instance.pk is not None:
        for place in sender.objects.filter(pk=instance.pk).values_list("locality", "area"):
            if place != (instance.locality_id, instance.area_id):
                clear_place(*place)


@receiver([post_save, post_delete], sender=Target)
def target_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _clear(ProgressSummary.objects.filter(plan_id=instance.plan_id))


@receiver(pre_save, sender=Target)
def target_moving(sender, instance, raw=False, **kwargs):
    """A target moved to another plan (the admin's form): the plan it leaves too."""
    if not raw and instance.pk is not None:
        left = Target.objects.filter(pk=instance.pk).exclude(plan_id=instance.plan_id)
        _clear(ProgressSummary.objects.filter(plan__in=left.values("plan")))


@receiver([post_save], sender=Plan)
def plan_changed(sender, instance, raw=False, **kwargs):
    if not raw:  # its years, its place
        _clear(ProgressSummary.objects.filter(plan_id=instance.pk))


@receiver([post_save, post_delete], sender=Indicator)
@receiver([post_save, post_delete], sender=Locality)
def everything_changed(sender, raw=False, **kwargs):
    """An indicator (its name, how it is computed) or a place (who merged into whom):
    rare, an administrator's edit, and reaching any plan."""
    if not raw:
        _clear(ProgressSummary.objects.all())
