"""The deadline parser: from the phrase a plan writes in "Thời gian hoàn thành" to a structure.

A pure function, :func:`parse_deadline`. A phrase it does not understand is kept as written
and flagged (kind UNKNOWN), never guessed. So is a conditional phrase ("Sau khi Luật Hợp tác
xã 2023 được ban hành", "Theo tiến độ của Bộ Kế hoạch và Đầu tư", "Khi có hướng dẫn"): it
names no date, and :attr:`Deadline.conditional` only says why it was not understood.

How a phrase is read: in NFC, case-insensitively, spaces collapsed, any dash (- ‐ – — −)
as "-", "hàng" or "hằng" alike, "năm" before a year optional, quarters in Roman or Arabic
numbers (I–IV, 1–4), dates as d/m/yyyy, dd/mm/yyyy, d-m-yyyy, d.m.yyyy or "ngày d tháng m
năm yyyy"; a leading "Hoàn thành" is dropped; "trong" or "vào" may precede a period.

Accepted forms. Y is a year, D/M a day and a month, Q a quarter, P a period: a date, a
month, a quarter, a half-year or a year as rows 8 and 10-16 write them.
"Due" is the task's last day, ``Deadline.due_date()``: on or before it the task is on time.
"Yearly" means no last day: the task recurs and is reported every year, the report due on
the phrase's D/M, else the plan's date, else 15/12 (``tasks.timeliness.report_due_date``).

====  ==========================================  =====================  =====================
Row   Phrase (examples)                           Kind (fields)          Due
====  ==========================================  =====================  =====================
1     (empty)                                     NOT_STATED             yearly
2     Thường xuyên                                CONTINUOUS             yearly
3     Hằng năm · Định kỳ hằng năm                 YEARLY                 yearly
4     Hằng năm, trước ngày 15/12 · Trước ngày 15  YEARLY (D, M)          yearly, report due
      tháng 12 hằng năm · hàng năm trước 15                              D/M each year
      tháng 12 · Hằng năm (trước ngày 15/12)
5     Hằng quý · Định kỳ hằng quý · Theo quý      QUARTERLY              yearly
6     Định kỳ 6 tháng · 6 tháng một lần ·         HALF_YEARLY            yearly
      Định kỳ 6 tháng, hằng năm
7     Năm 2025 và các năm tiếp theo · Từ năm      FROM_YEAR (Y, D, M)    yearly from Y (not
      2024 trở đi · Từ năm 2025 · Kể từ năm                              due before Y); D/M
      2025 · Từ năm 2025, hằng năm trước ngày                            if the phrase says
      15/12
8     Năm 2023 · 2026 · Trong năm 2024 ·          YEAR (Y)               31/12/Y
      Cuối năm 2025
9     Năm 2024-2025 · Giai đoạn 2023-2025 ·       YEAR_RANGE (Y1, Y2)    31/12/Y2
      giai đoạn 2021 – 2025 · Từ năm 2024 đến
      năm 2025  (Y1 = Y2 is YEAR; Y1 > Y2 is
      not understood)
10    Quý II/2024 · quý 2 năm 2024 · Quý IV năm   QUARTER (Y, Q)         last day of Q in Y
      2025 · quý IV-2022 · cuối quý I/2024
11    Đầu năm 2024                                QUARTER (Y, Q=1)       31/3/Y
12    Quý II-III/2024 (an ascending range of      QUARTER (Y, Q=last)    last day of the last
      quarters in one year, not a half-year)                             quarter
13    6 tháng đầu năm 2024 · nửa đầu năm 2025 ·   HALF_YEAR (Y, 30/6)    30/6/Y
      Quý I-II/2024
14    6 tháng cuối năm 2025 · nửa cuối năm 2025   HALF_YEAR (Y, 31/12)   31/12/Y
      · nửa sau năm 2025 · Quý III-IV/2025
15    Tháng 6/2024 · tháng 6 năm 2024 · trong     MONTH (Y, last day)    last day of M in Y
      tháng 06/2024 · cuối tháng 6/2024
16    Trước 30/6/2025 · trước ngày 30/6/2025 ·    BY_DATE (D, M, Y)      D/M/Y itself
      Trước ngày 30 tháng 6 năm 2025 · chậm                              (inclusive)
      nhất ngày 15/12/2025 · Ngày 30/6/2025
17    Hoàn thành trước tháng 6/2025 · trước quý   BY_DATE (the day       the day before P
      III/2025 · trước năm 2026 ("trước" P,       before P begins)       begins: 31/5/2025,
      P a month, a quarter or a year)                                    30/6/2025, 31/12/2025
18    Chậm nhất tháng 6/2025 · chậm nhất trong    BY_DATE (P's last      P's last day
      quý II/2025 · không quá năm 2025 (also      day)
      "muộn nhất", "không muộn hơn")
19    Sau khi … ban hành · Theo tiến độ của … ·   UNKNOWN (flagged,      none; kept as written
      Khi có hướng dẫn                            ``conditional``)
20    anything else: "Tháng 6" (no year), "Quý    UNKNOWN (flagged)      none; kept as written
      IV/2024-Quý I/2025", "31/02/2025"
====  ==========================================  =====================  =====================

Readings chosen (say so if a plan means otherwise):

* "trước ngày D/M/Y" includes D/M/Y: in Vietnamese administration a report or a task "trước
  ngày 15/12" is on time on 15/12 (as the yearly "trước ngày 15 tháng 12 hằng năm" always
  was here). "Trước" a month, quarter or year is read literally: before it begins
  ("trước tháng 6/2025" is due 31/5/2025); "chậm nhất" P is due at P's end.
* "Đầu năm Y" is the first quarter (31/3/Y); "Cuối năm Y" is the year itself (31/12/Y).
* A "before" or "at the latest" deadline (BY_DATE) has no first year: the agency reports
  on it every year until it is completed. A period (YEAR … MONTH) is not due before its year.
* What a task stores (the fields of :class:`Deadline`): a period's years in ``year_from``
  and ``year_to`` (BY_DATE: ``year_to`` only); QUARTER its ``quarter``; HALF_YEAR, MONTH
  and BY_DATE their last day whole in ``year_to``, ``due_month``, ``due_day``
  (:data:`EXACT_DAY_KINDS`). Recurring kinds keep the yearly report's date in ``due_day``
  and ``due_month``; FROM_YEAR its first year in ``year_from``.
"""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from .choices import DeadlineKind

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

