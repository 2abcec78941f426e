"""Reading numbers as Vietnamese users type them: "14.000", "14000", "12,5", "1.234,5"."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
_DOTS_AND_COMMA = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$")


def parse_vn_number(text: str, *, whole: bool) -> Decimal | None:
    """Parse a typed number; ``None`` for an empty cell.

    Dots group thousands ("14.000"), a comma marks decimals ("12,5"). A lone dot followed
    by other than three digits is a decimal point ("12.5"). "14,000" is refused for whole
    numbers: it could mean 14 or 14 000.
    """
    raw = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not raw:
        return None
    if raw.startswith("-"):
        raise ValidationError(_("The value cannot be negative."), code="negative")
    if _DOTS_AND_COMMA.match(raw):
        normalised = raw.replace(".", "").replace(",", ".")
    elif _GROUPED_DOTS.match(raw):
        normalised = raw.replace(".", "")
    elif _GROUPED_COMMAS.match(raw) and whole:
        raise ValidationError(
            _('"%(text)s" is ambiguous: write 14000 or 14.000 for fourteen thousand.'),
            code="ambiguous",
            params={"text": text.strip()},
        )
    elif _PLAIN.match(raw):
        normalised = raw.replace(",", ".")
    else:
        raise ValidationError(
            _('"%(text)s" is not a number.'), code="invalid", params={"text": text.strip()}
        )
    try:
        value = Decimal(normalised)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise ValidationError(_("Not a number."), code="invalid") from exc
    if whole and value != value.to_integral_value():
        raise ValidationError(_("A count must be a whole number."), code="not_whole")
    if value >= Decimal("1e12"):
        raise ValidationError(_("The value is too large."), code="too_large")
    return value
