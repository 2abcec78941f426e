import calendar
import datetime

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.formatting import vn_order_key
from common.search import searched_text, with_search_text

from .choices import KIND_NAMES, AgencyKind, LocalityLevel, PlanKind, ReportFrequency, level_rank

REPORT_DUE = (15, 12)
"""(day, month) a yearly report is due when the plan names no date: the plans ask for the
report before 15/12, and a year's data runs to 14/12 (Nghị định 09/2019/NĐ-CP, Điều 12)."""


def yearly_due_date(year: int, due: tuple[int, int] | None = None) -> datetime.date:
    """The (day, month) ``due`` in ``year``, 15/12 without one. A day past the month's end
    (31/11, 29/2 in a common year) is the month's last day."""
    day, month = due or REPORT_DUE
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class Locality(models.Model):
    """The country, a province, city, district or commune, with the unit that took it over
    after a merger (districts were abolished from 01/7/2025: ``dissolved_on``)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=20, choices=LocalityLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent locality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    successor_from = models.DateField(_("successor from"), null=True, blank=True)
    dissolved_on = models.DateField(
        _("dissolved on"),
        null=True,
        blank=True,
        help_text=_("For a unit abolished without a successor of its own level."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True) | models.Q(successor_from__isnull=False),
                name="locality_successor_has_date",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """ "Tỉnh Đắk Nông", "Xã Tân Lập"; the country by its name alone ("Toàn quốc")."""
        if self.level == LocalityLevel.NATIONAL:
            return self.name
        # the choice by its value (get_level_display hashes every choice at each call)
        level = LocalityLevel(self.level).label if self.level in LocalityLevel.values else ""
        return f"{level or self.level} {self.name}"

    def exists_on(self, date: datetime.date) -> bool:
        """Whether the unit still existed on ``date`` (a district until 30/6/2025)."""
        return self.dissolved_on is None or date < self.dissolved_on

    def current_as_of(self, date: datetime.date) -> "Locality":
        """The locality that stands for this one on a date, following the mergers."""
        return _follow_successors(self, date)

    def former_localities(self) -> list["Locality"]:
        """Localities whose figures this one may hold as parts (:mod:`plans.places`): its
        predecessors and the dissolved units inside them, recursively. One query per
        generation."""
        found: dict[int, Locality] = {}
        frontier = [self.pk]
        while frontier:
            rows = Locality.objects.filter(
                models.Q(successor_id__in=frontier)
                | models.Q(parent_id__in=frontier, dissolved_on__isnull=False)
            )
            frontier = []
            for row in rows:
                if row.pk not in found and row.pk != self.pk:
                    found[row.pk] = row
                    frontier.append(row.pk)
        return sorted(found.values(), key=lambda loc: (loc.level, loc.name))

    def figure_reader_ids(self) -> set[int]:
        """This locality and its former ones: the localities whose plans read figures kept
        for this one (the permission rule ``can_enter_figures`` asks it)."""
        return {self.pk, *(loc.pk for loc in self.former_localities())}


AGENCY_LIST_KEY_NAME = 100
"""Letters of an agency's name in its list key."""
AGENCY_LIST_KEY_LENGTH = 1 + 4 * 40 + 4 * AGENCY_LIST_KEY_NAME


def agency_list_key(level: str, place_name: str, name: str) -> str:
    """The bodies' order from the country down, as one string of digits: the level of
    their place (the country, provinces, cities, districts, communes), the place, then the
    name, each in Vietnamese alphabetical order (:func:`common.formatting.vn_order_key`)."""
    place = vn_order_key(place_name, 40)
    return f"{level_rank(level)}{place}{vn_order_key(name, AGENCY_LIST_KEY_NAME)}"


def refresh_agency_list_keys(agencies) -> None:
    """Recompute ``Agency.list_key`` of these agencies (after their place changed)."""
    changed = []
    rows = agencies.select_related("locality").only(
        "pk", "name", "list_key", "locality__name", "locality__level"
    )
    for agency in rows:
        key = agency_list_key(agency.locality.level, agency.locality.name, agency.name)
        if key != agency.list_key:
            agency.list_key = key
            changed.append(agency)
    Agency.objects.bulk_update(changed, ["list_key"], batch_size=1000)