OVERALL_KINDS = (
    DeadlineKind.YEAR,
    DeadlineKind.YEAR_RANGE,
    DeadlineKind.QUARTER,
    DeadlineKind.HALF_YEAR,
    DeadlineKind.MONTH,
    DeadlineKind.BY_DATE,
)
"""Kinds with an overall deadline: a last day, after which the task is overdue."""

EXACT_DAY_KINDS = (DeadlineKind.HALF_YEAR, DeadlineKind.MONTH, DeadlineKind.BY_DATE)
"""Overall kinds whose last day is stored whole: ``year_to``, ``due_month``, ``due_day``."""

RECURRING_KINDS = (
    DeadlineKind.CONTINUOUS,
    DeadlineKind.YEARLY,
    DeadlineKind.FROM_YEAR,
    DeadlineKind.QUARTERLY,
    DeadlineKind.HALF_YEARLY,
)
"""Kinds with no overall deadline whose task is reported every year."""

_DASHES = re.compile(r"[‐‑‒–—―−]")
_YEAR = r"(?:19|20)\d{2}"
_Q = r"(?:iv|iii|ii|i|0?[1-4])"
_YEARLY = r"(?:hàng|hằng)\s*năm"
_SEP = r"[\s,;:(\-]*"
# between a day and a month, and between a month or a quarter and its year
_TO_MONTH = r"(?:/|-|\.|\s*tháng\s*)"
_TO_YEAR = r"(?:/|-|\.|\s*năm\s*|\s+)"
# "trước", "chậm nhất", …: "trước" a date includes the date, "trước" a period ends
# before it begins; the others end with the period
_BEFORE = r"(?P<before>trước|chậm nhất|muộn nhất|không quá|không muộn hơn)(?:\s*là)?"

