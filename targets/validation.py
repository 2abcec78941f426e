"""Checks on a year's figures that catch typos: parts larger than wholes, fewer members
than organisations. Pure functions over {indicator code: value}."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from common import limits

# (smaller, larger): the first can never exceed the second in the same year.
PART_OF_WHOLE = [
    ("htx_effective", "htx_count"),
    ("htx_rated", "htx_count"),
    ("htx_good_fair", "htx_rated"),
    ("htx_hightech", "htx_count"),
    ("tht_effective", "tht_count"),
    ("kttt_effective", "kttt_count"),
    ("kttt_rated", "kttt_count"),
    ("kttt_good_fair", "kttt_rated"),
    ("htx_effective_members", "htx_members"),
    ("tht_effective_members", "tht_members"),
    ("kttt_top100", "kttt_count"),
]
# (organisations, members): an organisation has at least one member.
MEMBERS_OF = [
    ("htx_count", "htx_members"),
    ("tht_count", "tht_members"),
    ("htx_effective", "htx_effective_members"),
    ("tht_effective", "tht_effective_members"),
    ("htx_new", "htx_new_members"),
    ("tht_new", "tht_new_members"),
    ("lhhtx_count", "lhhtx_member_htx"),
]
BIG_CHANGE = Decimal("0.5")


@dataclass(frozen=True)
class Problem:
    code: str  # the indicator the message is attached to
    message: str


def value_problems(
    value: Decimal | None, *, is_count: bool, is_share: bool | None = None
) -> list[str]:
    """What is wrong with one figure, whatever path it came by (page, workbook, admin):
    the database holds non-negative numbers below a trillion with two decimals; counts
    are whole, shares lie between 0 and 100."""
    if value is None:
        return []
    value = Decimal(value)
    if not value.is_finite():
        return [_("Not a number.")]
    if value < 0:
        return [_("The value cannot be negative.")]
    if value > limits.FIGURE_MAX:
        return [_("The value is too large.")]
    problems = []
    if is_share is None:
        is_share = not is_count
    if is_count and value != value.to_integral_value():
        problems.append(_("A count must be a whole number."))
    if is_share and value > 100:
        problems.append(_("A share must be between 0 and 100."))
    if value != value.quantize(Decimal(1).scaleb(-limits.DECIMAL_PLACES), rounding="ROUND_DOWN"):
        problems.append(_("At most two decimal places."))
    return problems


def consistency_problems(values: dict[str, Decimal], names: dict[str, str]) -> list[Problem]:
    """Errors: figures that cannot all be true in the same year."""
    problems = []
    for part, whole in PART_OF_WHOLE:
        if values.get(part) is not None and values.get(whole) is not None:
            if values[part] > values[whole]:
                problems.append(
                    Problem(
                        part,
                        _("%(part)s (%(a)s) cannot exceed %(whole)s (%(b)s).")
                        % {
                            "part": names[part],
                            "a": _n(values[part]),
                            "whole": names[whole],
                            "b": _n(values[whole]),
                        },
                    )
                )
    for organisations, members in MEMBERS_OF:
        if values.get(organisations) is not None and values.get(members) is not None:
            if values[members] < values[organisations]:
                problems.append(
                    Problem(
                        members,
                        _("%(members)s (%(a)s) is fewer than %(orgs)s (%(b)s).")
                        % {
                            "members": names[members],
                            "a": _n(values[members]),
                            "orgs": names[organisations],
                            "b": _n(values[organisations]),
                        },
                    )
                )
    return problems


def big_change_warnings(
    values: dict[str, Decimal],
    previous: dict[str, Decimal],
    notes: dict[str, str],
    names: dict[str, str],
) -> list[Problem]:
    """Warnings: a value that moves more than 50 % from last year without a note."""
    warnings = []
    for code, value in values.items():
        before = previous.get(code)
        if value is None or before is None or notes.get(code, "").strip():
            continue
        if before == 0:
            moved = value != 0 and value >= 10
        else:
            moved = abs(value - before) / before > BIG_CHANGE
        if moved:
            warnings.append(
                Problem(
                    code,
                    _(
                        "%(name)s moves from %(a)s last year to %(b)s: add a note explaining "
                        "the change, or confirm it."
                    )
                    % {"name": names[code], "a": _n(before), "b": _n(value)},
                )
            )
    return warnings


def _n(value: Decimal) -> str:
    from common.formatting import vn_number

    return vn_number(value)
