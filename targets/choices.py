from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    ORGANISATIONS = "organisations", _("organisations")
    PEOPLE = "people", _("people")
    PERCENT = "percent", _("percent")
    MILLION_VND = "million_vnd", _("million VND")
    MILLION_VND_PER_PERSON_YEAR = "million_vnd_person_year", _("million VND per person a year")


class Computation(models.TextChoices):
    """How a computed indicator is worked out from two totals staff enter: never typed, never
    an average of averages."""

    SHARE = "share", _("share: numerator ÷ denominator × 100")
    AVERAGE = "average", _("average: total ÷ count")


class Comparator(models.TextChoices):
    """How the document words a target. Labels are the document's own words."""

    EXACT = "exact", _("exactly (no qualifier)")
    ABOUT = "about", _("about (khoảng)")
    MORE_THAN = "more_than", _("more than (trên)")
    AT_LEAST = "at_least", _("at least (ít nhất)")
    OR_MORE = "or_more", _("or more (từ … trở lên)")
    MINIMUM = "minimum", _("at minimum (tối thiểu)")
    RANGE = "range", _("range (08-10)")
    QUALITATIVE = "qualitative", _("qualitative (text only)")


LOWER_BOUND_COMPARATORS = {Comparator.AT_LEAST, Comparator.OR_MORE, Comparator.MINIMUM}

# The words a Vietnamese reader expects in front of the number.
COMPARATOR_WORDS = {
    Comparator.EXACT: "",
    Comparator.ABOUT: "khoảng",
    Comparator.MORE_THAN: "trên",
    Comparator.AT_LEAST: "ít nhất",
    Comparator.OR_MORE: "từ",
    Comparator.MINIMUM: "tối thiểu",
    Comparator.RANGE: "từ",
    Comparator.QUALITATIVE: "",
}


class FigureStatus(models.TextChoices):
    ESTIMATED = "estimated", _("estimated (ước thực hiện)")
    FINAL = "final", _("final")


class ProgressStatus(models.TextChoices):
    ACHIEVED = "achieved", _("achieved")
    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind")
    NO_DATA = "no_data", _("no data")
    INSUFFICIENT = "insufficient", _("not enough data")


# The unit as a Vietnamese table writes it.
UNIT_WORDS = {
    Unit.ORGANISATIONS: "tổ chức",
    Unit.PEOPLE: "người",
    Unit.PERCENT: "%",
    Unit.MILLION_VND: "triệu đồng",
    Unit.MILLION_VND_PER_PERSON_YEAR: "triệu đồng/người/năm",
}