_PERIODS = [
    ("date", rf"(?:ngày\s*)?(?P<d>\d{{1,2}}){_TO_MONTH}(?P<m>\d{{1,2}}){_TO_YEAR}(?P<y>{_YEAR})"),
    ("month", rf"tháng\s*(?P<m>\d{{1,2}}){_TO_YEAR}(?P<y>{_YEAR})"),
    (
        "quarters",
        rf"quý\s*(?P<q>{_Q})\s*(?:-|,|và|đến|tới)\s*(?:quý\s*)?(?P<q2>{_Q}){_TO_YEAR}(?P<y>{_YEAR})",
    ),
    ("quarter", rf"quý\s*(?P<q>{_Q}){_TO_YEAR}(?P<y>{_YEAR})"),
    (
        "half",
        rf"(?:(?:0?6|sáu)\s*tháng\s*(?P<h>đầu|cuối)|nửa\s*(?P<h2>đầu|cuối|sau))"
        rf"\s*(?:năm\s*|/|-)?(?P<y>{_YEAR})",
    ),
    ("year_start", rf"đầu\s*(?:năm\s*)?(?P<y>{_YEAR})"),
    ("year_end", rf"cuối\s*(?:năm\s*)?(?P<y>{_YEAR})"),
    ("year", rf"(?:năm\s*)?(?P<y>{_YEAR})"),
]

_PLAIN = [
    (DeadlineKind.CONTINUOUS, r"thường xuyên"),
    (DeadlineKind.YEARLY, rf"(?:định kỳ\s*)?{_YEARLY}"),
    (DeadlineKind.QUARTERLY, r"(?:định kỳ\s*)?(?:(?:hàng|hằng|mỗi)\s*|theo\s*)quý"),
    (
        DeadlineKind.HALF_YEARLY,
        rf"(?:định kỳ|hàng|hằng|mỗi)\s*(?:0?6|sáu)\s*tháng(?:{_SEP}(?:và\s*)?{_YEARLY})?"
        r"|(?:0?6|sáu)\s*tháng\s*(?:(?:một|1)\s*lần|/\s*lần)",
    ),
]
_YEARLY_DUE = [
    # "hằng năm, trước ngày 15/12", "hằng năm (trước ngày 15/12)", "hàng năm trước 15 tháng 12"
    rf"(?:định kỳ\s*)?{_YEARLY}{_SEP}{_BEFORE}\s*(?:ngày\s*)?(?P<d>\d{{1,2}}){_TO_MONTH}"
    r"(?P<m>\d{1,2})\s*\)?",
    # "trước ngày 15 tháng 12 hằng năm", "(trước ngày 15/12) hằng năm"
    rf"\(?\s*{_BEFORE}\s*(?:ngày\s*)?(?P<d>\d{{1,2}}){_TO_MONTH}(?P<m>\d{{1,2}})\s*\)?"
    rf"{_SEP}(?:định kỳ\s*)?{_YEARLY}",
]
_RANGE = (
    rf"(?:trong\s*)?(?:giai đoạn\s*|thời kỳ\s*)?(?:từ\s*)?(?:năm\s*)?(?P<y1>{_YEAR})"
    rf"(?:-|\s*đến\s*|\s*tới\s*)(?:năm\s*)?(?P<y2>{_YEAR})"
)
_ONWARD = [
    # "năm 2025 và các năm tiếp theo", "từ năm 2024 trở đi"
    rf"(?:(?:kể\s*)?từ\s*)?(?:năm\s*)?(?P<y>{_YEAR})(?:\s*(?:trở đi|trở về sau|về sau)"
    r"|,?\s*và\s*(?:các|những)\s*năm\s*(?:tiếp theo|tiếp sau|kế tiếp|sau đó|sau))",
    # "từ năm 2025", "kể từ năm 2025, hằng năm trước ngày 15/12"
    rf"(?:kể\s*)?từ\s*(?:năm\s*)?(?P<y>{_YEAR})(?:{_SEP}(?P<then>.+))?",
]
_CONDITIONAL = re.compile(
    r"^(?:ngay\s*)?(?:sau khi|khi|theo|tùy|tuỳ|căn cứ|phụ thuộc|chờ|nếu)\s|sau khi|khi có"
)


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
    def conditional(self) -> bool:
        """Not understood because the phrase names a condition, not a date ("Sau khi …
        ban hành", "Theo tiến độ của …"); flagged like any phrase not understood."""
        return self.kind == DeadlineKind.UNKNOWN and bool(
            _CONDITIONAL.search(_simplify(normalise(self.text)))
        )

    @property
    def is_recurring(self) -> bool:
        """No overall deadline; reported every year (table rows 2-7)."""
        return self.kind in RECURRING_KINDS

    def due_date(self) -> datetime.date | None:
        """The last day the task may be completed on, for tasks with an overall deadline
        (inclusive: completed on that day is on time)."""
        if self.year_to is None:
            return None
        if self.kind in (DeadlineKind.YEAR, DeadlineKind.YEAR_RANGE):
            return datetime.date(self.year_to, 12, 31)
        if self.kind == DeadlineKind.QUARTER and self.quarter is not None:
            return _month_end(self.year_to, self.quarter * 3)
        if self.kind in EXACT_DAY_KINDS and self.due_month and self.due_day:
            return datetime.date(self.year_to, self.due_month, self.due_day)
        return None

    def yearly_due_date(self, year: int) -> datetime.date | None:
        """For recurring tasks, when the yearly report is due (if the phrase says)."""
        if self.is_recurring and self.due_day and self.due_month:
            last = _month_end(year, self.due_month)
            return last.replace(day=min(self.due_day, last.day))  # 29/2 in a common year
        return None


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return re.sub(r"\s+", " ", text).strip()