class Agency(models.Model):
    """A body that issues plans, leads or cooperates on tasks, or receives reports.

    Collective phrases of the documents ("Các Sở, Ban, ngành") are agencies of the kind
    GROUP: a named group, never split into invented members.
    """

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    successor_from = models.DateField(_("successor from"), null=True, blank=True)
    document_code = models.CharField(
        _("abbreviation in document numbers"),
        max_length=30,
        blank=True,
        help_text=_(
            "As in “Số: 12/BC-UBND” or “Số 12-BC/TU”: UBND, STC, TU. Empty: derived from the name."
        ),
    )
    header_name = models.CharField(
        _("name in a document's header"),
        max_length=255,
        blank=True,
        help_text=_("E.g. “TỈNH ỦY” under “ĐẢNG BỘ TỈNH KON TUM”. Empty: derived."),
    )
    header_parent = models.CharField(
        _("line above the name in a header"),
        max_length=255,
        blank=True,
        help_text=_(
            "The parent body or Party organisation, e.g. “ĐẢNG BỘ TỈNH KON TUM” or "
            "“UBND TỈNH LÂM ĐỒNG”. Empty: derived; “-” for none."
        ),
    )
    aliases = models.JSONField(
        _("other spellings"),
        default=list,
        blank=True,
        help_text=_("Other ways the documents write this name, for matching on import."),
    )
    members = models.ManyToManyField(
        "self",
        verbose_name=_("members (of a group)"),
        symmetrical=False,
        blank=True,
        related_name="member_of",
        help_text=_(
            "Only for a named group of bodies. Empty: the members follow from the group's "
            "name and locality; listed here, these agencies are the members."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    # The bodies from the country down (agency_list_key), kept by save() and by a change to
    # the place (plans.signals): an index gives a long list of bodies its order.
    list_key = models.CharField(
        _("list order"),
        max_length=AGENCY_LIST_KEY_LENGTH,
        editable=False,
        default="",
    )
    # The name and short name folded (common.search.searched_text), kept by save().
    search_text = models.TextField(_("search text"), editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["list_key", "search_text"])

    SEARCHED_FIELDS = ("name", "short_name")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        # One btree (db_index adds a second, for LIKE, on PostgreSQL): the lists' order.
        indexes = [models.Index(fields=["list_key", "id"], name="agency_list_order")]
        ordering = ["locality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["locality", "name"], name="agency_unique_name"),
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True) | models.Q(successor_from__isnull=False),
                name="agency_successor_has_date",
            ),
        ]

    def __str__(self):
        return self.name

    KEYED_FIELDS = ("name", "locality", "locality_id")

    def save(self, *args, **kwargs):
        fields = with_search_text(self, self.SEARCHED_FIELDS, kwargs.get("update_fields"))
        if fields is None or set(fields) & set(self.KEYED_FIELDS):
            place = Locality.objects.filter(pk=self.locality_id).values_list("level", "name")
            self.list_key = agency_list_key(*(place.first() or ("", "")), self.name)
            if fields is not None:
                fields = {*fields, "list_key"}
        if fields is not None:
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    @property
    def is_group(self) -> bool:
        return self.kind == AgencyKind.GROUP

    def reporting_ids(self) -> frozenset[int]:
        """This agency and the groups it reports for as a member (``plans.groups``), this
        year or last: whose tasks it sees and may report on. Cached on the instance."""
        if not hasattr(self, "_reporting_ids"):
            from .groups import member_group_ids

            self._reporting_ids = frozenset({self.pk, *member_group_ids(self)})
        return self._reporting_ids

    def current_as_of(self, date: datetime.date) -> "Agency":
        """The agency that stands for this one on a date, following the mergers."""
        return _follow_successors(self, date)

    def successions_as_of(self, date: datetime.date) -> list[tuple["Agency", datetime.date]]:
        """Each body that took this one over by a date, with the day it did, in order."""
        return _successions(self, date)


def _successions(obj, date: datetime.date) -> list:
    """[(successor, from)…] followed up to ``date``: the one successor chain."""
    chain, seen = [], set()
    while obj.successor_id and obj.successor_from and obj.successor_from <= date:
        if obj.pk in seen:  # a cycle in hand-edited data: stop rather than loop
            break
        seen.add(obj.pk)
        chain.append((obj.successor, obj.successor_from))
        obj = obj.successor
    return chain


def _follow_successors(obj, date: datetime.date):
    chain = _successions(obj, date)
    return chain[-1][0] if chain else obj


