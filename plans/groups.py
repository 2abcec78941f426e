"""The members of a named group of bodies ("Các Sở, Ban, ngành", "UBND các huyện, thành
phố"), who each owe their own report on a task the group leads.

A group (``Agency`` of kind GROUP) has the members an administrator lists
(``Agency.members``); without a list, they follow from its name and locality, read with
``plans.names.group_key``:

=====================================================  ==================================
the group's name (any spelling of)                     its members, on a date
=====================================================  ==================================
Các Sở, Ban, ngành (tỉnh) · Các Sở, ngành ·            the departments (Sở, ban, ngành)
Các phòng, ban (chuyên môn)                            of the group's locality
UBND các huyện, thị xã, thành phố · Ủy ban nhân dân    the People's Committees of the
các quận, huyện                                        district-level units under the
                                                       locality; from 01/7/2025 (no more
                                                       districts) those of the communes
                                                       under it or under its former
                                                       districts
UBND các xã, phường, thị trấn                          the communes' People's Committees
Các tổ chức chính trị - xã hội (, xã hội - nghề        the Front and mass organisations
nghiệp) (tỉnh / huyện)                                 of the locality
Các huyện ủy, thành ủy                                 the Party committees of the
                                                       district-level units
Các Trung tâm Bồi dưỡng Chính trị các huyện, …         the schools of the district-level
                                                       units
… có liên quan, and every other group                  none until an administrator lists
                                                       them ("the bodies concerned"
                                                       cannot be told from a name)
=====================================================  ==================================

Only the units and agencies the portal holds are members: a province whose districts are
not entered has no "UBND các huyện" members, and the pages say so. A member taken over by
another body (``Agency.successor``) is replaced by its successor from the day of the
takeover, as reports go to the successor (Sở Kế hoạch và Đầu tư → Sở Tài chính).

The date is the day the year's reports are due (``Plan.report_due_date``): membership of
2025 is the membership on 15/12/2025.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.formatting import vn_sort_key

from .choices import AgencyKind, LocalityLevel
from .models import Agency, Locality, yearly_due_date
from .names import group_key

DISTRICTS_ABOLISHED = datetime.date(2025, 7, 1)
"""Local government has two tiers (province, commune) from this day."""

SAME, DISTRICT, COMMUNE = "same", "district", "commune"
DISTRICT_LEVELS = (LocalityLevel.DISTRICT, LocalityLevel.CITY)
_PLACE = r"(?: tỉnh| thành phố| huyện| quận| thị xã)?"


@dataclass(frozen=True)
class GroupRule:
    """Members by name: agencies of ``kind`` in the units of ``scope`` under the group's
    locality (``SAME``: the locality itself)."""

    pattern: re.Pattern
    kind: str
    scope: str
    description: Promise  # "%(place)s" is the group's locality


GROUP_RULES = [
    GroupRule(
        re.compile(rf"các sở(?: ban)? ngành{_PLACE}|các phòng ban(?: chuyên môn)?{_PLACE}"),
        AgencyKind.DEPARTMENT,
        SAME,
        gettext_lazy("the departments and agencies of %(place)s"),
    ),
    GroupRule(
        re.compile(r"(?:ủy ban nhân dân|chủ tịch ủy ban nhân dân) các <cấp huyện>"),
        AgencyKind.PEOPLES_COMMITTEE,
        DISTRICT,
        gettext_lazy("the People's Committees of the districts, towns and cities of %(place)s"),
    ),
    GroupRule(
        re.compile(r"(?:ủy ban nhân dân|chủ tịch ủy ban nhân dân) các <cấp xã>"),
        AgencyKind.PEOPLES_COMMITTEE,
        COMMUNE,
        gettext_lazy("the People's Committees of the communes and wards of %(place)s"),
    ),
    GroupRule(
        re.compile(rf"các tổ chức chính trị xã hội(?: xã hội nghề nghiệp)?{_PLACE}"),
        AgencyKind.MASS_ORGANISATION,
        SAME,
        gettext_lazy("the Front and the mass organisations of %(place)s"),
    ),
    GroupRule(
        re.compile(r"các <cấp ủy cấp huyện>"),
        AgencyKind.PARTY,
        DISTRICT,
        gettext_lazy("the Party committees of the districts and cities of %(place)s"),
    ),
    GroupRule(
        re.compile(r"các trung tâm bồi dưỡng chính trị các <cấp huyện>"),
        AgencyKind.SCHOOL,
        DISTRICT,
        gettext_lazy("the political training centres of the districts of %(place)s"),
    ),
]


def group_rule(group: Agency) -> GroupRule | None:
    """The rule that names the group's members, or ``None`` (an administrator lists them)."""
    key = group_key(group.name)
    if re.search(r"\bliên quan\b", key):
        return None
    return next((r for r in GROUP_RULES if r.pattern.fullmatch(key)), None)


