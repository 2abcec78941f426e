"""What the models keep in step: a plan's place in the lists (``Plan.list_key``) follows
its place's name (the plan's own fields: ``Plan.save``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Locality, Plan, refresh_plan_list_keys


@receiver([post_save], sender=Locality)
def place_renamed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_plan_list_keys(Plan.objects.filter(locality=instance))
