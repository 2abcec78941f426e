"""The outline of a yearly report on the collective economy and the text each section
starts from, built from the data. Staff edit the text and keep it per year
(``AnnualReport``'s outline fields); an empty field means the generated text.

The outline follows the ministry's guidance for yearly reports (DOMAIN.md, "What a yearly
report on the collective economy contains"):

====  ==========================================  ===================
 no.  section                                     report field
====  ==========================================  ===================
 I    Công tác lãnh đạo, chỉ đạo, triển khai      ``leadership``
 II   Kết quả thực hiện: 1. các chỉ tiêu;         ``targets_text``,
      2. các nhiệm vụ, giải pháp                  ``tasks_text``
 III  Đánh giá chung: 1. kết quả đạt được;        ``assessment``,
      2. hạn chế, tồn tại và nguyên nhân          ``difficulties``
 IV   Phương hướng, nhiệm vụ năm sau              ``next_year``
 V    Đề xuất, kiến nghị                          ``proposals``
 PL I  chỉ tiêu và số liệu thống kê (tables)
 PL II nhiệm vụ và tình hình gửi báo cáo (tables)
====  ==========================================  ===================

Nothing here queries the database: ``reports.assembly`` passes the facts in.
"""

import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from common.formatting import vn_number
from plans.choices import LocalityLevel

OUTLINE_FIELDS = [
    "leadership",
    "targets_text",
    "tasks_text",
    "assessment",
    "difficulties",
    "next_year",
    "proposals",
]
SCOPE = {
    LocalityLevel.NATIONAL: "cả nước",
    LocalityLevel.PROVINCE: "toàn tỉnh",
    LocalityLevel.CITY: "toàn thành phố",
    LocalityLevel.DISTRICT: "toàn huyện",
    LocalityLevel.COMMUNE: "toàn xã",
}
ONE_PLACE = Decimal("0.1")
# How many accepted results of one task group the generated text quotes.
RESULTS_PER_GROUP = 12
QUOTE_LENGTH = 400


def paragraphs(text: str) -> list[str]:
    """Stored text as paragraphs: one per non-empty line."""
    return [
        unicodedata.normalize("NFC", line.strip())
        for line in (text or "").splitlines()
        if line.strip()
    ]


def as_text(lines: list[str]) -> str:
    return "\n".join(lines)


def _percent(value: Decimal) -> str:
    return f"{vn_number(value.quantize(ONE_PLACE, ROUND_HALF_UP))}%"


ABBREVIATIONS = [
    ("liên hiệp hợp tác xã", "LHHTX"),
    ("hợp tác xã", "HTX"),
    ("tổ hợp tác", "THT"),
    ("kinh tế tập thể", "KTTT"),
]


def _counted_noun(noun: str) -> str:
    """What a change is counted in: "hợp tác xã" → "HTX", "thành viên tổ hợp tác" →
    "thành viên"."""
    for long, short in ABBREVIATIONS:
        noun = noun.replace(long, short)
    words = noun.split()
    if not words:
        return ""
    if words[0].isupper():
        return words[0]
    return " ".join(words[:2])


def _noun(indicator_name: str) -> str:
    """ "Số hợp tác xã" → "hợp tác xã"; "Tỷ lệ …" stays."""
    name = indicator_name.strip()
    if name.casefold().startswith("số "):
        return name[3:]
    return name[0].lower() + name[1:] if name else name


@dataclass
class IndicatorFact:
    """One indicator's year against the year before and its next target."""

    name: str
    is_share: bool
    is_flow: bool
    value: Decimal
    previous: Decimal | None
    estimated: bool
    share_of_target: Decimal | None
    target_label: str  # "khoảng 360", "" without a numeric target
    milestone: str  # "năm 2030", "hằng năm"


def target_sentence(fact: IndicatorFact, *, year: int, scope: str) -> str:
    """ "Năm 2025, toàn tỉnh có 295 hợp tác xã, tăng 19 hợp tác xã (6,9%) so với năm 2024,
    đạt 81,9% chỉ tiêu năm 2030 (khoảng 360)." """
    noun = _noun(fact.name)
    value = vn_number(fact.value) + ("%" if fact.is_share else "")
    estimated = " (ước thực hiện)" if fact.estimated else ""
    if fact.is_share:
        text = f"Năm {year}, {noun} của {scope} đạt {value}{estimated}"
    elif fact.is_flow:
        text = f"Năm {year}, {scope} có {value} {noun}{estimated}"
    else:
        text = f"Năm {year}, {scope} có {value} {noun}{estimated}"
    if fact.previous is not None:
        change = fact.value - fact.previous
        if change == 0:
            text += f", bằng năm {year - 1}"
        else:
            word = "tăng" if change > 0 else "giảm"
            if fact.is_share:
                text += f", {word} {vn_number(abs(change))} điểm phần trăm so với năm {year - 1}"
            else:
                amount = f"{word} {vn_number(abs(change))} {_counted_noun(noun)}".rstrip()
                if fact.previous:
                    amount += f" ({_percent(abs(change) / fact.previous * 100)})"
                text += f", {amount} so với năm {year - 1}"
    if fact.share_of_target is not None and fact.target_label:
        text += (
            f", đạt {_percent(fact.share_of_target)} chỉ tiêu {fact.milestone} "
            f"({fact.target_label})"
        )
    return text + "."