@dataclass
class GroupMembers:
    """A group's members on a date, and how they were found."""

    group: Agency
    on: datetime.date
    members: list[Agency] = field(default_factory=list)
    explicit: bool = False
    rule: GroupRule | None = None
    communes: bool = False  # district-level units resolved to their communes
    replaced: dict[int, list[Agency]] = field(default_factory=dict)  # successor pk → former

    @property
    def member_ids(self) -> set[int]:
        return {m.pk for m in self.members}

    @property
    def description(self) -> str:
        """Who the members are, in one phrase."""
        if self.explicit:
            return _("the agencies an administrator listed")
        if self.rule is None:
            return _("not known from the group's name: an administrator lists them")
        return str(self.rule.description) % {"place": self.group.locality.label}

    @property
    def notes(self) -> list[str]:
        """What a reader should know: communes standing in for the districts, successors,
        no member in the portal."""
        notes = []
        if self.communes:
            notes.append(
                _(
                    "Districts no longer exist from %(date)s: the communes' People's "
                    "Committees in the portal stand in for them."
                )
                % {"date": DISTRICTS_ABOLISHED.strftime("%d/%m/%Y")}
            )
        for member in self.members:
            for former in self.replaced.get(member.pk, []):
                notes.append(
                    _("%(member)s in place of %(former)s (from %(date)s).")
                    % {
                        "member": member.name,
                        "former": former.name,
                        "date": _takeover_date(former, member).strftime("%d/%m/%Y"),
                    }
                )
        if not self.members:
            notes.append(
                _(
                    "No member of this group is in the portal yet: an administrator adds "
                    "the agencies (with their locality and kind) or lists the group's "
                    "members. Until then the group's reports stay missing."
                )
            )
        return notes


def _takeover_date(former: Agency, member: Agency) -> datetime.date:
    for successor, since in former.successions_as_of(datetime.date.max):
        if successor.pk == member.pk:
            return since
    return former.successor_from


def groups_members(groups: Iterable[Agency], *, on: datetime.date) -> dict[int, GroupMembers]:
    """The members of each group on ``on``, by the group's pk: three queries whatever the
    number of groups."""
    groups = list({g.pk: g for g in groups if g.is_group}.values())
    if not groups:
        return {}
    result = {g.pk: GroupMembers(g, on) for g in groups}
    through = Agency.members.through
    listed = through.objects.filter(from_agency_id__in=list(result)).select_related(
        "to_agency__successor__successor__successor"
    )
    found: dict[int, list[Agency]] = {}
    for row in listed:
        found.setdefault(row.from_agency_id, []).append(row.to_agency)
        result[row.from_agency_id].explicit = True
    ruled = [g for g in groups if not result[g.pk].explicit]
    for group in ruled:
        result[group.pk].rule = group_rule(group)
    ruled = [g for g in ruled if result[g.pk].rule is not None]
    if ruled:
        units = _units(ruled, on, result)
        kinds = {result[g.pk].rule.kind for g in ruled}
        place_ids = {pk for ids in units.values() for pk in ids}
        candidates: dict[tuple[str, int], list[Agency]] = {}
        for agency in Agency.objects.filter(
            kind__in=kinds, locality_id__in=place_ids
        ).select_related("successor__successor__successor"):
            candidates.setdefault((agency.kind, agency.locality_id), []).append(agency)
        for group in ruled:
            kind = result[group.pk].rule.kind
            found[group.pk] = [
                agency
                for place in sorted(units[group.pk])
                for agency in candidates.get((kind, place), [])
            ]
    for pk, agencies in found.items():
        _resolve(result[pk], agencies)
    return result