def parse_deadline(text: str) -> Deadline:
    """Parse a "Thời gian hoàn thành" phrase (the forms in the module's table).

    >>> parse_deadline("Năm 2024-2025").kind
    'year_range'
    >>> parse_deadline("Trước ngày 30/6/2025").due_date()
    datetime.date(2025, 6, 30)
    """
    written = normalise(text)
    phrase = _simplify(written)
    if not phrase:
        return Deadline(written, DeadlineKind.NOT_STATED)
    fields = _recurring(phrase) or _years(phrase) or _before(phrase) or _within(phrase)
    return Deadline(written, **(fields or {"kind": DeadlineKind.UNKNOWN}))


def _simplify(written: str) -> str:
    """The phrase as the patterns read it: lower case, one dash, no spaces around "-" and
    "/", no trailing punctuation, no leading "hoàn thành"."""
    phrase = _DASHES.sub("-", written.lower())
    phrase = re.sub(r"\s*([-/])\s*", r"\1", phrase).strip(" .;,:")
    return re.sub(r"^hoàn thành(?:\s*xong)?\s*", "", phrase)


def _recurring(phrase: str) -> dict | None:
    """Rows 2-7: recurring tasks, with the yearly report's date if the phrase names one."""
    for kind, pattern in _PLAIN:
        if re.fullmatch(pattern, phrase):
            return {"kind": kind}
    for pattern in _YEARLY_DUE:
        match = re.fullmatch(pattern, phrase)
        if match:
            day, month = int(match["d"]), int(match["m"])
            if not _valid_day(day, month):
                return {"kind": DeadlineKind.UNKNOWN}
            return {"kind": DeadlineKind.YEARLY, "due_day": day, "due_month": month}
    for pattern in _ONWARD:
        match = re.fullmatch(pattern, phrase)
        if match is None:
            continue
        onward = {"kind": DeadlineKind.FROM_YEAR, "year_from": int(match["y"])}
        if not match.groupdict().get("then"):
            return onward
        then = _recurring(match["then"])  # "từ năm 2025, hằng năm trước ngày 15/12"
        if then is None or then["kind"] != DeadlineKind.YEARLY:
            return None
        return {**then, **onward}
    return None


def _years(phrase: str) -> dict | None:
    """Row 9: a range of years ("giai đoạn 2021-2025", "từ năm 2024 đến năm 2025")."""
    match = re.fullmatch(_RANGE, phrase)
    if match is None:
        return None
    first, last = int(match["y1"]), int(match["y2"])
    if first > last:
        return {"kind": DeadlineKind.UNKNOWN}
    kind = DeadlineKind.YEAR_RANGE if first < last else DeadlineKind.YEAR
    return {"kind": kind, "year_from": first, "year_to": last}