def targets_paragraphs(
    facts: list[IndicatorFact], *, year: int, scope: str, behind: list[str], no_data: int
) -> list[str]:
    lines = [target_sentence(f, year=year, scope=scope) for f in facts]
    if not lines:
        lines.append(f"Chưa có số liệu năm {year} của các chỉ tiêu.")
    if behind:
        lines.append("Các chỉ tiêu chậm so với lộ trình: " + "; ".join(behind) + ".")
    if no_data:
        lines.append(f"Còn {no_data} chỉ tiêu chưa đủ số liệu để đánh giá.")
    lines.append("Chi tiết tại Phụ lục I.")
    return lines


@dataclass
class TaskGroupFacts:
    title: str
    total: int
    counts: list[tuple[str, int]]  # (status label, count), zero counts left out
    results: list[tuple[str, str, str]]  # (task code, lead agency, what was done)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1].rstrip() + "…"


def tasks_paragraphs(groups: list[TaskGroupFacts]) -> list[str]:
    lines = []
    for group in groups:
        counts = "; ".join(f"{label.lower()}: {vn_number(n)}" for label, n in group.counts)
        lines.append(f"{group.title}: {vn_number(group.total)} nhiệm vụ ({counts}).")
        for code, agency, done in group.results[:RESULTS_PER_GROUP]:
            lines.append(f"- Nhiệm vụ {code} ({agency}): {_shorten(done)}")
        if len(group.results) > RESULTS_PER_GROUP:
            rest = len(group.results) - RESULTS_PER_GROUP
            lines.append(f"- Và {vn_number(rest)} kết quả khác (Phụ lục II).")
    if not lines:
        lines.append("Kế hoạch chưa có nhiệm vụ được theo dõi.")
    lines.append("Chi tiết tại Phụ lục II.")
    return lines


def leadership_paragraphs(
    *,
    year: int,
    plan_reference: str,
    issuer: str,
    task_total: int,
    lead_count: int,
    submitted: int,
    expected: int,
    documents: list[str],
) -> list[str]:
    lines = [
        f"Năm {year}, thực hiện {plan_reference}, các cơ quan, đơn vị đã triển khai "
        f"{vn_number(task_total)} nhiệm vụ do {vn_number(lead_count)} đơn vị chủ trì; "
        f"{issuer} đã nhận {vn_number(submitted)}/{vn_number(expected)} báo cáo kết quả "
        f"thực hiện nhiệm vụ của các đơn vị trong năm."
    ]
    if documents:
        lines.append("Các văn bản, sản phẩm đã ban hành trong năm: " + "; ".join(documents) + ".")
    return lines


def assessment_paragraphs(
    *, achieved: int, on_track: int, numeric: int, completed: int, task_total: int
) -> list[str]:
    return [
        f"Về chỉ tiêu: {vn_number(achieved)}/{vn_number(numeric)} chỉ tiêu định lượng đã đạt, "
        f"{vn_number(on_track)} chỉ tiêu đúng tiến độ.",
        f"Về nhiệm vụ: {vn_number(completed)}/{vn_number(task_total)} nhiệm vụ đã hoàn thành.",
    ]


def difficulties_paragraphs(
    *, behind: list[str], overdue: list[str], missing: list[str]
) -> list[str]:
    lines = []
    if behind:
        lines.append(f"Còn {vn_number(len(behind))} chỉ tiêu chậm so với lộ trình (mục II.1).")
    if overdue:
        lines.append("Các nhiệm vụ quá hạn chưa hoàn thành: " + "; ".join(overdue) + ".")
    if missing:
        lines.append("Các đơn vị chưa gửi đủ báo cáo: " + "; ".join(missing) + ".")
    if not lines:
        lines.append("Không có hạn chế lớn được ghi nhận từ số liệu.")
    lines.append("Nguyên nhân: (đơn vị soạn thảo bổ sung).")
    return lines


def next_year_paragraphs(
    *, next_year: int, due: list[str], recurring: int, unfinished: list[str], milestones: list[str]
) -> list[str]:
    lines = [f"Năm {next_year}, tập trung thực hiện:"]
    if due:
        lines.append(
            f"- Hoàn thành các nhiệm vụ có thời hạn năm {next_year}: " + "; ".join(due) + "."
        )
    if unfinished:
        lines.append(
            "- Khẩn trương hoàn thành các nhiệm vụ quá hạn: " + "; ".join(unfinished) + "."
        )
    if recurring:
        lines.append(
            f"- Tiếp tục thực hiện {vn_number(recurring)} nhiệm vụ thường xuyên, hằng năm."
        )
    if milestones:
        lines.append(f"- Phấn đấu đạt các chỉ tiêu: {'; '.join(milestones)}.")
    return lines


def proposals_paragraphs(*, addressee: str, overdue: int, next_year: int) -> list[str]:
    """Proposals to the recipient on what it can decide; the intake of the agencies'
    reports is not its business (it stays in the appendix)."""
    if overdue:
        return [
            f"Đề nghị {addressee} chỉ đạo các cơ quan, đơn vị đẩy nhanh tiến độ, hoàn thành "
            f"{vn_number(overdue)} nhiệm vụ chưa hoàn thành đúng hạn trong năm {next_year}."
        ]
    return ["Không có."]
