"""The deadline parser understands every phrase in the seeds and guesses nothing."""

import datetime
import re
import unicodedata

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


# ---------------------------------------------------------------------------------------
# The table in the docstring of tasks/deadlines.py, row by row.

D = datetime.date
K = DeadlineKind


def row(number, phrase, kind, *, years=(None, None), quarter=None, due_dm=None, due=None):
    """One phrase of a table row: its kind, (year_from, year_to), quarter, (due_day,
    due_month) as stored on the task, and its last day (``due_date()``)."""
    return pytest.param(
        number,
        phrase,
        (kind, *years, quarter, *(due_dm or (None, None))),
        due,
        id=f"row {number}: {phrase}",
    )


TABLE = [
    row(1, "", K.NOT_STATED),
    row(1, "   ", K.NOT_STATED),
    row(2, "Thường xuyên", K.CONTINUOUS),
    row(2, "THƯỜNG XUYÊN.", K.CONTINUOUS),
    row(3, "Hằng năm", K.YEARLY),
    row(3, "hàng năm", K.YEARLY),
    row(3, "Định kỳ hằng năm", K.YEARLY),
    row(4, "Hằng năm, trước ngày 15/12", K.YEARLY, due_dm=(15, 12)),
    row(4, "hàng năm trước 15 tháng 12", K.YEARLY, due_dm=(15, 12)),
    row(4, "Trước ngày 15 tháng 12 hằng năm", K.YEARLY, due_dm=(15, 12)),
    row(4, "Hằng năm (trước ngày 20/10)", K.YEARLY, due_dm=(20, 10)),
    row(4, "Hằng năm – trước ngày 05/01", K.YEARLY, due_dm=(5, 1)),
    row(4, "hằng năm, chậm nhất ngày 30-11", K.YEARLY, due_dm=(30, 11)),
    row(5, "Hằng quý", K.QUARTERLY),
    row(5, "định kỳ hàng quý", K.QUARTERLY),
    row(5, "Theo quý", K.QUARTERLY),
    row(6, "Định kỳ 6 tháng", K.HALF_YEARLY),
    row(6, "định kỳ sáu tháng", K.HALF_YEARLY),
    row(6, "6 tháng một lần", K.HALF_YEARLY),
    row(6, "Định kỳ 6 tháng, hằng năm", K.HALF_YEARLY),
    row(6, "định kỳ 06 tháng và hàng năm", K.HALF_YEARLY),
    row(7, "Năm 2025 và các năm tiếp theo", K.FROM_YEAR, years=(2025, None)),
    row(7, "2025 và những năm sau", K.FROM_YEAR, years=(2025, None)),
    row(7, "từ năm 2024 trở đi", K.FROM_YEAR, years=(2024, None)),
    row(7, "Từ năm 2025", K.FROM_YEAR, years=(2025, None)),
    row(7, "Kể từ 2026", K.FROM_YEAR, years=(2026, None)),
    row(
        7,
        "Từ năm 2025, hằng năm trước ngày 15/12",
        K.FROM_YEAR,
        years=(2025, None),
        due_dm=(15, 12),
    ),
    row(8, "Năm 2023", K.YEAR, years=(2023, 2023), due=D(2023, 12, 31)),
    row(8, "2026", K.YEAR, years=(2026, 2026), due=D(2026, 12, 31)),
    row(8, "Trong năm 2024", K.YEAR, years=(2024, 2024), due=D(2024, 12, 31)),
    row(8, "Cuối năm 2025", K.YEAR, years=(2025, 2025), due=D(2025, 12, 31)),
    row(8, "cuối 2025", K.YEAR, years=(2025, 2025), due=D(2025, 12, 31)),
    row(9, "Năm 2024-2025", K.YEAR_RANGE, years=(2024, 2025), due=D(2025, 12, 31)),
    row(9, "Giai đoạn 2023-2025", K.YEAR_RANGE, years=(2023, 2025), due=D(2025, 12, 31)),
    row(9, "giai đoạn 2021 - 2025", K.YEAR_RANGE, years=(2021, 2025), due=D(2025, 12, 31)),
    row(9, "Giai đoạn 2021 — 2025", K.YEAR_RANGE, years=(2021, 2025), due=D(2025, 12, 31)),
    row(9, "trong giai đoạn 2021–2025", K.YEAR_RANGE, years=(2021, 2025), due=D(2025, 12, 31)),
    row(9, "Từ năm 2024 đến năm 2025", K.YEAR_RANGE, years=(2024, 2025), due=D(2025, 12, 31)),
    row(9, "Năm 2025-2025", K.YEAR, years=(2025, 2025), due=D(2025, 12, 31)),
    row(10, "Quý II/2024", K.QUARTER, years=(2024, 2024), quarter=2, due=D(2024, 6, 30)),
    row(10, "quý 2 năm 2024", K.QUARTER, years=(2024, 2024), quarter=2, due=D(2024, 6, 30)),
    row(10, "Quý IV năm 2025", K.QUARTER, years=(2025, 2025), quarter=4, due=D(2025, 12, 31)),
    row(10, "quý IV-2022", K.QUARTER, years=(2022, 2022), quarter=4, due=D(2022, 12, 31)),
    row(10, "Quý 3 - 2025", K.QUARTER, years=(2025, 2025), quarter=3, due=D(2025, 9, 30)),
    row(10, "quý 1 2024", K.QUARTER, years=(2024, 2024), quarter=1, due=D(2024, 3, 31)),
    row(10, "cuối quý I/2024", K.QUARTER, years=(2024, 2024), quarter=1, due=D(2024, 3, 31)),
    row(11, "Đầu năm 2024", K.QUARTER, years=(2024, 2024), quarter=1, due=D(2024, 3, 31)),
    row(11, "đầu 2024", K.QUARTER, years=(2024, 2024), quarter=1, due=D(2024, 3, 31)),
    row(12, "Quý II-III/2024", K.QUARTER, years=(2024, 2024), quarter=3, due=D(2024, 9, 30)),
    row(12, "quý 1 - 3 năm 2025", K.QUARTER, years=(2025, 2025), quarter=3, due=D(2025, 9, 30)),
    row(13, "6 tháng đầu năm 2024", K.HALF_YEAR, years=(2024, 2024), due_dm=(30, 6)),
    row(13, "06 tháng đầu 2024", K.HALF_YEAR, years=(2024, 2024), due_dm=(30, 6)),
    row(13, "nửa đầu năm 2025", K.HALF_YEAR, years=(2025, 2025), due_dm=(30, 6)),
    row(13, "Quý I-II/2024", K.HALF_YEAR, years=(2024, 2024), due_dm=(30, 6)),
    row(13, "quý 1 và 2 năm 2024", K.HALF_YEAR, years=(2024, 2024), due_dm=(30, 6)),
    row(14, "6 tháng cuối năm 2025", K.HALF_YEAR, years=(2025, 2025), due_dm=(31, 12)),
    row(14, "sáu tháng cuối năm 2025", K.HALF_YEAR, years=(2025, 2025), due_dm=(31, 12)),
    row(14, "nửa cuối năm 2025", K.HALF_YEAR, years=(2025, 2025), due_dm=(31, 12)),
    row(14, "Nửa sau năm 2025", K.HALF_YEAR, years=(2025, 2025), due_dm=(31, 12)),
    row(14, "Quý III-IV/2025", K.HALF_YEAR, years=(2025, 2025), due_dm=(31, 12)),
    row(15, "Tháng 6/2024", K.MONTH, years=(2024, 2024), due_dm=(30, 6)),
    row(15, "tháng 6 năm 2024", K.MONTH, years=(2024, 2024), due_dm=(30, 6)),
    row(15, "Trong tháng 06/2024", K.MONTH, years=(2024, 2024), due_dm=(30, 6)),
    row(15, "tháng 2-2024", K.MONTH, years=(2024, 2024), due_dm=(29, 2)),
    row(15, "cuối tháng 2/2025", K.MONTH, years=(2025, 2025), due_dm=(28, 2)),
    row(16, "Trước 30/6/2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(16, "trước ngày 30/6/2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(16, "Trước ngày 30/06/2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(16, "Trước ngày 30 tháng 6 năm 2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(16, "chậm nhất ngày 15/12/2025", K.BY_DATE, years=(None, 2025), due_dm=(15, 12)),
    row(16, "Chậm nhất là ngày 5.1.2026", K.BY_DATE, years=(None, 2026), due_dm=(5, 1)),
    row(16, "Hoàn thành trước ngày 1-7-2025", K.BY_DATE, years=(None, 2025), due_dm=(1, 7)),
    row(16, "Ngày 29/2/2024", K.BY_DATE, years=(None, 2024), due_dm=(29, 2)),
    row(16, "30/06/2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(17, "hoàn thành trước tháng 6/2025", K.BY_DATE, years=(None, 2025), due_dm=(31, 5)),
    row(17, "Trước tháng 1 năm 2025", K.BY_DATE, years=(None, 2024), due_dm=(31, 12)),
    row(17, "trước quý III/2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(17, "Trước năm 2026", K.BY_DATE, years=(None, 2025), due_dm=(31, 12)),
    row(18, "Chậm nhất tháng 6/2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(18, "chậm nhất trong quý II/2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(18, "không quá năm 2025", K.BY_DATE, years=(None, 2025), due_dm=(31, 12)),
    row(18, "muộn nhất 6 tháng đầu năm 2025", K.BY_DATE, years=(None, 2025), due_dm=(30, 6)),
    row(19, "Sau khi Luật Hợp tác xã 2023 được ban hành", K.UNKNOWN),
    row(19, "theo tiến độ của Bộ Kế hoạch và Đầu tư", K.UNKNOWN),
    row(19, "Khi có hướng dẫn", K.UNKNOWN),
    row(19, "Ngay sau khi Chính phủ ban hành Nghị định", K.UNKNOWN),
    row(20, "Tháng 6", K.UNKNOWN),
    row(20, "Quý IV/2024-Quý I/2025", K.UNKNOWN),
    row(20, "Quý III-II/2024", K.UNKNOWN),
    row(20, "31/02/2025", K.UNKNOWN),
    row(20, "tháng 13/2024", K.UNKNOWN),
    row(20, "Trước 30/6", K.UNKNOWN),
    row(20, "trước 6 tháng đầu năm 2025", K.UNKNOWN),
    row(20, "Từ năm 2025, quý II", K.UNKNOWN),
    row(20, "6 tháng", K.UNKNOWN),
]
RECURRING_ROWS = {1: False, 2: True, 3: True, 4: True, 5: True, 6: True, 7: True}


def _exact_due(stored):
    """The last day stored whole (rows 13-18): year_to, due_month, due_day."""
    kind, _year_from, year_to, _quarter, day, month = stored
    if kind in (K.HALF_YEAR, K.MONTH, K.BY_DATE):
        return D(year_to, month, day)
    return None


@pytest.mark.parametrize(("number", "phrase", "stored", "due"), TABLE)
def test_each_row_of_the_table(number, phrase, stored, due):
    """Each form in the table means what the table says: the fields stored on the task,
    the last day, whether it recurs; a phrase not understood is kept as written."""
    deadline = parse_deadline(phrase)
    fields = (
        deadline.kind,
        deadline.year_from,
        deadline.year_to,
        deadline.quarter,
        deadline.due_day,
        deadline.due_month,
    )
    assert fields == stored
    assert deadline.due_date() == (due or _exact_due(stored))
    assert deadline.is_recurring == RECURRING_ROWS.get(number, False)
    assert deadline.understood == (number < 19)
    assert deadline.conditional == (number == 19)
    assert deadline.text == " ".join(phrase.split())


def test_every_row_of_the_table_is_tested():
    """The docstring's table and the rows tested here are the same rows."""
    import tasks.deadlines

    lines = tasks.deadlines.__doc__.splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("====")]
    body = lines[rules[1] + 1 : rules[2]]  # between the header's rule and the closing one
    rows = {int(line.split()[0]) for line in body if line[:1].isdigit()}
    assert rows == set(range(1, 21))
    assert {p.values[0] for p in TABLE} == rows


def _variants(phrase):
    """The same phrase as people also type it: case, decomposed Unicode, spaces, other
    dashes, "hàng" for "hằng" and back, spaces around "/"."""
    yield phrase.upper()
    yield phrase.lower()
    yield unicodedata.normalize("NFD", phrase)
    yield unicodedata.normalize("NFD", phrase.upper())
    yield "  " + phrase.replace(" ", "   ") + " "
    yield phrase.replace(" ", "\u00a0")
    for dash in "–—‐−":
        yield phrase.replace("-", dash)
    yield re.sub(r"\s*-\s*", " - ", phrase)
    yield phrase.replace("/", " / ")
    yield phrase.replace("hằng", "hàng").replace("Hằng", "Hàng")
    yield phrase.replace("hàng", "hằng").replace("Hàng", "Hằng")


def _meaning(deadline):
    return (
        deadline.kind,
        deadline.year_from,
        deadline.year_to,
        deadline.quarter,
        deadline.due_day,
        deadline.due_month,
        deadline.conditional,
    )


@pytest.mark.parametrize(("number", "phrase", "stored", "due"), TABLE)
def test_each_row_tolerates_case_spaces_dashes_and_unicode_forms(number, phrase, stored, due):
    """Upper or lower case, NFC or NFD, extra or non-breaking spaces, any dash, "hàng" or
    "hằng": the same phrase means the same."""
    meaning = _meaning(parse_deadline(phrase))
    for variant in _variants(phrase):
        assert _meaning(parse_deadline(variant)) == meaning, variant


@pytest.mark.parametrize(
    "spellings",
    [
        # dates: d/m/yyyy, dd/mm/yyyy, d-m-yyyy, d.m.yyyy, "ngày d tháng m năm yyyy"
        [
            "Trước 5/1/2026",
            "trước ngày 05/01/2026",
            "trước 5-1-2026",
            "Trước ngày 5.1.2026",
            "trước ngày 5 tháng 1 năm 2026",
            "Trước ngày 05 tháng 01 năm 2026",
        ],
        # quarters: Roman or Arabic, "/" "-" "năm" or a space before the year
        ["Quý IV/2025", "quý 4/2025", "Quý IV-2025", "quý 4 năm 2025", "Quý IV năm 2025"],
        # "năm" before the year present or not
        ["Năm 2025 và các năm tiếp theo", "2025 và các năm tiếp theo"],
        ["6 tháng đầu năm 2024", "6 tháng đầu 2024", "6 tháng đầu/2024"],
        ["Từ năm 2025 trở đi", "từ 2025 trở đi"],
        ["Giai đoạn 2021-2025", "Giai đoạn năm 2021 - năm 2025", "giai đoạn từ 2021 đến 2025"],
    ],
)
def test_spellings_of_one_deadline_mean_the_same(spellings):
    meanings = {_meaning(parse_deadline(s)) for s in spellings}
    assert len(meanings) == 1, meanings
    assert parse_deadline(spellings[0]).understood


def test_before_a_date_includes_the_date_and_before_a_month_ends_before_it():
    """The chosen readings: "trước ngày 30/6/2025" is on time on 30/6; "trước tháng 6/2025"
    is before June begins; "chậm nhất tháng 6/2025" is by the end of June."""
    assert parse_deadline("trước ngày 30/6/2025").due_date() == D(2025, 6, 30)
    assert parse_deadline("trước tháng 6/2025").due_date() == D(2025, 5, 31)
    assert parse_deadline("chậm nhất tháng 6/2025").due_date() == D(2025, 6, 30)


def test_recurring_kinds_have_a_yearly_date_only_when_the_phrase_names_one():
    assert parse_deadline("Từ năm 2025, hằng năm trước ngày 15/12").yearly_due_date(2026) == (
        D(2026, 12, 15)
    )
    assert parse_deadline("Hằng quý").yearly_due_date(2026) is None
    assert parse_deadline("Trước 30/6/2025").yearly_due_date(2025) is None
    # 29/2 every year is the last day of February in a common year
    assert parse_deadline("Hằng năm, trước ngày 29/2").yearly_due_date(2025) == D(2025, 2, 28)


def test_the_import_preview_says_how_each_deadline_was_understood():
    """The task importer's preview shows each deadline's reading, in Vietnamese."""
    from django.utils import translation

    from tasks.importing import deadline_reading

    with translation.override("vi"):
        readings = {
            phrase: deadline_reading(parse_deadline(phrase))
            for phrase in [
                "Trước 30/6/2025",
                "6 tháng đầu năm 2024",
                "Năm 2025 và các năm tiếp theo",
                "Hằng năm, trước ngày 15/12",
                "Hằng quý",
                "Sau khi Luật Hợp tác xã 2023 được ban hành",
                "Tháng 6",
            ]
        }
    assert readings == {
        "Trước 30/6/2025": "Đến một ngày cụ thể, hạn 30/6/2025",
        "6 tháng đầu năm 2024": "Trong nửa năm (6 tháng), hạn 30/6/2024",
        "Năm 2025 và các năm tiếp theo": "Hằng năm, kể từ năm 2025",
        "Hằng năm, trước ngày 15/12": "Hằng năm, hạn báo cáo năm: 15/12",
        "Hằng quý": "Hằng quý",
        "Sau khi Luật Hợp tác xã 2023 được ban hành": (
            "Là một điều kiện, không phải thời hạn: giữ nguyên văn"
        ),
        "Tháng 6": "Chưa hiểu được (giữ nguyên văn)",
    }


@pytest.mark.django_db
def test_the_deadline_year_filter_knows_every_kind():
    from tasks.filters import TaskFilter
    from tasks.models import Task
    from tasks.services import task_apply_deadline
    from tests import factories as f

    plan = f.PlanFactory()
    phrases = {
        "Hằng quý": {2024, 2025, 2026},
        "Định kỳ 6 tháng": {2024, 2025, 2026},
        "Năm 2025 và các năm tiếp theo": {2025, 2026},
        "Trước 30/6/2025": {2024, 2025},
        "6 tháng đầu năm 2024": {2024},
        "Tháng 6/2026": {2026},
    }
    tasks = {}
    for phrase in phrases:
        task = f.TaskFactory(plan=plan, deadline_text=phrase)
        task_apply_deadline(task=task)
        task.save()
        tasks[phrase] = task
    for year in (2024, 2025, 2026):
        found = set(TaskFilter({"deadline_year": year}, queryset=Task.objects.filter(plan=plan)).qs)
        for phrase, years in phrases.items():
            assert (tasks[phrase] in found) == (year in years), (phrase, year)
