"""Section numbers: the Roman numerals of a plan's task table ("I", "II", … "XIV")."""

import re

from common.formatting import roman

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_value(text: str) -> int | None:
    """ "XIV" → 14; ``None`` for anything that is not a Roman numeral ("A", "2", "")."""
    text = (text or "").strip().rstrip(".").upper()
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for letter, following in zip(text, text[1:] + " ", strict=True):
        value = ROMAN_VALUES[letter]
        total += -value if ROMAN_VALUES.get(following, 0) > value else value
    return total


def is_section_number(text: str) -> bool:
    """A Roman numeral ("XIV"), a capital letter ("A") or a number ("2"): the ways
    documents number their parts."""
    return bool(roman_value(text) or re.fullmatch(r"[A-Z]|[0-9]{1,3}", text))


def next_section_number(numbers, *, count: int = 1) -> str | list[str]:
    """The numeral after the highest of ``numbers`` (the plan's sections, retired ones
    included, so a number never means two sections): "VI" after "I"…"V". With ``count``
    above 1, that many in a row."""
    taken = {n.strip().upper() for n in numbers}
    highest = max((roman_value(n) or 0 for n in taken), default=0)
    highest = max(highest, len(taken))
    found = []
    while len(found) < count:
        highest += 1
        if roman(highest) not in taken:
            found.append(roman(highest))
    return found[0] if count == 1 else found
