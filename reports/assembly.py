"""A report's content assembled once as plain data; renderers turn it into HTML/PDF and
XLSX. Nothing here renders or touches HTTP."""

import datetime
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from common.formatting import vn_date, vn_number
from plans.choices import AgencyKind
from plans.models import Agency, Plan
from targets import selectors as target_selectors
from targets.choices import ProgressStatus
from targets.models import Figure
from targets.progress import indicator_value
from tasks.choices import COUNTED_STATES, AssignmentRole, Timeliness
from tasks.models import TaskReport
from tasks.selectors import task_queryset, task_status

from .models import AnnualReport

SUMMARY_INDICATORS = [
    ("htx_count", "Số HTX"),
    ("htx_members", "Thành viên HTX"),
    ("tht_count", "Số THT"),
    ("tht_members", "Thành viên THT"),
    ("lhhtx_count", "Số LHHTX"),
    ("kttt_good_fair_share", "Tỷ lệ tổ chức KTTT tốt, khá (%)"),
]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def decree30_date(place: str, date: datetime.date) -> str:
    """ "Đắk Nông, ngày 05 tháng 12 năm 2025": zero before days < 10 and months 1–2."""
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def data_period(year: int) -> tuple[datetime.date, datetime.date]:
    day, month = (int(p) for p in settings.REPORT_PERIOD_START.split("/"))
    start = datetime.date(year - 1, month, day)
    return start, datetime.date(year, month, day) - datetime.timedelta(days=1)


@dataclass
class Header:
    parent_body: str
    issuing_body: str
    number: str
    place_date: str
    is_draft: bool


@dataclass
class TargetRow:
    number: int
    text: str
    milestone: str
    target: str
    value: Decimal | None
    value_text: str
    unit: str
    estimated: bool
    share: Decimal | None
    status: str
    status_label: str
    is_child: bool


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
    period: str
    intro: str
    targets: list[TargetRow]
    charts: list
    task_sections: list[TaskSectionRows]
    timeliness_counts: list[tuple[str, int]]
    completeness: list[tuple[str, int, int, int, str]]
    difficulties: list[str]
    proposals: list[str]
    recipients: list[str]
    signature: Signature
    has_demo: bool


@dataclass
class SummaryRow:
    plan: str
    locality: str
    cells: list[tuple[str, str]]  # (value this year, next milestone target)


@dataclass
class ConsolidatedReport:
    year: int
    header: Header
    subject: str
    period: str
    summary_columns: list[str]
    summary: list[SummaryRow]
    plans: list[PlanReport] = field(default_factory=list)


def _number_suffix(agency: Agency) -> str:
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return "BC-UBND"
    if agency.kind == AgencyKind.PARTY:
        return "BC/TU"
    initials = "".join(w[0] for w in (agency.short_name or agency.name).split() if w[0].isupper())
    return f"BC-{initials}" if initials else "BC"


def _signature_defaults(agency: Agency) -> Signature:
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    if agency.kind == AgencyKind.PARTY:
        return Signature("T/M BAN THƯỜNG VỤ", "", "BÍ THƯ", "")
    return Signature("", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "")


def _agency_as_of(agency, date):
    return agency.current_as_of(date) if agency else None


