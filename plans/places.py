"""Where a locality's figures live in a given year, after the mergers.

A figure is a fact about a place, not about a document: the number of cooperatives of
Kon Tum in 2024 is kept once, for Kon Tum, and every plan of Kon Tum reads it. Figures are
year-end figures (31/12), so the place that holds them is the one that exists at the end of
the year:

==========================================  =============================================
The plan's locality at the end of the year  Where its figures are kept
==========================================  =============================================
still exists                                the locality itself (``area`` empty)
merged into a successor (Đắk Nông → Lâm     the successor's figures, the part of the former
Đồng from 01/7/2025)                        locality (``area`` = Đắk Nông)
dissolved without a successor of its level  the figures of its parent (after the parent's
(districts from 01/7/2025)                  own mergers), the part of the former district
==========================================  =============================================

A place is therefore (locality, area, year): ``area`` empty for the whole locality, or a
former locality whose part of the total is broken out. The plans that read a place are the
plans of ``area`` (when set) or of the locality. Whoever follows one of the plans that read
a locality's figures may enter them (``accounts.permissions.can_enter_figures``), and a
place's year is final when one of the plans reading it has finalised that year.

A summary over several places counts each place once: a place whose host contains another
(a district in its province, a predecessor in its successor) is left out of the sum.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Locality, Plan


@dataclass(frozen=True)
class Place:
    """Whose figures (``locality``), which part of them (``area``), for which year."""

    locality: Locality
    area: Locality | None
    year: int

    @property
    def reader(self) -> Locality:
        """The locality whose plans read this place's figures."""
        return self.area or self.locality

    @property
    def label(self) -> str:
        if self.area is None:
            return self.locality.name
        return _("%(area)s (former) – part of %(locality)s") % {
            "area": self.area.name,
            "locality": self.locality.name,
        }

    @property
    def url_args(self) -> tuple:
        if self.area is None:
            return (self.locality.code, self.year)
        return (self.locality.code, self.year, self.area.code)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def host_of(locality: Locality, year: int) -> Locality:
    """The locality whose figures cover ``locality`` at the end of ``year``."""
    date = year_end(year)
    current, seen = locality.current_as_of(date), set()
    while current.dissolved_on and current.dissolved_on <= date and current.parent_id:
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = current.parent.current_as_of(date)
    return current


def figure_place(locality: Locality, year: int) -> Place:
    """Where the figures of ``locality`` for ``year`` are kept."""
    host = host_of(locality, year)
    return Place(host, None if host.pk == locality.pk else locality, year)


def plan_place(plan: Plan, year: int) -> Place:
    return figure_place(plan.locality, year)


def plan_places(plan: Plan, years: Iterable[int]) -> dict[int, Place]:
    """The place of each year (the locality chain is followed once per distinct host)."""
    return {year: plan_place(plan, year) for year in years}


def areas_in(locality: Locality, year: int, index: "PlaceIndex | None" = None) -> list[Locality]:
    """The former localities whose part of ``locality``'s figures can be broken out for
    ``year`` (those it hosts at the end of that year). One query."""
    index = index or PlaceIndex.around([locality])
    found = [
        loc
        for loc in index.by_id.values()
        if loc.pk != locality.pk and index.host_id(loc.pk, year) == locality.pk
    ]
    return sorted(found, key=lambda loc: (loc.level, loc.name))


def reading_plans(place: Place):
    """The plans that read a place's figures."""
    return Plan.objects.filter(locality=place.reader).select_related("locality")


def place_of(locality: Locality, year: int, area: Locality | None) -> Place | None:
    """The place named by a URL, if it is one: ``area`` must be hosted by ``locality`` that
    year, and a locality without ``area`` must still exist at the end of the year."""
    if area is None:
        return Place(locality, None, year) if host_of(locality, year).pk == locality.pk else None
    if area.pk == locality.pk or host_of(area, year).pk != locality.pk:
        return None
    return Place(locality, area, year)


