"""The reporting chain: who reports to whom, as data and the rules that keep it upright.

Each lead agency reports on its tasks to the plan's coordinating body (the Sở Kế hoạch và
Đầu tư, from 01/3/2025 the Sở Tài chính); that body compiles the plan's report for the
report's issuer, which addresses it upwards (seed 000 III.2, seed 003 IV.2). A report is
addressed to a body above or beside its issuer, never below it:

=====================================  ==============================================
the addressee is…                      why it is below the issuer
=====================================  ==============================================
the issuer itself                      a body does not report to itself
a body whose parent chain reaches the  its department, its standing board, its office
issuer
a body of a place inside the issuer's  a district's or commune's body under a province
place (the mergers followed)
a department, school, bank, press or   a People's Committee's own services
other service of the place of a
People's Committee issuer
a named group ("Các Sở, ban, ngành")   a group is not a body one can address
=====================================  ==============================================

Everything is judged as the mergers stand on the report's day (``current_as_of``).
"""

import datetime

from django.utils.translation import gettext as _

from .choices import AgencyKind, LocalityLevel
from .models import Agency, Locality, Plan

# The services a People's Committee directs in its own place.
SERVICE_KINDS = {
    AgencyKind.DEPARTMENT,
    AgencyKind.SCHOOL,
    AgencyKind.BANK,
    AgencyKind.MEDIA,
    AgencyKind.OTHER,
}

# Higher bodies first in a "Kính gửi" list.
LEVEL_RANK = {
    LocalityLevel.NATIONAL: 0,
    LocalityLevel.PROVINCE: 1,
    LocalityLevel.CITY: 2,
    LocalityLevel.DISTRICT: 3,
    LocalityLevel.COMMUNE: 4,
}


def locality_within(inner: Locality, outer: Locality) -> bool:
    """Whether ``inner`` is ``outer`` or lies inside it (parent chain; the whole country
    contains every place)."""
    if outer.level == LocalityLevel.NATIONAL:
        return True
    seen = set()
    place = inner
    while place is not None and place.pk not in seen:
        if place.pk == outer.pk:
            return True
        seen.add(place.pk)
        place = place.parent
    return False


def _parent_chain_reaches(agency: Agency, target: Agency) -> bool:
    seen = set()
    body = agency.parent
    while body is not None and body.pk not in seen:
        if body.pk == target.pk:
            return True
        seen.add(body.pk)
        body = body.parent
    return False


def addressee_problem(issuer: Agency, addressee: Agency, date: datetime.date) -> str:
    """Why ``issuer`` may not address a report to ``addressee`` on ``date``; "" if it may."""
    issuer = issuer.current_as_of(date)
    addressee = addressee.current_as_of(date)
    if addressee.kind == AgencyKind.GROUP:
        return _("%(name)s is a group of bodies, not a body a report can be addressed to.") % {
            "name": addressee.name
        }
    if addressee.pk == issuer.pk:
        return _("%(name)s would be addressing its own report to itself.") % {"name": issuer.name}
    below = (
        _parent_chain_reaches(addressee, issuer)
        or (
            addressee.locality_id != issuer.locality_id
            and locality_within(addressee.locality, issuer.locality)
        )
        or (
            issuer.kind == AgencyKind.PEOPLES_COMMITTEE
            and addressee.kind in SERVICE_KINDS
            and addressee.locality_id == issuer.locality_id
        )
    )
    if below:
        return _(
            "%(addressee)s is below %(issuer)s: a report goes to a body above or beside "
            "its issuer, never below it."
        ) % {"addressee": addressee.name, "issuer": issuer.name}
    return ""


def report_issuer(plan: Plan, date: datetime.date) -> Agency:
    """Who issues the plan's yearly report on ``date``: the body the plan names for it,
    else the plan's own issuer, as the mergers stand then."""
    return (plan.report_issuer or plan.issuing_body).current_as_of(date)


def plan_addressees(plan: Plan, issuer: Agency, date: datetime.date) -> list[Agency]:
    """The plan's "Kính gửi" bodies on ``date`` (mergers followed, in their order), leaving
    out any that would be below ``issuer`` (a chain drawn for another issuer). Without
    any, the issuer's parent body when it has one (a department reports to its People's
    Committee)."""
    bodies = []
    named = sorted(
        plan.report_addressees.all(), key=lambda a: (LEVEL_RANK.get(a.locality.level, 9), a.name)
    )
    for agency in named:
        current = agency.current_as_of(date)
        if current not in bodies and not addressee_problem(issuer, current, date):
            bodies.append(current)
    if not bodies and issuer.parent_id:
        parent = issuer.parent.current_as_of(date)
        if not addressee_problem(issuer, parent, date):
            bodies.append(parent)
    return bodies


def agency_report_addressee(plan: Plan, agency: Agency, date: datetime.date) -> Agency | None:
    """Where a lead agency sends its own yearly report: the coordinating body on ``date``;
    where that would be below the agency (a People's Committee and its own office), the
    plan's report issuer; None when neither can receive it."""
    for body in (plan.coordinator_as_of(date), report_issuer(plan, date)):
        if body is not None and not addressee_problem(agency, body, date):
            return body
    return None