def _units(groups, on: datetime.date, result) -> dict[int, set[int]]:
    """The ids of the localities whose agencies are members of each group (one query)."""
    ids = {g.locality_id for g in groups}
    lower = []
    if any(result[g.pk].rule.scope != SAME for g in groups):
        # Children, then grandchildren: two indexed searches (with OR, a scan of every
        # locality of the country).
        fields = ("id", "parent_id", "level", "dissolved_on")
        lower = list(Locality.objects.filter(parent_id__in=ids).only(*fields))
        lower += Locality.objects.filter(parent__parent_id__in=ids).only(*fields)
    by_id = {loc.pk: loc for loc in lower}
    units = {}
    for group in groups:
        here, scope = group.locality_id, result[group.pk].rule.scope
        if scope == SAME:
            units[group.pk] = {here}
            continue
        districts = [loc for loc in lower if loc.parent_id == here and loc.level in DISTRICT_LEVELS]
        communes = [
            loc
            for loc in lower
            if loc.level == LocalityLevel.COMMUNE
            and (loc.parent_id == here or by_id.get(loc.parent_id) in districts)
        ]
        if scope == COMMUNE:
            units[group.pk] = {c.pk for c in communes}
            continue
        standing = {d.pk for d in districts if d.exists_on(on) and on < DISTRICTS_ABOLISHED}
        gone = {d.pk for d in districts} - standing
        stand_ins = {
            c.pk
            for c in communes
            if c.parent_id in gone or (c.parent_id == here and on >= DISTRICTS_ABOLISHED)
        }
        if result[group.pk].rule.kind == AgencyKind.PEOPLES_COMMITTEE and (
            gone or on >= DISTRICTS_ABOLISHED
        ):
            result[group.pk].communes = True  # said even when the portal has no commune
            standing |= stand_ins
        units[group.pk] = standing
    return units


def _resolve(members: GroupMembers, agencies: list[Agency]) -> None:
    """Each agency, or the body that took it over by the date; each once, by name."""
    chosen: dict[int, Agency] = {}
    for agency in agencies:
        current = agency.current_as_of(members.on)
        chosen.setdefault(current.pk, current)
        if current.pk != agency.pk:
            members.replaced.setdefault(current.pk, []).append(agency)
    members.members = sorted(chosen.values(), key=lambda a: vn_sort_key(a.name))


def membership_dates(today: datetime.date | None = None) -> list[datetime.date]:
    """The dates whose memberships decide which group tasks an agency sees and may report
    on: the due dates of this year's and last year's reports."""
    today = today or timezone.localdate()
    return [yearly_due_date(today.year - 1), yearly_due_date(today.year)]


def member_group_ids(agency: Agency, *, dates=None) -> set[int]:
    """The groups (assigned to some task) that ``agency`` is a member of on any of
    ``dates`` (by default :func:`membership_dates`)."""
    if agency.is_group:
        return set()
    dates = dates or membership_dates()
    places = {agency.locality_id}
    predecessors = Agency.objects.filter(
        Q(successor=agency) | Q(successor__successor=agency)
    ).values_list("locality_id", "locality__parent_id", "locality__parent__parent_id")
    lineage = Locality.objects.filter(pk=agency.locality_id).values_list(
        "parent_id", "parent__parent_id"
    )
    for row in [*predecessors, *lineage]:
        places.update(pk for pk in row if pk)
    candidates = list(
        Agency.objects.filter(kind=AgencyKind.GROUP, assignments__isnull=False)
        .filter(Q(locality_id__in=places) | Q(members=agency))
        .select_related("locality")
        .distinct()
    )
    found = set()
    for date in dates:
        for pk, members in groups_members(candidates, on=date).items():
            if agency.pk in members.member_ids:
                found.add(pk)
    return found


def member_role_group(agency: Agency, groups: Iterable[Agency], *, on: datetime.date):
    """The first of ``groups`` that ``agency`` is a member of on ``on``, or ``None``."""
    for members in groups_members(groups, on=on).values():
        if agency.pk in members.member_ids:
            return members.group
    return None
