"""Timeliness for every deadline kind in the seeds."""

import datetime

import pytest

from tasks.choices import Timeliness as T
from tasks.deadlines import parse_deadline
from tasks.timeliness import LeadReport, task_expects_report, task_timeliness

D = datetime.date


def done(year, completed_on=None, submitted_on=None, progress="completed"):
    return LeadReport(year, progress, completed_on, submitted_on or completed_on)


def status(phrase, reports, *, year, today, plan_due=None):
    return task_timeliness(
        parse_deadline(phrase), reports, year=year, today=today, plan_due=plan_due
    )


@pytest.mark.parametrize(
    ("phrase", "reports", "year", "today", "expected"),
    [
        # "Năm 2023": due 31/12/2023
        ("Năm 2023", [done(2023, D(2023, 11, 30))], 2023, D(2024, 1, 5), T.COMPLETED_ON_TIME),
        ("Năm 2023", [done(2024, D(2024, 2, 1))], 2024, D(2024, 3, 1), T.COMPLETED_LATE),
        ("Năm 2023", [], 2023, D(2023, 6, 1), T.WITHIN_DEADLINE),
        ("Năm 2023", [], 2024, D(2024, 1, 2), T.OVERDUE),
        (
            "Năm 2023",
            [done(2023, None, D(2023, 12, 1), "in_progress")],
            2023,
            D(2024, 1, 2),
            T.OVERDUE,
        ),
        # "Năm 2024-2025": due 31/12/2025, not due in 2023
        ("Năm 2024-2025", [], 2023, D(2023, 12, 20), T.NOT_YET_DUE),
        ("Năm 2024-2025", [], 2024, D(2024, 12, 20), T.WITHIN_DEADLINE),
        ("Năm 2024-2025", [done(2025, D(2025, 12, 31))], 2025, D(2026, 1, 3), T.COMPLETED_ON_TIME),
        ("Năm 2024-2025", [], 2026, D(2026, 1, 3), T.OVERDUE),
        ("Năm 2023-2025", [done(2026, D(2026, 2, 1))], 2026, D(2026, 3, 1), T.COMPLETED_LATE),
        ("Năm 2023-2030", [], 2026, D(2026, 11, 23), T.WITHIN_DEADLINE),
        # "quý IV-2022": due 31/12/2022
        ("quý IV-2022", [done(2022, D(2022, 12, 20))], 2022, D(2023, 1, 1), T.COMPLETED_ON_TIME),
        ("quý IV-2022", [], 2023, D(2023, 1, 1), T.OVERDUE),
        # completion without a date counts from the submission date
        ("Năm 2023", [done(2023, None, D(2024, 1, 10))], 2023, D(2024, 2, 1), T.COMPLETED_LATE),
    ],
)
def test_tasks_with_an_overall_deadline(phrase, reports, year, today, expected):
    assert status(phrase, reports, year=year, today=today) == expected


@pytest.mark.parametrize("phrase", ["Thường xuyên", "Hàng năm", "Hằng năm", ""])
def test_recurring_tasks_are_reported_every_year_and_never_overdue_as_a_whole(phrase):
    reported = [done(2024, None, D(2024, 12, 10), "in_progress")]
    assert status(phrase, reported, year=2024, today=D(2025, 3, 1)) == T.COMPLETED_ON_TIME
    late = [done(2024, None, D(2024, 12, 20), "in_progress")]
    assert status(phrase, late, year=2024, today=D(2025, 3, 1)) == T.COMPLETED_LATE
    # the 2025 report is not missing before 15/12/2025, and is after it
    assert status(phrase, reported, year=2025, today=D(2025, 12, 15)) == T.WITHIN_DEADLINE
    assert status(phrase, reported, year=2025, today=D(2025, 12, 16)) == T.OVERDUE
    # still expected the year after, whatever happened before
    assert task_expects_report(parse_deadline(phrase), 2030, completed_before=True)


def test_the_phrase_or_the_plan_sets_the_yearly_due_date():
    """Bình Phước: "Trước ngày 15 tháng 12 hàng năm"; a plan may name another day."""
    phrase = "Trước ngày 15 tháng 12 hàng năm"
    assert status(phrase, [], year=2025, today=D(2025, 12, 15)) == T.WITHIN_DEADLINE
    assert status(phrase, [], year=2025, today=D(2025, 12, 16)) == T.OVERDUE
    assert status("Hàng năm", [], year=2025, today=D(2025, 11, 2), plan_due=(1, 11)) == (T.OVERDUE)


def test_tasks_with_an_overall_deadline_stop_expecting_reports_once_completed():
    deadline = parse_deadline("Năm 2024-2025")
    assert not task_expects_report(deadline, 2023, completed_before=False)
    assert task_expects_report(deadline, 2024, completed_before=False)
    assert task_expects_report(deadline, 2027, completed_before=False)  # overdue: still owed
    assert not task_expects_report(deadline, 2026, completed_before=True)