class Document(models.Model):
    """A legal or party document a plan implements (Nghị quyết, Chương trình, Kế hoạch)."""

    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255)
    title = models.TextField(_("title"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issuer"], name="document_unique_number"),
        ]

    def __str__(self):
        return self.number


LIST_KEY_PLACE = 40
"""Letters of the place's name in a list key (``Plan.list_key``, ``Task.list_key``): names
alike in their first forty letters are ordered by those letters' tone marks, then by the
plan."""
LIST_KEY_SLUG = 60
"""``Plan.slug``'s length: the whole slug, so two plans of one place never interleave."""
PLAN_LIST_KEY_LENGTH = 4 * LIST_KEY_PLACE + 2 * LIST_KEY_SLUG


def plan_list_key(place_name: str, plan_slug: str) -> str:
    """The plans' default order as one string of digits: the place in Vietnamese
    alphabetical order (:func:`common.formatting.vn_sort_key`: letters, then tone marks),
    then the slug. Digits compare alike under the C and ICU collations (and any that
    orders digits by value), so an index on the column gives the lists their order."""
    slug = "".join(f"{min(ord(c) - 31, 99):02d}" for c in plan_slug[:LIST_KEY_SLUG])
    return vn_order_key(place_name, LIST_KEY_PLACE) + slug.ljust(2 * LIST_KEY_SLUG, "0")


def refresh_plan_list_keys(plans) -> None:
    """Recompute ``Plan.list_key`` of these plans (after their place was renamed)."""
    changed = []
    for plan in plans.select_related("locality").only("pk", "slug", "list_key", "locality__name"):
        key = plan_list_key(plan.locality.name, plan.slug)
        if key != plan.list_key:
            plan.list_key = key
            changed.append(plan)
    Plan.objects.bulk_update(changed, ["list_key"], batch_size=1000)


def plan_search_text(plan) -> str:
    """What the search reads of a plan (``Plan.search_text``)."""
    return searched_text(plan, Plan.SEARCHED_FIELDS)


class Plan(models.Model):
    """A document (Nghị quyết, Chương trình, Kế hoạch…) of the country or a locality that
    sets targets and tasks for the collective economy."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("document kind"), max_length=20, choices=PlanKind.choices)
    number = models.CharField(_("document number"), max_length=60)
    title = models.TextField(_("title"))
    issuing_body = models.ForeignKey(
        Agency, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="plans"
    )
    level = models.CharField(_("level"), max_length=20, choices=LocalityLevel.choices)
    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="plans"
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    place = models.CharField(_("place of issue"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    implements = models.ManyToManyField(
        Document, verbose_name=_("implements"), blank=True, related_name="plans"
    )
    coordinating_body = models.ForeignKey(
        Agency,
        verbose_name=_("coordinating body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_plans",
        help_text=_(
            "Receives the agencies' yearly reports and compiles the plan's report "
            "(e.g. the Department of Planning and Investment, from 01/3/2025 of Finance)."
        ),
    )
    report_issuer = models.ForeignKey(
        Agency,
        verbose_name=_("issuer of the yearly report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_plans",
        help_text=_("Empty: the body that issued the plan (or its successor)."),
    )
    report_addressees = models.ManyToManyField(
        Agency,
        verbose_name=_("the report is addressed to"),
        blank=True,
        related_name="addressed_plans",
        help_text=_("“Kính gửi”: bodies above or beside the issuer, never below it."),
    )
    report_sign_authority = models.CharField(
        _("report signed on behalf of"),
        max_length=120,
        blank=True,
        help_text=_("E.g. “TM. ỦY BAN NHÂN DÂN”. Empty: what the issuer's kind uses."),
    )
    report_sign_deputy = models.CharField(
        _("report signed for"),
        max_length=120,
        blank=True,
        help_text=_("E.g. “KT. CHỦ TỊCH” where a deputy signs."),
    )
    report_sign_title = models.CharField(_("report signer's title"), max_length=120, blank=True)
    report_signer_name = models.CharField(_("report signer"), max_length=120, blank=True)
    report_frequency = models.CharField(
        _("report frequency"),
        max_length=20,
        choices=ReportFrequency.choices,
        default=ReportFrequency.NOT_STATED,
    )
    report_due_day = models.PositiveSmallIntegerField(_("report due day"), null=True, blank=True)
    report_due_month = models.PositiveSmallIntegerField(
        _("report due month"), null=True, blank=True
    )
    reporting_text = models.TextField(_("reporting clause as written"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    base_year = models.PositiveSmallIntegerField(
        _("base year"),
        null=True,
        blank=True,
        help_text=_(
            "The year progress is measured from (“so với năm 2022”). Empty: the year "
            "before the start year."
        ),
    )
    seed_file = models.CharField(_("source file"), max_length=120, blank=True)
    note = models.TextField(_("data note"), blank=True)
    # The number and title folded (common/search.py), kept by save(): the search reads it
    # instead of folding every plan's title on each search (0.03 ms a title on PostgreSQL).
    search_text = models.TextField(_("search text"), editable=False, blank=True, default="")
    # The lists' order (plan_list_key), kept by save() and by a rename of the place
    # (plans.signals): an index gives a page of plans without sorting them all.
    list_key = models.CharField(
        _("list order"), max_length=PLAN_LIST_KEY_LENGTH, editable=False, default=""
    )

    history = HistoricalRecords(excluded_fields=["search_text", "list_key"])

    SEARCHED_FIELDS = ("number", "title")

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        indexes = [models.Index(fields=["list_key", "id"], name="plan_list_order")]
        ordering = ["list_key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report_due_month__isnull=True)
                | models.Q(report_due_month__gte=1, report_due_month__lte=12),
                name="plan_report_due_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(report_due_day__isnull=True)
                | models.Q(report_due_day__gte=1, report_due_day__lte=31),
                name="plan_report_due_day_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=2000, start_year__lte=2100),
                name="plan_start_year_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(base_year__isnull=True)
                | models.Q(base_year__gte=2000, base_year__lte=models.F("start_year")),
                name="plan_base_year_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display_short()} {self.number} ({self.locality.name})"

    KEYED_FIELDS = ("slug", "locality", "locality_id")

    def save(self, *args, **kwargs):
        self.search_text = plan_search_text(self)
        fields = kwargs.get("update_fields")
        if fields is None or set(fields) & set(self.KEYED_FIELDS):
            place = Locality.objects.filter(pk=self.locality_id).values_list("name", flat=True)
            self.list_key = plan_list_key(place.first() or "", self.slug)
        if fields is not None:
            fields = set(fields)
            if fields & set(self.SEARCHED_FIELDS):
                fields.add("search_text")
            if fields & set(self.KEYED_FIELDS):
                fields.add("list_key")
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plan_detail", kwargs={"slug": self.slug})

    def get_kind_display_short(self) -> str:
        """The kind as the document writes it: "Nghị quyết", "Kế hoạch"."""
        return KIND_NAMES.get(self.kind) or self.get_kind_display()

    @property
    def heading(self) -> str:
        """ "Nghị quyết số 20-NQ/TW", "Kế hoạch số 127/KH-UBND"."""
        return f"{self.get_kind_display_short()} số {self.number}"

    @property
    def place_label(self) -> str:
        """Where the plan applies: "Toàn quốc", "Tỉnh Đắk Nông", "Xã Tân Lập"."""
        return self.locality.label

    @property
    def report_due(self) -> tuple[int, int] | None:
        """The (day, month) the plan names for its yearly report, if it names both."""
        if self.report_due_day is not None and self.report_due_month is not None:
            return self.report_due_day, self.report_due_month
        return None

    def report_due_date(self, year: int) -> datetime.date:
        """When the plan's yearly report for ``year`` is due: the plan's own date, else
        15/12. The one rule; a task's own phrase comes first
        (``tasks.timeliness.report_due_date``)."""
        return yearly_due_date(year, self.report_due)

    @property
    def baseline_year(self) -> int:
        """The year whose figures progress starts from."""
        return self.base_year if self.base_year is not None else self.start_year - 1

    def coordinator_as_of(self, date: datetime.date) -> Agency | None:
        """The body that receives the agencies' reports on ``date``, after the mergers."""
        return self.coordinating_body.current_as_of(date) if self.coordinating_body else None


class PlanYear(models.Model):
    """A plan's reporting year. Once its report is finalised the year is final: figures,
    task reports, reviews and the report text stay as sent until an administrator reopens
    it, giving a reason (kept in the history)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    is_final = models.BooleanField(_("final"), default=False)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting year")
        verbose_name_plural = _("reporting years")
        ordering = ["plan", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="planyear_unique_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="planyear_year_valid"
            ),
        ]

    def __str__(self):
        return f"{self.plan.number} – {self.year}"
