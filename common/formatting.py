"""Vietnamese ways of writing numbers and dates, shared by pages and reports."""

import datetime
import functools
import unicodedata
from decimal import Decimal


def vn_number(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    """14000 → "14.000"; 12.5 → "12,5"; trailing zeros dropped unless ``decimals`` is set."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if decimals is not None:
        number = round(number, decimals)
        text = f"{abs(number):.{decimals}f}"
    else:
        text = (
            f"{abs(number).normalize():f}"
            if number != number.to_integral_value()
            else (f"{abs(int(number))}")
        )
    whole, _sep, frac = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 else ""
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


def vn_date(value: datetime.date | None) -> str:
    """Dates as Nghị định 30/2020 writes them: 05/3/2023, 02/02/2023 (zero before days < 10
    and months 1–2)."""
    if not value:
        return ""
    return f"{value.day:02d}/{_month(value)}/{value.year}"


def vn_place_date(place: str, value: datetime.date | None, *, year: int | None = None) -> str:
    """A document's place and date (Nghị định 30/2020, Phụ lục I): "Đắk Nông, ngày 05 tháng
    12 năm 2025", "Kon Tum, ngày 07 tháng 02 năm 2022" (same zeros as :func:`vn_date`).
    Without a date (a draft for signature) day and month stay blank: "Đắk Nông, ngày
    tháng      năm 2025"."""
    if value is None:
        blank = "\u00a0" * 6
        return f"{place}, ngày {blank} tháng {blank} năm {year or ''}".rstrip()
    return f"{place}, ngày {value.day:02d} tháng {_month(value)} năm {value.year}"


def _month(value: datetime.date) -> str:
    """Zero before months 1–2 only (Nghị định 30/2020), as "05/3/2023" and "02/02/2023"."""
    return f"{value.month:02d}" if value.month <= 2 else str(value.month)


def vn_number_format(value: Decimal | int | float | None) -> str:
    """The Excel number format that shows ``value`` as :func:`vn_number` writes it:
    thousands grouped, only the decimals the number has (14000 → 14.000, 12.5 → 12,5).
    Excel draws the separators of the reader's regional settings; the Vietnamese locale
    tag makes LibreOffice use "." and "," whatever the machine's settings."""
    decimals = 0
    if value is not None:
        exponent = Decimal(str(value)).normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return "[$-42A]#,##0" + ("." + "0" * decimals if decimals else "")


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y;
# tones are secondary (ngang, huyền, hỏi, ngã, sắc, nặng).
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=8192)
def vn_sort_key(text: str) -> tuple:
    """Sort key for Vietnamese names ("Đắk Nông" after "Dak", "Ủy" with the U's)."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", text or "").casefold():
        position, base, tone = _char_key(char)
        letters.append((position, base))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def vn_order_key(text: str, letters: int) -> str:
    """:func:`vn_sort_key` as a string of digits for a column the database orders by: the
    first ``letters`` letters (three digits each), then their tone marks (one each).
    Digits compare alike under the C and ICU collations (and any that orders digits by
    value), so an index on the column gives the order."""
    positions, tones = vn_sort_key(text)
    return "".join(f"{min(100 + position, 999):03d}" for position, _base in positions)[
        : 3 * letters
    ].ljust(3 * letters, "0") + "".join(str(t) for t in tones[:letters]).ljust(letters, "0")


@functools.lru_cache(maxsize=1024)
def _char_key(char: str) -> tuple[int, str, int]:
    decomposed = unicodedata.normalize("NFD", char)
    tone = next((_TONES[m] for m in decomposed if m in _TONES), 0)
    base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
    if base.isspace():  # word by word: "Hà Giang" before "Hải Dương", "Cà Mau" before "Cao"
        return -1, " ", 0
    position = _ALPHABET.find(base)
    return (position if position >= 0 else 100 + ord(base[0])), base, tone


def roman(number: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV": the section numbers of a Vietnamese document."""
    numerals = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    text = ""
    for value, letters in numerals:
        while number >= value:
            text += letters
            number -= value
    return text