class PlaceIndex:
    """Localities in memory, to find the places of many plans and years without a query
    each: :meth:`load` takes every locality of the country (the consolidated report),
    :meth:`around` only those that decide the places of a few (a page)."""

    def __init__(self, localities: Iterable[Locality]):
        self.by_id = {loc.pk: loc for loc in localities}

    @classmethod
    def load(cls) -> "PlaceIndex":
        return cls(Locality.objects.all())

    @classmethod
    def of_place(cls, place: "Place") -> "PlaceIndex":
        """:meth:`around` the place's locality and the part it is (a former locality)."""
        return cls.around([place.locality, place.area] if place.area else [place.locality])

    @classmethod
    def around(cls, localities: Iterable[Locality], *, formers: bool = True) -> "PlaceIndex":
        """The ``localities``, those whose figures hold theirs (successors, and for a
        dissolved unit its parent's), and with ``formers`` those whose figures they hold
        (predecessors and the dissolved units inside them), each followed to the end. One
        query per generation of mergers: the same for a province whatever the size of the
        country (its communes are not read: they keep their own figures)."""
        found = {loc.pk: loc for loc in localities}
        start = set(found)
        wanted = {
            pk
            for loc in found.values()
            for pk in (loc.successor_id, loc.dissolved_on and loc.parent_id)
            if pk and pk not in found
        }
        hosting = set(start) if formers else set()
        while wanted or hosting:
            condition = Q(pk__in=wanted)
            if hosting:
                condition |= Q(successor_id__in=hosting) | Q(
                    parent_id__in=hosting, dissolved_on__isnull=False
                )
            asked, wanted, hosting = hosting, set(), set()
            # Two steps ahead in the same query: a dissolved district's province and what
            # that merged into, or a province and its successor's successor.
            rows = Locality.objects.filter(condition).select_related(*AHEAD).order_by()
            for loc in (near for row in rows for near in _with_cached(row)):
                if loc.pk in found:
                    continue
                found[loc.pk] = loc
                wanted.update(
                    pk for pk in (loc.successor_id, loc.dissolved_on and loc.parent_id) if pk
                )
                # Only the localities asked for and those they hold ask for their formers:
                # a successor's other predecessors are not this place's concern.
                held = loc.successor_id in asked or (loc.dissolved_on and loc.parent_id in asked)
                if formers and (held or loc.pk in start):
                    hosting.add(loc.pk)
            wanted -= found.keys()
            hosting -= asked
        return cls(found.values())

    def _current(self, loc: Locality, date: datetime.date) -> Locality:
        seen = set()
        while loc.successor_id and loc.successor_from and loc.successor_from <= date:
            if loc.pk in seen or loc.successor_id not in self.by_id:
                break
            seen.add(loc.pk)
            loc = self.by_id[loc.successor_id]
        return loc

    def host_id(self, locality_id: int, year: int) -> int:
        date = year_end(year)
        current, seen = self._current(self.by_id[locality_id], date), set()
        while current.dissolved_on and current.dissolved_on <= date and current.parent_id:
            if current.pk in seen or current.parent_id not in self.by_id:
                break
            seen.add(current.pk)
            current = self._current(self.by_id[current.parent_id], date)
        return current.pk

    def key(self, locality_id: int, year: int) -> tuple[int, int | None]:
        """(locality id, area id or None) of the place holding a locality's figures."""
        host = self.host_id(locality_id, year)
        return host, (None if host == locality_id else locality_id)


AHEAD = ("successor__successor", "parent__successor__successor")


def _with_cached(loc: Locality) -> list[Locality]:
    """``loc`` and the localities ahead of it that ``select_related(*AHEAD)`` loaded."""
    found = [loc]
    for near in found:
        for name in ("successor", "parent"):
            if Locality._meta.get_field(name).is_cached(near):
                related = getattr(near, name)
                if related is not None:
                    found.append(related)
    return found


def entry_years(
    place: Place, *, today: datetime.date | None = None, index: "PlaceIndex | None" = None
) -> list[int]:
    """The years a place's figures can be entered for: from the earliest base year of the
    plans that read the locality's figures (else last year) to this year, the years the
    place exists (a locality before it is merged away; a former locality's part after).
    Two queries."""
    this_year = (today or timezone.localdate()).year
    index = index or PlaceIndex.of_place(place)
    readers = [place.locality.pk] + [
        loc.pk
        for loc in index.by_id.values()
        if index.host_id(loc.pk, this_year) == place.locality.pk
    ]
    plans = Plan.objects.filter(locality_id__in=readers).only("start_year", "base_year")
    first = min((p.baseline_year for p in plans), default=this_year - 1)
    locality_id, area_id = place.locality.pk, place.area.pk if place.area else None
    return [
        y
        for y in range(first, this_year + 1)
        if index.key(area_id or locality_id, y) == (locality_id, area_id)
    ]


def counted_once(localities: Iterable[Locality], year: int) -> list[Locality]:
    """Of several localities, those a sum for ``year`` may add up without counting a place
    twice: drop one whose host (or parent chain) is another of the list."""
    items = list(localities)
    hosts = {loc.pk: host_of(loc, year) for loc in items}
    kept = []
    for loc in items:
        others = {o.pk for o in items if o.pk != loc.pk}
        inside = hosts[loc.pk].pk in others and hosts[loc.pk].pk != loc.pk
        parent, seen = loc.parent, set()
        while parent is not None and not inside and parent.pk not in seen:
            seen.add(parent.pk)
            inside = parent.pk in others
            parent = parent.parent
        if not inside:
            kept.append(loc)
    return kept
