"""What the models keep in step: the place of a plan and of an agency in the lists
(``Plan.list_key``, ``Agency.list_key``) follows its place's name and level (their own
fields: their ``save``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import (
    Agency,
    Locality,
    Plan,
    refresh_agency_list_keys,
    refresh_plan_list_keys,
)


@receiver([post_save], sender=Locality)
def place_renamed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_plan_list_keys(Plan.objects.filter(locality=instance))
        refresh_agency_list_keys(Agency.objects.filter(locality=instance))
