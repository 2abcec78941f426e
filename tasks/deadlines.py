"""The deadline parser: from the phrase a plan writes to a structure.

A pure function. A phrase it does not understand is kept as written and flagged
(kind UNKNOWN), never guessed.
"""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from .choices import DeadlineKind

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_YEAR = r"(?P<y1>(?:19|20)\d{2})"
_RANGE = r"(?P<y1>(?:19|20)\d{2})\s*[-–—]\s*(?P<y2>(?:19|20)\d{2})"
_YEARLY_WORDS = r"(?:hàng|hằng)\s+năm"


@dataclass(frozen=True)
class Deadline:
    """The structured meaning of a deadline phrase."""

    text: str
    kind: str
    year_from: int | None = None
    year_to: int | None = None
    quarter: int | None = None
    due_day: int | None = None
    due_month: int | None = None

    @property
    def understood(self) -> bool:
        return self.kind != DeadlineKind.UNKNOWN

    @property
    def is_recurring(self) -> bool:
        """Continuous and yearly tasks have no overall deadline but report every year."""
        return self.kind in (DeadlineKind.CONTINUOUS, DeadlineKind.YEARLY)

    def due_date(self) -> datetime.date | None:
        """The last day the task may be completed on, for tasks with an overall deadline."""
        if self.year_to is None:
            return None
        if self.kind in (DeadlineKind.YEAR, DeadlineKind.YEAR_RANGE):
            return datetime.date(self.year_to, 12, 31)
        if self.kind == DeadlineKind.QUARTER:
            month = self.quarter * 3
            return datetime.date(self.year_to, month, calendar.monthrange(self.year_to, month)[1])
        return None

    def yearly_due_date(self, year: int) -> datetime.date | None:
        """For recurring tasks, when the yearly report is due (if the phrase says)."""
        if self.is_recurring and self.due_day and self.due_month:
            return datetime.date(year, self.due_month, self.due_day)
        return None


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return re.sub(r"\s+", " ", text).strip()


def parse_deadline(text: str) -> Deadline:
    """Parse a "Thời gian hoàn thành" phrase.

    >>> parse_deadline("Năm 2024-2025").kind
    'year_range'
    """
    written = normalise(text)
    phrase = written.lower().rstrip(".;,")
    if not phrase:
        return Deadline(written, DeadlineKind.NOT_STATED)

    if phrase == "thường xuyên":
        return Deadline(written, DeadlineKind.CONTINUOUS)

    if re.fullmatch(_YEARLY_WORDS, phrase):
        return Deadline(written, DeadlineKind.YEARLY)

    # "trước ngày 15 tháng 12 hàng năm", "trước ngày 15/12 hằng năm"
    match = re.fullmatch(
        r"(?:định kỳ\s+)?(?:" + _YEARLY_WORDS + r"\s+)?\(?\s*trước\s+(?:ngày\s+)?(?P<d>\d{1,2})"
        r"(?:\s+tháng\s+|\s*/\s*)(?P<m>\d{1,2})\s*\)?(?:\s+" + _YEARLY_WORDS + r")?",
        phrase,
    )
    if match and ("hàng năm" in phrase or "hằng năm" in phrase):
        day, month = int(match["d"]), int(match["m"])
        if _valid_day(day, month):
            return Deadline(written, DeadlineKind.YEARLY, due_day=day, due_month=month)
        return Deadline(written, DeadlineKind.UNKNOWN)

    match = re.fullmatch(r"(?:năm\s+|giai đoạn\s+)?" + _RANGE, phrase)
    if match:
        first, last = int(match["y1"]), int(match["y2"])
        if first < last:
            return Deadline(written, DeadlineKind.YEAR_RANGE, year_from=first, year_to=last)
        if first == last:
            return Deadline(written, DeadlineKind.YEAR, year_from=first, year_to=first)
        return Deadline(written, DeadlineKind.UNKNOWN)

    match = re.fullmatch(r"(?:trong\s+)?(?:năm\s+)?" + _YEAR, phrase)
    if match:
        year = int(match["y1"])
        return Deadline(written, DeadlineKind.YEAR, year_from=year, year_to=year)

    # "quý IV-2022", "quý IV/2022", "quý 4 năm 2022", "trong quý IV-2022"
    match = re.fullmatch(
        r"(?:hoàn thành\s+)?(?:trong\s+)?quý\s+(?P<q>iv|iii|ii|i|[1-4])\s*(?:[-/]|\s+năm\s+|\s+)\s*"
        + _YEAR,
        phrase,
    )
    if match:
        quarter = match["q"]
        number = ROMAN_QUARTERS.get(quarter) or int(quarter)
        year = int(match["y1"])
        return Deadline(written, DeadlineKind.QUARTER, year_from=year, year_to=year, quarter=number)

    return Deadline(written, DeadlineKind.UNKNOWN)


def _valid_day(day: int, month: int) -> bool:
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(2024, month)[1]
