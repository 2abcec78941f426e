"""Writes to plans: a plan's document entered or corrected in the portal."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.permissions import is_plan_staff
from common.formatting import vn_date

from .models import Plan

SLUG_RESERVED = {"them"}  # "ke-hoach/them/" is the page that adds a plan


def _ascii_slug(text: str) -> str:
    """ "Đắk Nông 20-NQ/TW" → "dak-nong-20-nq-tw" (Đ and đ kept as d)."""
    text = unicodedata.normalize("NFC", text).replace("Đ", "D").replace("đ", "d")
    return slugify(re.sub(r"[/\\.]+", "-", text))


def plan_slug(*, plan: Plan) -> str:
    """A new plan's address: its locality's code and its number ("toan-quoc-20-nq-tw"),
    made unique with "-2", "-3"…"""
    base = _ascii_slug(f"{plan.locality.code} {plan.number}")[:54].strip("-") or "ke-hoach"
    slug, n = base, 1
    while slug in SLUG_RESERVED or Plan.objects.filter(slug=slug).exclude(pk=plan.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check(plan: Plan) -> None:
    """What a plan's identity must satisfy beyond its fields, as Vietnamese field errors."""
    errors = {}
    locality = plan.locality
    if plan.level != locality.level:
        errors["locality"] = _(
            "%(place)s is not at the level chosen (%(level)s): choose the level of the place."
        ) % {"place": locality.label, "level": plan.get_level_display()}
    if plan.issued_on and not locality.exists_on(plan.issued_on):
        errors.setdefault("issued_on", []).append(
            _("%(place)s no longer existed on %(date)s (abolished from %(end)s).")
            % {
                "place": locality.label,
                "date": vn_date(plan.issued_on),
                "end": vn_date(locality.dissolved_on),
            }
        )
    if plan.issuing_body.locality_id != locality.pk:
        errors["issuing_body"] = _(
            "%(body)s belongs to %(other)s, not to %(place)s: choose a body of the plan's place."
        ) % {
            "body": plan.issuing_body.name,
            "other": plan.issuing_body.locality.label,
            "place": locality.label,
        }
    duplicate = (
        Plan.objects.filter(
            number__iexact=plan.number.strip(), issuing_body=plan.issuing_body, kind=plan.kind
        )
        .exclude(pk=plan.pk)
        .first()
    )
    if duplicate is not None:
        errors.setdefault("number", []).append(
            _("The portal already has %(heading)s of %(body)s.")
            % {"heading": duplicate.heading, "body": plan.issuing_body.name}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_save(*, plan: Plan, user, reason: str = "") -> Plan:
    """Create or correct a plan's document. A new plan gets its address from its place
    and number, and plan staff who enter it follow it (``User.plans``)."""
    is_new = plan.pk is None
    plan.number = " ".join(plan.number.split())
    plan.full_clean(exclude=["slug"])
    _check(plan)
    if is_new:
        plan.slug = plan_slug(plan=plan)
    plan._history_user = user
    plan._change_reason = reason or (_("Entered in the portal") if is_new else "")
    plan.save()
    if is_new and is_plan_staff(user):
        user.plans.add(plan)
        user.__dict__.pop("_followed_plan_ids", None)
    return plan
