"""A report's content assembled once as plain data; renderers turn it into HTML/PDF and
XLSX. Nothing here renders or touches HTTP.

Each part of the report has its own small builder (``build_header``, ``build_recipient``,
``build_targets``, ``build_tasks``, ``build_completeness``, ``build_signature``…);
``assemble_plan_report`` and ``assemble_consolidated`` only compose them. Values a renderer
places (figures, shares, counts, the document date, the data period) stay ``Decimal``,
``int`` and ``datetime.date``: the PDF template and the XLSX writer format them. Prose
(the subject, the introduction, the merger note) is written here once, with the shared
formatters, so that both renderers read the same. The tree itself is in ``reports.tree``."""

import datetime
import unicodedata

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from common.formatting import vn_date
from plans.choices import AgencyKind
from plans.models import Agency, Plan
from targets import selectors as target_selectors
from targets.choices import ProgressStatus
from targets.models import Figure
from targets.progress import indicator_value
from tasks.choices import COUNTED_STATES, AssignmentRole, Timeliness
from tasks.models import TaskReport
from tasks.selectors import plan_completeness, task_queryset, task_status

from .models import AnnualReport
from .tree import (
    CompletenessRow,
    ConsolidatedReport,
    Header,
    Period,
    PlanReport,
    Recipient,
    Signature,
    SummaryCell,
    SummaryRow,
    TargetPart,
    TargetRow,
    TaskPart,
    TaskRow,
    TaskSectionRows,
    TimelinessCount,
)

