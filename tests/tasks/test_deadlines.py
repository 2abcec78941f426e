"""The deadline parser understands every phrase in the seeds and guesses nothing."""

import datetime

import pytest

from tasks.choices import DeadlineKind
from tasks.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("phrase", "kind", "year_from", "year_to", "quarter"),
    [
        # every phrase the five documents use
        ("Thường xuyên", DeadlineKind.CONTINUOUS, None, None, None),
        ("Hàng năm", DeadlineKind.YEARLY, None, None, None),
        ("Hằng năm", DeadlineKind.YEARLY, None, None, None),
        ("Năm 2023", DeadlineKind.YEAR, 2023, 2023, None),
        ("Năm 2024-2025", DeadlineKind.YEAR_RANGE, 2024, 2025, None),
        ("Năm 2023-2025", DeadlineKind.YEAR_RANGE, 2023, 2025, None),
        ("Năm 2023-2030", DeadlineKind.YEAR_RANGE, 2023, 2030, None),
        ("quý IV-2022", DeadlineKind.QUARTER, 2022, 2022, 4),
        ("", DeadlineKind.NOT_STATED, None, None, None),
        # the same phrases as people also type them
        ("  thường   xuyên ", DeadlineKind.CONTINUOUS, None, None, None),
        ("HẰNG NĂM", DeadlineKind.YEARLY, None, None, None),
        ("năm 2024 - 2025", DeadlineKind.YEAR_RANGE, 2024, 2025, None),
        ("2024–2025", DeadlineKind.YEAR_RANGE, 2024, 2025, None),
        ("Giai đoạn 2023-2030", DeadlineKind.YEAR_RANGE, 2023, 2030, None),
        ("2026", DeadlineKind.YEAR, 2026, 2026, None),
        ("Trong năm 2024", DeadlineKind.YEAR, 2024, 2024, None),
        ("Quý I/2024", DeadlineKind.QUARTER, 2024, 2024, 1),
        ("quý 3 năm 2025", DeadlineKind.QUARTER, 2025, 2025, 3),
        ("trong quý IV-2022", DeadlineKind.QUARTER, 2022, 2022, 4),
    ],
)
def test_phrases(phrase, kind, year_from, year_to, quarter):
    deadline = parse_deadline(phrase)
    assert deadline.kind == kind
    assert (deadline.year_from, deadline.year_to, deadline.quarter) == (year_from, year_to, quarter)


def test_yearly_report_date_from_binh_phuoc():
    """Bình Phước: "trước ngày 15 tháng 12 hàng năm" is yearly, due 15/12."""
    deadline = parse_deadline("Trước ngày 15 tháng 12 hàng năm")
    assert deadline.kind == DeadlineKind.YEARLY
    assert (deadline.due_day, deadline.due_month) == (15, 12)
    assert deadline.yearly_due_date(2025) == datetime.date(2025, 12, 15)
    assert parse_deadline("Hằng năm (trước ngày 15/12)").yearly_due_date(2024) == (
        datetime.date(2024, 12, 15)
    )


@pytest.mark.parametrize(
    "phrase",
    [
        "Sau khi Chính phủ ban hành",
        "Năm 2025-2024",
        "quý V-2022",
        "Trước ngày 31 tháng 2 hàng năm",
        "Tháng 6",
        "2023 hoặc 2024",
    ],
)
def test_phrases_it_does_not_understand_are_kept_and_flagged(phrase):
    deadline = parse_deadline(phrase)
    assert deadline.kind == DeadlineKind.UNKNOWN
    assert not deadline.understood
    assert deadline.text == phrase


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("Năm 2023", datetime.date(2023, 12, 31)),
        ("Năm 2024-2025", datetime.date(2025, 12, 31)),
        ("quý IV-2022", datetime.date(2022, 12, 31)),
        ("Quý I/2024", datetime.date(2024, 3, 31)),
        ("Quý 2 năm 2024", datetime.date(2024, 6, 30)),
        ("Thường xuyên", None),
        ("Hàng năm", None),
    ],
)
def test_due_dates(phrase, due):
    """Tasks with an overall deadline have a last day; recurring tasks have none."""
    assert parse_deadline(phrase).due_date() == due


def test_decomposed_unicode_is_normalised():
    decomposed = "Thu\u031bo\u031b\u0300ng xuye\u0302n"  # "Thường xuyên" in NFD
    assert parse_deadline(decomposed).kind == DeadlineKind.CONTINUOUS
