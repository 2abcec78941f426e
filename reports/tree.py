"""The report as plain data: the dataclass tree ``reports.assembly`` builds and the
renderers (``templates/reports/*`` for HTML/PDF, ``reports/docx.py``, ``reports/xlsx.py``)
read. Values a renderer places stay typed (``Decimal``, ``int``, ``datetime.date``); only
the renderers format them. One tree, three files: what one shows, the others show."""

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from common.formatting import vn_date, vn_place_date
from plans.models import Agency, Plan

STATE = "state"  # Nghị định 30/2020/NĐ-CP, Phụ lục I
PARTY = "party"  # Hướng dẫn 36-HD/VPTW (2018)


@dataclass
class Header:
    """The top of a document in its body's format.

    ``number`` is "" on a draft (the office writes it when the report is issued); ``code``
    is the part after it ("BC-UBND" in the State format, "BC/TU" in the Party format);
    ``date`` is None on a draft (day and month are left blank for the signing day)."""

    format: str
    parent_body: str  # the line above the issuer ("ĐẢNG BỘ TỈNH KON TUM"), "" for none
    issuing_body: str  # in capitals, as the header writes it ("TỈNH ỦY")
    number: str
    code: str
    place: str
    date: datetime.date | None
    year: int
    is_draft: bool

    @property
    def is_party(self) -> bool:
        return self.format == PARTY

    @property
    def number_line(self) -> str:
        """ "Số: 12/BC-UBND", "Số:      /BC-UBND"; Party: "Số 12-BC/TU", "Số      -BC/TU"."""
        number = self.number or "\u00a0" * 8
        if self.is_party:
            return f"Số {number}-{self.code}"
        return f"Số: {number}/{self.code}"

    @property
    def place_date(self) -> str:
        return vn_place_date(self.place, self.date, year=self.year)

    def attachment_note(self, issuer: str) -> str:
        """An appendix's line: "(Kèm theo Báo cáo số 12/BC-UBND ngày 05/12/2025 của …)";
        number, day and month blank on a draft."""
        blank = "\u00a0" * 4
        number = self.number_line.removeprefix("Số").lstrip(":").lstrip(" ")
        date = vn_date(self.date) if self.date else f"{blank}/{blank}/{self.year}"
        of = f" của {issuer}" if issuer else ""
        return f"(Kèm theo Báo cáo số {number} ngày {date}{of})"


@dataclass
class Period:
    """The data period of a yearly report (Nghị định 09/2019, Điều 12 khoản 4)."""

    start: datetime.date
    end: datetime.date


@dataclass
class Recipient:
    """Who the report is addressed to ("Kính gửi"), and how the 2025 mergers changed it."""

    names: list[str]
    note: str = ""


@dataclass
class Section:
    """One section of the outline. ``field`` names the report's text field staff edit it
    in ("" for a section built from the data only); ``generated`` is True while the text
    is still the one built from the data."""

    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)
    field: str = ""
    generated: bool = False
    default: list[str] = dataclasses.field(default_factory=list)  # built from the data


@dataclass
class TargetRow:
    number: int
    text: str
    milestone: str
    target: str  # as written: "khoảng 300", "08-10"
    comparator: str  # "khoảng", "ít nhất", "trên", "từ … đến", "" for a plain number
    planned: Decimal | None  # the planned value as a number (the lower end of a range)
    planned_max: Decimal | None  # the upper end of a range
    value: Decimal | None
    unit: str  # "%" for a share, "" for a count
    is_share: bool
    estimated: bool
    share: Decimal | None
    status: str
    status_label: str
    is_child: bool


@dataclass
class TargetPart:
    rows: list[TargetRow]
    charts: list
    has_demo: bool


@dataclass
class StatisticRow:
    """One statistic of the year beside the year before (Phụ lục I)."""

    name: str
    unit: str  # "HTX", "người", "%"
    is_share: bool
    previous: Decimal | None
    value: Decimal | None
    change: Decimal | None  # value - previous
    change_percent: Decimal | None  # for counts: the change as a share of previous
    estimated: bool
    definition: str


@dataclass
class TaskRow:
    code: str
    description: str
    lead: str
    partners: str
    deliverable: str
    deadline: str
    result: str
    status: str
    status_label: str


@dataclass
class TaskSectionRows:
    title: str
    rows: list[TaskRow]


@dataclass
class TimelinessCount:
    status: str
    label: str
    count: int


@dataclass
class TaskPart:
    sections: list[TaskSectionRows]
    counts: list[TimelinessCount]
    total: int


@dataclass
class CompletenessRow:
    agency: str
    expected: int
    submitted: int
    late: int
    state: str  # complete, late, missing
    state_label: str


@dataclass
class Signature:
    authority: str  # "TM. ỦY BAN NHÂN DÂN", "T/M BAN THƯỜNG VỤ"
    deputy: str  # "KT. CHỦ TỊCH" where a deputy signs
    title: str  # "PHÓ CHỦ TỊCH", "BÍ THƯ"
    name: str


@dataclass
class Appendix:
    number: str  # "I", "II"
    title: str


@dataclass
class PlanReport:
    plan: Plan
    year: int
    issuer: Agency
    header: Header
    subject: str
    recipient: Recipient
    intro: str
    period: Period
    sections: list[Section]
    targets: list[TargetRow]
    charts: list
    statistics: list[StatisticRow]
    task_sections: list[TaskSectionRows]
    timeliness_counts: list[TimelinessCount]
    completeness: list[CompletenessRow]
    agency_reports: list["AgencyReportState"]
    appendices: list[Appendix]
    recipients: list[str]  # "Nơi nhận", each line with its closing punctuation
    signature: Signature
    has_demo: bool

    @property
    def attachment_note(self) -> str:
        return self.header.attachment_note(self.issuer.name)


@dataclass
class AgencyReportState:
    """Whether a lead agency's own report for the year is in (all its task reports sent)."""

    agency: str
    agency_id: int
    expected: int
    submitted: int
    is_in: bool
    is_group: bool = False  # a named group issues no report of its own: its members do
    members_reported: int = 0
    members_total: int = 0
    members_missing: list[str] = field(default_factory=list)


@dataclass
class AgencyReport:
    """A lead agency's yearly report on its tasks of a plan, to the coordinating body."""

    plan: Plan
    year: int
    agency: Agency
    header: Header
    subject: str
    recipient: Recipient
    intro: str
    period: Period
    sections: list[Section]
    tasks: list[TaskRow]
    appendices: list[Appendix]
    recipients: list[str]
    signature: Signature
    expected: int
    submitted: int


@dataclass
class SummaryCell:
    value: Decimal | None  # this year's figure
    target: str  # the next milestone's target as written, with its year; "—" if none


@dataclass
class SummaryRow:
    plan: str
    locality: str
    cells: list[SummaryCell]
    counted: bool = True  # False when its place is already counted in another row


@dataclass
class ConsolidatedReport:
    year: int
    issuer: Agency | None
    header: Header
    subject: str
    recipient: Recipient
    intro: str
    period: Period
    summary_columns: list[str]
    summary: list[SummaryRow]
    totals: list[Decimal | None]  # each column over the places counted once
    plans: list[PlanReport] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None

    @property
    def attachment_note(self) -> str:
        return self.header.attachment_note(self.issuer.name if self.issuer else "")
