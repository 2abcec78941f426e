from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import limits
from common.formatting import vn_number
from common.search import with_search_text
from plans.models import Locality, Plan

from .choices import COMPARATOR_WORDS, UNIT_WORDS, Comparator, Computation, FigureStatus, Unit


class Indicator(models.Model):
    """One entry of the shared catalogue of what plans count (HTX, members, shares…)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=30, choices=Unit.choices)
    is_flow = models.BooleanField(
        _("counted per year"),
        default=False,
        help_text=_("Newly founded organisations: a yearly flow, summed for multi-year targets."),
    )
    description = models.TextField(_("description"), blank=True, max_length=limits.NOTE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("computed from: numerator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("computed from: denominator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    computation = models.CharField(
        _("computed as"),
        max_length=10,
        choices=Computation.choices,
        blank=True,
        help_text=_(
            "A share (numerator ÷ denominator × 100) or an average (total ÷ count), computed "
            "from the totals staff enter. Empty: entered as it is."
        ),
    )
    in_statistics = models.BooleanField(
        _("in the yearly statistics table"),
        default=False,
        help_text=_("One of the standard statistics a yearly report carries."),
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("A retired indicator is no longer asked for; its figures stay."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True, denominator__isnull=True, computation="")
                | models.Q(
                    numerator__isnull=False,
                    denominator__isnull=False,
                    computation="share",
                    unit="percent",
                )
                | (
                    models.Q(numerator__isnull=False, denominator__isnull=False)
                    & models.Q(computation="average")
                    & ~models.Q(unit="percent")
                ),
                name="indicator_computed_from_two",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_derived(self) -> bool:
        return self.numerator_id is not None

    @property
    def is_count(self) -> bool:
        return self.unit in (Unit.ORGANISATIONS, Unit.PEOPLE)

    @property
    def is_share(self) -> bool:
        return self.unit == Unit.PERCENT

    @property
    def unit_label(self) -> str:
        return UNIT_WORDS.get(self.unit, "")


class IndicatorDefinition(models.Model):
    """What an indicator counts from a year on, when the rules change (the rating scale of
    Thông tư 01/2020/TT-BKHĐT, a new law on cooperatives…)."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="definitions",
    )
    from_year = models.PositiveSmallIntegerField(_("in force from the year"))
    text = models.TextField(_("definition"), max_length=limits.NOTE)
    basis = models.CharField(
        _("legal basis"), max_length=255, blank=True, help_text=_("E.g. Thông tư 01/2020/TT-BKHĐT.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")
        ordering = ["indicator", "from_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "from_year"], name="indicatordefinition_unique_year"
            ),
            models.CheckConstraint(
                condition=models.Q(from_year__gte=1990, from_year__lte=2100),
                name="indicatordefinition_year_valid",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} (từ {self.from_year})"


class Target(models.Model):
    """A numeric or qualitative target of a plan for a milestone year or for every year."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    code = models.SlugField(
        _("code"), max_length=80, help_text=_("Stable key within the plan, used by seeding.")
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
    )
    milestone_year = models.PositiveSmallIntegerField(
        _("milestone year"), null=True, blank=True, help_text=_("Empty for a yearly target.")
    )
    is_yearly = models.BooleanField(_("every year"), default=False)
    comparator = models.CharField(_("comparator"), max_length=20, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    value_max = models.DecimalField(
        _("upper bound"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("of which (parent target)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    newly_founded = models.BooleanField(
        _("counts newly founded organisations"),
        default=False,
        help_text=_(
            "Yearly new counts: a yearly target compares one year's flow, a milestone "
            "target compares their sum since the plan started."
        ),
    )
    text = models.TextField(_("target as written"), max_length=limits.NOTE)
    source_text = models.TextField(
        _("sentence in the document"), blank=True, max_length=limits.PARAGRAPH
    )
    note = models.TextField(_("note"), blank=True, max_length=limits.NOTE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The target as written, folded (common.search.searched_text), kept by save().
    search_text = models.TextField(_("search text"), editable=False, blank=True, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])

    SEARCHED_FIELDS = ("text",)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "is_yearly", "milestone_year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code"),
            models.CheckConstraint(
                condition=(
                    models.Q(is_yearly=True, milestone_year__isnull=True)
                    | models.Q(is_yearly=False, milestone_year__isnull=False)
                ),
                name="target_yearly_xor_milestone",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(comparator="qualitative", value__isnull=True)
                    | (
                        ~models.Q(comparator="qualitative")
                        & models.Q(value__isnull=False, indicator__isnull=False)
                    )
                ),
                name="target_numeric_has_value_and_indicator",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(comparator="range", value_max__isnull=False)
                    | (~models.Q(comparator="range") & models.Q(value_max__isnull=True))
                ),
                name="target_range_has_upper_bound",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="target_value_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__lte=limits.TARGET_MAX),
                name="target_value_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(value_max__isnull=True)
                | models.Q(value_max__gte=0, value_max__lte=limits.TARGET_MAX),
                name="target_value_max_bounded",
            ),
            *limits.length_constraints(
                "target", text=limits.NOTE, source_text=limits.PARAGRAPH, note=limits.NOTE
            ),
            models.CheckConstraint(
                condition=models.Q(value_max__isnull=True)
                | models.Q(value_max__gte=models.F("value")),
                name="target_range_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.milestone_label}: {self.text}"

    def save(self, *args, **kwargs):
        fields = with_search_text(self, self.SEARCHED_FIELDS, kwargs.get("update_fields"))
        if fields is not None:
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    @property
    def is_qualitative(self) -> bool:
        return self.comparator == Comparator.QUALITATIVE

    @property
    def milestone_label(self) -> str:
        return "Hằng năm" if self.is_yearly else f"Năm {self.milestone_year}"

    @property
    def value_label(self) -> str:
        """The target as a Vietnamese reader writes it: "trên 70", "08-10", "ít nhất 30%"."""
        if self.is_qualitative:
            return ""
        unit = self.indicator.unit if self.indicator_id else None
        number = vn_number(self.value)
        if self.comparator == Comparator.RANGE:
            number = f"{number}-{vn_number(self.value_max)}"
        if unit == Unit.PERCENT:
            number = f"{number}%"
        if self.comparator == Comparator.OR_MORE:
            return f"từ {number} trở lên"
        word = COMPARATOR_WORDS[Comparator(self.comparator)]
        if self.comparator == Comparator.RANGE:
            word = ""
        return f"{word} {number}".strip()


class FigureSheet(models.Model):
    """A place's figures for one year (see :mod:`plans.places`): the version that guards
    concurrent edits (whether the year is final is :class:`plans.models.PlanYear`'s
    business, for each plan reading the place)."""

    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Locality,
        verbose_name=_("part: former locality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("figure sheet")
        verbose_name_plural = _("figure sheets")
        ordering = ["locality", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["locality", "year"],
                condition=models.Q(area__isnull=True),
                name="figuresheet_unique_year",
            ),
            models.UniqueConstraint(
                fields=["locality", "area", "year"],
                condition=models.Q(area__isnull=False),
                name="figuresheet_part_unique_year",
            ),
        ]

    def __str__(self):
        return f"{self.area or self.locality} – {self.year}"


class Figure(models.Model):
    """The value of an indicator for a place (a locality, or a former locality's part of
    its successor's figures) at the end of a year. Every plan of the place reads it."""

    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), on_delete=models.PROTECT, related_name="figures"
    )
    area = models.ForeignKey(
        Locality,
        verbose_name=_("part: former locality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figure_parts",
        help_text=_(
            "Empty for the whole locality. After a merger, the part of the total that "
            "belongs to a former locality (its plans read this part)."
        ),
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=FigureStatus.choices, default=FigureStatus.ESTIMATED
    )
    note = models.TextField(_("note"), blank=True, max_length=limits.NOTE)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    entered_for = models.ForeignKey(
        Plan,
        verbose_name=_("entered on the page of plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Figures entered before figures belonged to places were entered per plan."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["locality", "year", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["locality", "indicator", "year"],
                condition=models.Q(area__isnull=True),
                name="figure_unique_per_year",
            ),
            models.UniqueConstraint(
                fields=["locality", "area", "indicator", "year"],
                condition=models.Q(area__isnull=False),
                name="figure_part_unique_per_year",
            ),
            models.CheckConstraint(
                condition=~models.Q(area=models.F("locality")), name="figure_area_not_itself"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="figure_non_negative"),
            models.CheckConstraint(
                condition=models.Q(value__lte=limits.FIGURE_MAX), name="figure_value_bounded"
            ),
            *limits.length_constraints("figure", note=limits.NOTE),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="figure_year_valid"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


class FigureConflict(models.Model):
    """A value two plans of one place disagreed on when figures moved from plans to
    places: the kept figure is the latest entered; this one waits for an administrator."""

    locality = models.ForeignKey(
        Locality, verbose_name=_("locality"), on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey(
        Locality,
        verbose_name=_("part: former locality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    plan = models.ForeignKey(
        Plan, verbose_name=_("entered for plan"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    kept_value = models.DecimalField(_("value kept"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=FigureStatus.choices)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    is_resolved = models.BooleanField(_("resolved"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("figure conflict")
        verbose_name_plural = _("figure conflicts")
        ordering = ["is_resolved", "locality", "year", "indicator__order"]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value} ≠ {self.kept_value}"


class ProgressSummary(models.Model):
    """What a plan's card on the home page says of its numeric targets as of a year (the
    statuses' counts, a light, the next milestone's key targets), kept for the pages that
    list many plans: computing it reads every target and figure of the plan. A row is
    deleted when anything it was computed from changes (``targets.signals``) and is not
    used after ``settings.KTTT_COMPLETENESS_MAX_AGE_MINUTES``, so a change made outside
    the models (a bulk write, SQL) shows within that time. The words are not stored: the
    statuses are codes, translated when the card is written."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    light = models.CharField(_("overall status"), max_length=20)
    counts = models.JSONField(
        _("targets by status"), default=list, help_text=_("[status, number] pairs.")
    )
    key_targets = models.JSONField(
        _("key targets"),
        default=list,
        help_text=_("Indicator, target, milestone year, share reached and status of each."),
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("progress summary")
        verbose_name_plural = _("progress summaries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="progresssummary_unique")
        ]

    def __str__(self):
        return f"{self.plan} {self.year}: {self.light}"
