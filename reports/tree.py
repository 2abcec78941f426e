"""The report as plain data: the dataclass tree ``reports.assembly`` builds and the
renderers (``templates/reports/*``, ``reports/xlsx.py``) read. Values a renderer places stay
typed (``Decimal``, ``int``, ``datetime.date``); only the renderers format them."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from plans.models import Plan


@dataclass
class Header:
    """The Decree-30 header; ``number`` is the part after "Số: …/" (``BC-UBND``)."""

    parent_body: str
    issuing_body: str
    number: str
    place: str
    date: datetime.date
    is_draft: bool


@dataclass
class Period:
    """The data period of a yearly report (Nghị định 09/2019, Điều 12 khoản 4)."""

    start: datetime.date
    end: datetime.date


@dataclass
class Recipient:
    name: str  # "" when the plan names no recipient
    note: str  # how the 2025 mergers changed it, "" when they did not


@dataclass
class TargetRow:
    number: int
    text: str
    milestone: str
    target: str
    value: Decimal | None
    unit: str  # "%" for a share, "" for a count
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
    authority: str
    deputy: str
    title: str
    name: str


@dataclass
class PlanReport:
    plan: Plan
    year: int
    header: Header
    subject: str
    recipient: str
    recipient_note: str
    period: Period
    intro: str
    targets: list[TargetRow]
    charts: list
    task_sections: list[TaskSectionRows]
    timeliness_counts: list[TimelinessCount]
    completeness: list[CompletenessRow]
    difficulties: list[str]
    proposals: list[str]
    recipients: list[str]
    signature: Signature
    has_demo: bool


@dataclass
class SummaryCell:
    value: Decimal | None  # this year's figure
    target: str  # the next milestone's target as written, with its year; "—" if none


@dataclass
class SummaryRow:
    plan: str
    locality: str
    cells: list[SummaryCell]


@dataclass
class ConsolidatedReport:
    year: int
    header: Header
    subject: str
    period: Period
    summary_columns: list[str]
    summary: list[SummaryRow]
    plans: list[PlanReport] = field(default_factory=list)