def _before(phrase: str) -> dict | None:
    """Rows 16-18: "trước ngày D/M/Y" (inclusive), "trước" a month, quarter or year (the
    day before it begins), "chậm nhất" a period (its last day). No first year."""
    match = re.fullmatch(rf"{_BEFORE}\s*(?:(?:trong|vào)\s*)?(?P<rest>.+)", phrase)
    if match is None:
        return None
    period = _period(match["rest"])
    if period is None:
        return None
    form, first, last, _quarter = period
    if match["before"] == "trước" and form != "date":
        if form not in ("month", "quarter", "year"):
            return None
        last = first - datetime.timedelta(days=1)
    return _exact_day(DeadlineKind.BY_DATE, last, year_from=None)


def _within(phrase: str) -> dict | None:
    """Rows 8, 10-16: a period, optionally "trong" or "vào" it or "cuối" a month or
    quarter; a bare date is a date to complete by."""
    phrase = re.sub(r"^(?:trong|vào)\s*", "", phrase)
    end_of = re.fullmatch(r"cuối\s*(?P<rest>(?:tháng|quý).+)", phrase)
    period = _period(end_of["rest"] if end_of else phrase)
    if period is None:
        return None
    form, first, last, quarter = period
    year = last.year
    if form == "date":
        return _exact_day(DeadlineKind.BY_DATE, last, year_from=None)
    if form in ("month", "half"):
        kind = DeadlineKind.MONTH if form == "month" else DeadlineKind.HALF_YEAR
        return _exact_day(kind, last, year_from=year)
    if form == "quarters" and (first.month, last.month) in ((1, 6), (7, 12)):
        return _exact_day(DeadlineKind.HALF_YEAR, last, year_from=year)
    if quarter is not None:  # a quarter, a range of quarters, the start of a year
        return {
            "kind": DeadlineKind.QUARTER,
            "year_from": year,
            "year_to": year,
            "quarter": quarter,
        }
    return {"kind": DeadlineKind.YEAR, "year_from": year, "year_to": year}


def _period(text: str) -> tuple[str, datetime.date, datetime.date, int | None] | None:
    """A period named by ``text``: (its form, first day, last day, quarter if it ends one),
    or None if ``text`` names none (or an impossible one: 31/02, month 13, quarter V)."""
    for form, pattern in _PERIODS:
        match = re.fullmatch(pattern, text)
        if match:
            return _period_of(form, match.groupdict())
    return None


def _period_of(form: str, groups: dict) -> tuple | None:
    year = int(groups["y"])
    if form == "date":
        day, month = int(groups["d"]), int(groups["m"])
        if not _valid_day(day, month, year):
            return None
        date = datetime.date(year, month, day)
        return form, date, date, None
    if form == "month":
        month = int(groups["m"])
        if not 1 <= month <= 12:
            return None
        return form, datetime.date(year, month, 1), _month_end(year, month), None
    if form in ("quarter", "quarters"):
        first = _quarter_number(groups["q"])
        last = _quarter_number(groups["q2"]) if form == "quarters" else first
        if form == "quarters" and first >= last:
            return None
        return form, datetime.date(year, first * 3 - 2, 1), _month_end(year, last * 3), last
    if form == "half":
        first_half = (groups["h"] or groups["h2"]) == "đầu"
        start = datetime.date(year, 1 if first_half else 7, 1)
        return form, start, _month_end(year, 6 if first_half else 12), None
    if form == "year_start":
        return form, datetime.date(year, 1, 1), _month_end(year, 3), 1
    return form, datetime.date(year, 1, 1), datetime.date(year, 12, 31), None


def _exact_day(kind: str, last: datetime.date, *, year_from: int | None) -> dict:
    return {
        "kind": kind,
        "year_from": year_from,
        "year_to": last.year,
        "due_month": last.month,
        "due_day": last.day,
    }


def _quarter_number(written: str) -> int:
    return ROMAN_QUARTERS.get(written) or int(written)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _valid_day(day: int, month: int, year: int = 2024) -> bool:
    """Whether D/M exists (in ``year``; a yearly date may be 29/2, as a leap year has it)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]