def assemble_plan_report(
    *, plan: Plan, year: int, report: AnnualReport | None = None, today=None
) -> PlanReport:
    """Everything a plan's report for ``year`` says, as plain data."""
    today = today or timezone.localdate()
    report_date = (report.report_date if report and report.report_date else None) or min(
        today, datetime.date(year, 12, 31)
    )
    body = (report.reporting_body if report and report.reporting_body_id else None) or (
        plan.issuing_body
    )
    body = _agency_as_of(body, report_date)
    parent = body.parent.current_as_of(report_date) if body.parent_id else None
    place = body.locality.current_as_of(report_date).name
    suffix = (report.number_suffix if report and report.number_suffix else "") or (
        _number_suffix(body)
    )
    header = Header(
        parent_body=nfc(parent.name.upper()) if parent else "",
        issuing_body=nfc(body.name.upper()),
        number=suffix,
        place_date=decree30_date(place, report_date),
        is_draft=not (report and report.is_final),
    )
    kind = plan.get_kind_display_short()
    doc_date = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    subject = nfc(
        f"Kết quả thực hiện {kind} số {plan.number}{doc_date} của {plan.issuing_body.name} "
        f"về phát triển kinh tế tập thể năm {year}"
    )
    recipient_agency = plan.report_recipient(year) if plan.reports_to_id else None
    recipient = recipient_agency.name if recipient_agency else ""
    recipient_note = ""
    if recipient_agency and recipient_agency != plan.reports_to:
        since = plan.reports_to
        chain = []
        while (
            since.successor_id
            and since.successor_from
            and since.successor_from <= (datetime.date(year, 12, 31))
        ):
            chain.append(f"{since.successor.name} (từ ngày {vn_date(since.successor_from)})")
            since = since.successor
        recipient_note = nfc(
            f"{kind} giao báo cáo gửi {plan.reports_to.name} {plan.locality.name}; "
            f"theo sắp xếp tổ chức bộ máy năm 2025, cơ quan tiếp nhận là "
            + ", sau đó ".join(chain)
            + "."
        )
    start, end = data_period(year)
    period = f"Số liệu báo cáo tính từ ngày {vn_date(start)} đến ngày {vn_date(end)}."

    targets, charts, has_demo = target_selectors.plan_progress(plan=plan, as_of_year=year)
    year_figures = {
        f.indicator.code: f
        for f in Figure.objects.filter(plan=plan, year=year).select_related("indicator")
    }
    values = target_selectors.figure_values(plan=plan)
    target_rows = []
    for number, target in enumerate(targets, start=1):
        progress = target.progress
        indicator = target.indicator
        unit = "%" if indicator is not None and not indicator.is_count else ""
        value = indicator_value(indicator, year, values) if indicator else None
        if target.newly_founded and not target.is_yearly and progress.value is not None:
            value = progress.value
        figure = year_figures.get(indicator.code) if indicator else None
        status = progress.status or ""
        target_rows.append(
            TargetRow(
                number=number,
                text=nfc(target.text),
                milestone=target.milestone_label,
                target=target.value_label or "Định tính",
                value=value,
                value_text=(vn_number(value) + unit) if value is not None else "",
                unit=unit,
                estimated=bool(figure and figure.status == "estimated"),
                share=progress.share,
                status=status,
                status_label=str(ProgressStatus(status).label) if status else "",
                is_child=target.parent_id is not None,
            )
        )

    as_of = min(today, datetime.date(year, 12, 31))
    tasks = list(
        task_queryset()
        .filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=TaskReport.objects.filter(
                    year=year, role=AssignmentRole.LEAD, state__in=COUNTED_STATES
                ),
                to_attr="year_reports",
            )
        )
    )
    sections: dict[str, TaskSectionRows] = {}
    counts = {status: 0 for status in Timeliness}
    for task in tasks:
        status = Timeliness(task_status(task, year=year, today=as_of))
        counts[status] += 1
        results = [
            f"{r.get_progress_display()}: {r.done}".strip(": ")
            + (f" ({r.deliverable_ref})" if r.deliverable_ref else "")
            for r in task.year_reports
        ]
        key = task.section.number
        sections.setdefault(key, TaskSectionRows(nfc(str(task.section)), []))
        sections[key].rows.append(
            TaskRow(
                code=task.code,
                description=nfc(task.description),
                lead=nfc("; ".join(a.name for a in task.lead_agencies)),
                partners=nfc("; ".join(a.name for a in task.partner_agencies)),
                deliverable=nfc(task.deliverable),
                deadline=nfc(task.deadline_text),
                result=nfc(" ".join(results)) or "Chưa có báo cáo",
                status=status,
                status_label=str(status.label),
            )
        )
    from tasks.selectors import plan_completeness

    completeness = plan_completeness(plan=plan, year=year, today=as_of)
    completeness_rows = [
        (
            a.agency.name,
            a.expected,
            a.submitted,
            a.late,
            {"complete": "Đã gửi", "late": "Gửi muộn", "missing": "Chưa gửi"}[a.state],
        )
        for a in completeness.agencies
    ]
    signature = _signature_defaults(body)
    if report:
        signature = Signature(
            nfc(report.sign_authority) or signature.authority,
            nfc(report.sign_deputy) or signature.deputy,
            nfc(report.sign_title) or signature.title,
            nfc(report.signer_name),
        )
    recipients = []
    if recipient:
        recipients.append(f"{recipient};")
    if plan.reports_via_id:
        recipients.append(f"{plan.reports_via.name} (để tổng hợp);")
    if report and report.extra_recipients:
        recipients += [
            nfc(line.strip()).rstrip(";") + ";"
            for line in report.extra_recipients.splitlines()
            if line.strip()
        ]
    short = body.short_name or body.name
    recipients.append(f"Lưu: VT, {short}.")
    achieved = sum(1 for r in target_rows if r.status == ProgressStatus.ACHIEVED)
    numeric = sum(1 for r in target_rows if r.status)
    intro = nfc(
        f"Thực hiện {kind} số {plan.number}{doc_date} của {plan.issuing_body.name}, "
        f"{body.name} báo cáo kết quả thực hiện năm {year} như sau: {achieved}/{numeric} "
        f"chỉ tiêu định lượng đã đạt; {len(tasks)} nhiệm vụ được theo dõi."
    )
    return PlanReport(
        plan=plan,
        year=year,
        header=header,
        subject=subject,
        recipient=nfc(recipient),
        recipient_note=recipient_note,
        period=period,
        intro=intro,
        targets=target_rows,
        charts=charts,
        task_sections=list(sections.values()),
        timeliness_counts=[(str(s.label), counts[s]) for s in Timeliness],
        completeness=completeness_rows,
        difficulties=_paragraphs(report.difficulties if report else ""),
        proposals=_paragraphs(report.proposals if report else ""),
        recipients=recipients,
        signature=signature,
        has_demo=has_demo,
    )