SUMMARY_INDICATORS = [
    ("htx_count", "Số HTX"),
    ("htx_members", "Thành viên HTX"),
    ("tht_count", "Số THT"),
    ("tht_members", "Thành viên THT"),
    ("lhhtx_count", "Số LHHTX"),
    ("kttt_good_fair_share", "Tỷ lệ tổ chức KTTT tốt, khá (%)"),
]
COMPLETENESS_LABELS = {"complete": "Đã gửi", "late": "Gửi muộn", "missing": "Chưa gửi"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def data_period(year: int) -> tuple[datetime.date, datetime.date]:
    day, month = (int(p) for p in settings.REPORT_PERIOD_START.split("/"))
    start = datetime.date(year - 1, month, day)
    return start, datetime.date(year, month, day) - datetime.timedelta(days=1)


# --- builders: one part of the report each


def year_as_of(year: int, today: datetime.date) -> datetime.date:
    """The day a report on ``year`` looks from: today, or 31/12 once the year is over."""
    return min(today, datetime.date(year, 12, 31))


def report_date(*, year: int, report: AnnualReport | None, today: datetime.date) -> datetime.date:
    """The date the report bears: the one set on it, else :func:`year_as_of`."""
    if report and report.report_date:
        return report.report_date
    return year_as_of(year, today)


def reporting_body(*, plan: Plan, report: AnnualReport | None, date: datetime.date) -> Agency:
    """Who issues the report on ``date``: the body set on it, else the plan's issuer, as
    the mergers stand then."""
    body = (report.reporting_body if report and report.reporting_body_id else None) or (
        plan.issuing_body
    )
    return body.current_as_of(date)


def _number_suffix(agency: Agency) -> str:
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return "BC-UBND"
    if agency.kind == AgencyKind.PARTY:
        return "BC/TU"
    initials = "".join(w[0] for w in (agency.short_name or agency.name).split() if w[0].isupper())
    return f"BC-{initials}" if initials else "BC"


def build_header(*, body: Agency, report: AnnualReport | None, date: datetime.date) -> Header:
    parent = body.parent.current_as_of(date) if body.parent_id else None
    return Header(
        parent_body=nfc(parent.name.upper()) if parent else "",
        issuing_body=nfc(body.name.upper()),
        number=(report.number_suffix if report and report.number_suffix else "")
        or _number_suffix(body),
        place=body.locality.current_as_of(date).name,
        date=date,
        is_draft=not (report and report.is_final),
    )


def _plan_reference(plan: Plan) -> str:
    """ "Kế hoạch số 127/KH-UBND ngày 07/3/2023 của Ủy ban nhân dân tỉnh Đắk Nông"."""
    issued = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    return f"{plan.get_kind_display_short()} số {plan.number}{issued} của {plan.issuing_body.name}"


def build_subject(*, plan: Plan, year: int) -> str:
    return nfc(
        f"Kết quả thực hiện {_plan_reference(plan)} về phát triển kinh tế tập thể năm {year}"
    )


def build_recipient(*, plan: Plan, year: int) -> Recipient:
    """The body the plan reports to, or its successor in ``year`` (plans.models follows
    the chain), with a note naming each merger when there was one."""
    if not plan.reports_to_id:
        return Recipient("", "")
    named, recipient = plan.reports_to, plan.report_recipient(year)
    successions = named.successions_as_of(datetime.date(year, 12, 31))
    if not successions:
        return Recipient(nfc(recipient.name), "")
    chain = ", sau đó ".join(
        f"{agency.name} (từ ngày {vn_date(since)})" for agency, since in successions
    )
    note = (
        f"{plan.get_kind_display_short()} giao báo cáo gửi {named.name} {plan.locality.name}; "
        f"theo sắp xếp tổ chức bộ máy năm 2025, cơ quan tiếp nhận là {chain}."
    )
    return Recipient(nfc(recipient.name), nfc(note))


def build_period(*, year: int) -> Period:
    return Period(*data_period(year))


def _target_row(number, target, *, year, values, year_figures) -> TargetRow:
    progress = target.progress
    indicator = target.indicator
    value = indicator_value(indicator, year, values) if indicator else None
    if target.newly_founded and not target.is_yearly and progress.value is not None:
        value = progress.value  # a flow: the sum over the years up to the milestone
    figure = year_figures.get(indicator.code) if indicator else None
    status = progress.status or ""
    return TargetRow(
        number=number,
        text=nfc(target.text),
        milestone=target.milestone_label,
        target=target.value_label or "Định tính",
        value=value,
        unit="%" if indicator is not None and not indicator.is_count else "",
        estimated=bool(figure and figure.status == "estimated"),
        share=progress.share,
        status=status,
        status_label=str(ProgressStatus(status).label) if status else "",
        is_child=target.parent_id is not None,
    )


def build_targets(*, plan: Plan, year: int) -> TargetPart:
    """Each target with the year's figure, the share reached and its assessment."""
    targets, charts, has_demo = target_selectors.plan_progress(plan=plan, as_of_year=year)
    year_figures = {
        f.indicator.code: f
        for f in Figure.objects.filter(plan=plan, year=year).select_related("indicator")
    }
    values = target_selectors.figure_values(plan=plan)
    rows = [
        _target_row(number, target, year=year, values=values, year_figures=year_figures)
        for number, target in enumerate(targets, start=1)
    ]
    return TargetPart(rows, charts, has_demo)


def _task_row(task, status: Timeliness) -> TaskRow:
    results = [
        f"{r.get_progress_display()}: {r.done}".strip(": ")
        + (f" ({r.deliverable_ref})" if r.deliverable_ref else "")
        for r in task.year_reports
    ]
    return TaskRow(
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


def build_tasks(*, plan: Plan, year: int, as_of: datetime.date) -> TaskPart:
    """The tasks by section, each with its status and the lead agencies' reports of the
    year that count (``COUNTED_STATES``), and the count of tasks in each status."""
    counted = TaskReport.objects.filter(
        year=year, role=AssignmentRole.LEAD, state__in=COUNTED_STATES
    )
    tasks = list(
        task_queryset()
        .filter(plan=plan)
        .prefetch_related(Prefetch("reports", queryset=counted, to_attr="year_reports"))
    )
    sections: dict[str, TaskSectionRows] = {}
    counts = dict.fromkeys(Timeliness, 0)
    for task in tasks:
        status = Timeliness(task_status(task, year=year, today=as_of))
        counts[status] += 1
        section = sections.setdefault(
            task.section.number, TaskSectionRows(nfc(str(task.section)), [])
        )
        section.rows.append(_task_row(task, status))
    return TaskPart(
        sections=list(sections.values()),
        counts=[TimelinessCount(s, str(s.label), counts[s]) for s in Timeliness],
        total=len(tasks),
    )


def build_completeness(*, plan: Plan, year: int, as_of: datetime.date) -> list[CompletenessRow]:
    """Which lead agencies sent their reports of the year (``tasks.selectors``)."""
    completeness = plan_completeness(plan=plan, year=year, today=as_of)
    return [
        CompletenessRow(
            agency=a.agency.name,
            expected=a.expected,
            submitted=a.submitted,
            late=a.late,
            state=a.state,
            state_label=COMPLETENESS_LABELS[a.state],
        )
        for a in completeness.agencies
    ]


def build_signature(*, body: Agency, report: AnnualReport | None) -> Signature:
    """The signature block the issuing body's kind uses, as the report overrides it."""
    if body.kind == AgencyKind.PEOPLES_COMMITTEE:
        default = Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")
    elif body.kind == AgencyKind.PARTY:
        default = Signature("T/M BAN THƯỜNG VỤ", "", "BÍ THƯ", "")
    else:
        default = Signature("", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "")
    if not report:
        return default
    return Signature(
        nfc(report.sign_authority) or default.authority,
        nfc(report.sign_deputy) or default.deputy,
        nfc(report.sign_title) or default.title,
        nfc(report.signer_name),
    )


def build_recipients(
    *, plan: Plan, body: Agency, recipient: Recipient, report: AnnualReport | None
) -> list[str]:
    """The "Nơi nhận" list: the recipient, the compiling body, extra lines, the archive."""
    lines = [f"{recipient.name};"] if recipient.name else []
    if plan.reports_via_id:
        lines.append(f"{plan.reports_via.name} (để tổng hợp);")
    if report and report.extra_recipients:
        lines += [
            nfc(line.strip()).rstrip(";") + ";"
            for line in report.extra_recipients.splitlines()
            if line.strip()
        ]
    lines.append(f"Lưu: VT, {body.short_name or body.name}.")
    return lines


def build_intro(
    *, plan: Plan, year: int, body: Agency, targets: list[TargetRow], task_count: int
) -> str:
    achieved = sum(1 for r in targets if r.status == ProgressStatus.ACHIEVED)
    numeric = sum(1 for r in targets if r.status)
    return nfc(
        f"Thực hiện {_plan_reference(plan)}, {body.name} báo cáo kết quả thực hiện năm "
        f"{year} như sau: {achieved}/{numeric} chỉ tiêu định lượng đã đạt; {task_count} "
        f"nhiệm vụ được theo dõi."
    )


def _paragraphs(text: str) -> list[str]:
    return [nfc(p.strip()) for p in (text or "").split("\n") if p.strip()]


def assemble_plan_report(
    *, plan: Plan, year: int, report: AnnualReport | None = None, today=None
) -> PlanReport:
    """Everything a plan's report for ``year`` says, as plain data."""
    today = today or timezone.localdate()
    date = report_date(year=year, report=report, today=today)
    body = reporting_body(plan=plan, report=report, date=date)
    as_of = year_as_of(year, today)
    recipient = build_recipient(plan=plan, year=year)
    targets = build_targets(plan=plan, year=year)
    tasks = build_tasks(plan=plan, year=year, as_of=as_of)
    return PlanReport(
        plan=plan,
        year=year,
        header=build_header(body=body, report=report, date=date),
        subject=build_subject(plan=plan, year=year),
        recipient=recipient.name,
        recipient_note=recipient.note,
        period=build_period(year=year),
        intro=build_intro(
            plan=plan, year=year, body=body, targets=targets.rows, task_count=tasks.total
        ),
        targets=targets.rows,
        charts=targets.charts,
        task_sections=tasks.sections,
        timeliness_counts=tasks.counts,
        completeness=build_completeness(plan=plan, year=year, as_of=as_of),
        difficulties=_paragraphs(report.difficulties if report else ""),
        proposals=_paragraphs(report.proposals if report else ""),
        recipients=build_recipients(plan=plan, body=body, recipient=recipient, report=report),
        signature=build_signature(body=body, report=report),
        has_demo=targets.has_demo,
    )


# --- the consolidated report


def _summary_cell(targets, values, *, code: str, year: int) -> SummaryCell:
    """One key indicator of a plan: the year's figure against the next milestone's target."""
    indicator = next(
        (t.indicator for t in targets if t.indicator and t.indicator.code == code), None
    )
    value = indicator_value(indicator, year, values) if indicator else values.get((code, year))
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
    target = f"{upcoming[0].value_label} ({upcoming[0].milestone_year})" if upcoming else "—"
    return SummaryCell(value, target)


def build_summary_row(*, plan: Plan, year: int) -> SummaryRow:
    values = target_selectors.figure_values(plan=plan)
    targets = list(target_selectors.target_list(plan=plan))
    return SummaryRow(
        f"{plan.get_kind_display_short()} {plan.number}",
        plan.locality.name,
        [_summary_cell(targets, values, code=code, year=year) for code, _ in SUMMARY_INDICATORS],
    )


def build_consolidated_header(*, year: int, today: datetime.date) -> Header:
    return Header(
        parent_body="",
        issuing_body="CỔNG THEO DÕI KINH TẾ TẬP THỂ",
        number="BC-TH",
        place="Việt Nam",
        date=year_as_of(year, today),
        is_draft=True,
    )


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
    return ConsolidatedReport(
        year=year,
        header=build_consolidated_header(year=year, today=today),
        subject=f"Tổng hợp kết quả thực hiện các kế hoạch phát triển kinh tế tập thể năm {year}",
        period=build_period(year=year),
        summary_columns=[label for _code, label in SUMMARY_INDICATORS],
        summary=[build_summary_row(plan=plan, year=year) for plan in plans],
        plans=[
            assemble_plan_report(plan=p, year=year, report=reports.get(p.pk), today=today)
            for p in plans
        ],
    )