def _paragraphs(text: str) -> list[str]:
    return [nfc(p.strip()) for p in (text or "").split("\n") if p.strip()]


def assemble_consolidated(*, plans, year: int, today=None) -> ConsolidatedReport:
    """All (or the chosen) plans for a year: a summary of key indicators against their next
    milestone, then each plan's section."""
    today = today or timezone.localdate()
    reports = {
        r.plan_id: r
        for r in AnnualReport.objects.filter(plan__in=plans, year=year).select_related(
            "reporting_body"
        )
    }
    sections = [
        assemble_plan_report(plan=p, year=year, report=reports.get(p.pk), today=today)
        for p in plans
    ]
    summary = []
    for plan in plans:
        values = target_selectors.figure_values(plan=plan)
        targets = list(target_selectors.target_list(plan=plan))
        cells = []
        for code, _label in SUMMARY_INDICATORS:
            indicator = next(
                (t.indicator for t in targets if t.indicator and t.indicator.code == code), None
            )
            value = (
                indicator_value(indicator, year, values) if indicator else values.get((code, year))
            )
            upcoming = sorted(
                (
                    t
                    for t in targets
                    if t.indicator
                    and t.indicator.code == code
                    and not t.is_yearly
                    and t.milestone_year >= year
                ),
                key=lambda t: t.milestone_year,
            )
            target_text = (
                f"{upcoming[0].value_label} ({upcoming[0].milestone_year})" if upcoming else "—"
            )
            cells.append((vn_number(value) if value is not None else "—", target_text))
        summary.append(
            SummaryRow(f"{plan.get_kind_display_short()} {plan.number}", plan.locality.name, cells)
        )
    date = min(today, datetime.date(year, 12, 31))
    start, end = data_period(year)
    return ConsolidatedReport(
        year=year,
        header=Header(
            "",
            "CỔNG THEO DÕI KINH TẾ TẬP THỂ",
            "Số:        /BC-TH",
            decree30_date("Việt Nam", date),
            True,
        ),
        subject=f"Tổng hợp kết quả thực hiện các kế hoạch phát triển kinh tế tập thể năm {year}",
        period=f"Số liệu báo cáo tính từ ngày {vn_date(start)} đến ngày {vn_date(end)}.",
        summary_columns=[label for _code, label in SUMMARY_INDICATORS],
        summary=summary,
        plans=sections,
    )
