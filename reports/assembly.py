"""A report's content assembled once as plain data; renderers turn it into HTML/PDF, DOCX
and XLSX. Nothing here renders or touches HTTP.

Each part of the report has its own small builder (``build_header``, ``build_recipient``,
``build_targets``, ``build_statistics``, ``build_tasks``, ``build_sections``,
``build_signature``…); ``assemble_plan_report``, ``assemble_agency_report`` and
``assemble_consolidated`` only compose them. Values a renderer places (figures, shares,
counts, the document date, the data period) stay ``Decimal``, ``int`` and
``datetime.date``. Prose (the subject, the introduction, the outline's generated text,
the merger note) is written here and in ``reports.outline`` once, so that every renderer
reads the same. The reporting chain is ``plans.chain``; the document formats
``reports.formats``; the tree ``reports.tree``.

Dates: a draft bears no day, month or number (blank for the signing day); a final report
bears the day it was finalised. Bodies (issuer, addressees) and the place follow the
mergers as they stand on that day, or on the year's last day for a draft
(:func:`chain_date`)."""

import datetime
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from common.formatting import vn_date
from plans import chain
from plans.models import Agency, Plan
from targets import selectors as target_selectors
from targets.choices import UNIT_WORDS, ProgressStatus
from targets.models import Indicator
from targets.progress import indicator_value
from tasks.choices import COUNTED_STATES, AssignmentRole, Timeliness
from tasks.models import TaskReport
from tasks.selectors import plan_completeness, task_queryset, task_status

from . import formats, outline
from .models import AnnualReport
from .tree import (
    AgencyReport,
    AgencyReportState,
    Appendix,
    CompletenessRow,
    ConsolidatedReport,
    Header,
    Period,
    PlanReport,
    Recipient,
    Section,
    Signature,
    StatisticRow,
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
HUNDRED = Decimal(100)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def data_period(year: int) -> tuple[datetime.date, datetime.date]:
    day, month = (int(p) for p in settings.REPORT_PERIOD_START.split("/"))
    start = datetime.date(year - 1, month, day)
    return start, datetime.date(year, month, day) - datetime.timedelta(days=1)


# --- dates and the chain


def year_as_of(year: int, today: datetime.date) -> datetime.date:
    """The day a report on ``year`` looks from: today, or 31/12 once the year is over."""
    return min(today, datetime.date(year, 12, 31))


def document_date(report: AnnualReport | None) -> datetime.date | None:
    """The date the document bears: the day it was finalised; None on a draft."""
    if report is not None and report.is_final and report.report_date:
        return report.report_date
    return None


def chain_date(*, year: int, report: AnnualReport | None) -> datetime.date:
    """The day the bodies are taken as they stand: the document's date, else the year's
    last day (a report on 2025 goes to the bodies of the end of 2025)."""
    return document_date(report) or datetime.date(year, 12, 31)


def reporting_body(*, plan: Plan, report: AnnualReport | None, date: datetime.date) -> Agency:
    """Who issues the report on ``date``: the body set on the report, else the plan's
    report issuer (``plans.chain.report_issuer``), as the mergers stand then."""
    if report is not None and report.reporting_body_id:
        return report.reporting_body.current_as_of(date)
    return chain.report_issuer(plan, date)


# --- builders: one part of the report each


def build_header(
    *,
    body: Agency,
    year: int,
    date: datetime.date | None,
    number: str = "",
    code: str = "",
) -> Header:
    """The header in the body's format; no number and no day on a draft (``date`` None)."""
    parent_line, name_line = formats.header_lines(body)
    return Header(
        format=formats.document_format(body),
        parent_body=parent_line,
        issuing_body=name_line,
        number=number.strip() if date else "",
        code=code.strip() or formats.report_code(body),
        place=formats.place_of(body),
        date=date,
        year=year,
        is_draft=date is None,
    )


def _plan_reference(plan: Plan) -> str:
    """ "Kế hoạch số 127/KH-UBND ngày 07/3/2023 của Ủy ban nhân dân tỉnh Đắk Nông"."""
    issued = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    return f"{plan.get_kind_display_short()} số {plan.number}{issued} của {plan.issuing_body.name}"


def build_subject(*, plan: Plan, year: int) -> str:
    return nfc(
        f"Kết quả thực hiện năm {year} {_plan_reference(plan)} về phát triển kinh tế tập thể"
    )


def _merger_note(named: list[Agency], date: datetime.date) -> str:
    """One sentence per body the 2025 reorganisation replaced."""
    parts = []
    for agency in named:
        successions = agency.successions_as_of(date)
        if successions:
            chain_text = ", sau đó ".join(
                f"{a.name} (từ ngày {vn_date(since)})" for a, since in successions
            )
            parts.append(f"{agency.name} nay là {chain_text}")
    if not parts:
        return ""
    return nfc("Theo sắp xếp tổ chức bộ máy năm 2025: " + "; ".join(parts) + ".")


def build_recipient(
    *, plan: Plan, body: Agency, report: AnnualReport | None, date: datetime.date
) -> Recipient:
    """ "Kính gửi": the report's own lines, else the plan's addressees as they stand on
    ``date`` (never a body below the issuer, ``plans.chain``)."""
    if report is not None and report.addressees.strip():
        return Recipient(outline.paragraphs(report.addressees))
    bodies = chain.plan_addressees(plan, body, date)
    named = [a for a in plan.report_addressees.all()] + [plan.report_issuer or plan.issuing_body]
    return Recipient([nfc(a.name) for a in bodies], _merger_note(named, date))


def build_period(*, year: int) -> Period:
    return Period(*data_period(year))


def _planned(target) -> tuple[str, Decimal | None, Decimal | None]:
    from targets.choices import COMPARATOR_WORDS, Comparator

    if target.is_qualitative or target.value is None:
        return "", None, None
    comparator = Comparator(target.comparator)
    word = COMPARATOR_WORDS[comparator]
    if comparator == Comparator.OR_MORE:
        word = "từ … trở lên"
    elif comparator == Comparator.RANGE:
        word = "từ … đến"
    return word, target.value, target.value_max


def _target_row(number, target, *, year, values, year_figures) -> TargetRow:
    progress = target.progress
    indicator = target.indicator
    value = indicator_value(indicator, year, values) if indicator else None
    if target.newly_founded and not target.is_yearly and progress.value is not None:
        value = progress.value  # a flow: the sum over the years up to the milestone
    figure = year_figures.get(indicator.code) if indicator else None
    status = progress.status or ""
    comparator, planned, planned_max = _planned(target)
    is_share = indicator is not None and indicator.is_share
    return TargetRow(
        number=number,
        text=nfc(target.text),
        milestone=target.milestone_label,
        target=target.value_label or "Định tính",
        comparator=comparator,
        planned=planned,
        planned_max=planned_max,
        value=value,
        unit="%" if is_share else "",
        is_share=is_share,
        estimated=bool(figure and figure.status == "estimated"),
        share=progress.share,
        status=status,
        status_label=str(ProgressStatus(status).label) if status else "",
        is_child=target.parent_id is not None,
    )


def build_targets(*, plan: Plan, year: int, targets=None, values=None) -> TargetPart:
    """Each target with the year's figure, the share reached and its assessment."""
    if targets is None:
        targets, charts, has_demo = target_selectors.plan_progress(plan=plan, as_of_year=year)
    else:
        charts, has_demo = [], False
    year_figures = {
        code: f for (code, _y), f in target_selectors.plan_figures(plan=plan, years=[year]).items()
    }
    values = values if values is not None else target_selectors.figure_values(plan=plan)
    rows = [
        _target_row(number, target, year=year, values=values, year_figures=year_figures)
        for number, target in enumerate(targets, start=1)
    ]
    return TargetPart(rows, charts, has_demo)


def build_statistics(*, plan: Plan, year: int, values) -> list[StatisticRow]:
    """Every indicator with a figure this year or the year before, beside each other;
    shares computed from their counts (never an average of shares)."""
    estimated = {
        code
        for (code, _y), f in target_selectors.plan_figures(plan=plan, years=[year]).items()
        if f.status == "estimated"
    }
    rows = []
    indicators = list(Indicator.objects.select_related("numerator", "denominator"))
    definitions = target_selectors.definitions_in_force(indicators, year)
    for indicator in indicators:
        value = indicator_value(indicator, year, values)
        previous = indicator_value(indicator, year - 1, values)
        if value is None and previous is None:
            continue
        is_share = indicator.is_share
        change = value - previous if value is not None and previous is not None else None
        change_percent = None
        if change is not None and not is_share and previous:
            change_percent = (change / previous * HUNDRED).quantize(Decimal("0.1"))
        rows.append(
            StatisticRow(
                name=nfc(indicator.name),
                unit=UNIT_WORDS.get(indicator.unit, ""),
                is_share=is_share,
                previous=previous,
                value=value,
                change=change,
                change_percent=change_percent,
                estimated=indicator.code in estimated,
                definition=nfc(definitions.get(indicator.pk, "")),
            )
        )
    return rows


def _task_row(task, status: Timeliness) -> TaskRow:
    named = {a.pk for a in task.lead_agencies}
    results = [
        # A member of a lead group says who it is: the group has many voices.
        (f"{r.agency.name}: " if r.agency_id not in named else "")
        + f"{r.get_progress_display()}: {r.done}".strip(": ")
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


def _year_tasks(plan: Plan, year: int):
    counted = TaskReport.objects.filter(
        year=year, role=AssignmentRole.LEAD, state__in=COUNTED_STATES
    ).select_related("agency")
    return list(
        task_queryset()
        .filter(plan=plan)
        .prefetch_related(Prefetch("reports", queryset=counted, to_attr="year_reports"))
    )


def build_tasks(*, plan: Plan, year: int, as_of: datetime.date, tasks=None) -> TaskPart:
    """The tasks by section, each with its status and the lead agencies' reports of the
    year that count (``COUNTED_STATES``), and the count of tasks in each status."""
    tasks = tasks if tasks is not None else _year_tasks(plan, year)
    sections: dict[str, TaskSectionRows] = {}
    counts = dict.fromkeys(Timeliness, 0)
    for task in tasks:
        status = Timeliness(task_status(task, year=year, today=as_of))
        task.year_status = status
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


def completeness_name(row) -> str:
    """A lead agency's name in the completeness table; a group of bodies with its members:
    "Các Sở, Ban, ngành (3/10 thành viên đã báo cáo, chưa báo cáo: Sở …)"."""
    name = nfc(row.agency.name)
    if not row.is_group:
        return name
    if not row.members_total:
        return f"{name} (chưa có thành viên trên cổng)"
    text = f"{name} ({row.members_reported}/{row.members_total} thành viên đã báo cáo"
    if row.members_missing:
        text += ", chưa báo cáo: " + ", ".join(nfc(m.name) for m in row.members_missing)
    return text + ")"


def build_completeness(completeness) -> list[CompletenessRow]:
    """Which lead agencies sent their reports of the year (``tasks.selectors``); a group
    of bodies as its members' reports."""
    return [
        CompletenessRow(
            agency=completeness_name(a),
            expected=a.expected,
            submitted=a.submitted,
            late=a.late,
            state=a.state,
            state_label=COMPLETENESS_LABELS[a.state],
        )
        for a in completeness.agencies
    ]


def build_signature(
    *, body: Agency, report: AnnualReport | None = None, plan: Plan | None = None
) -> Signature:
    """The report's own signature block, else the plan's (for the plan's own report
    issuer), else what the body's kind uses (``reports.formats.default_signature``)."""
    default = formats.default_signature(body)
    if plan is not None:
        default = Signature(
            nfc(plan.report_sign_authority) or default.authority,
            nfc(plan.report_sign_deputy) or default.deputy,
            nfc(plan.report_sign_title) or default.title,
            nfc(plan.report_signer_name),
        )
    if report is None:
        return default
    return Signature(
        nfc(report.sign_authority) or default.authority,
        nfc(report.sign_deputy) or default.deputy,
        nfc(report.sign_title) or default.title,
        nfc(report.signer_name) or default.name,
    )


def build_recipients(
    *,
    body: Agency,
    recipient: Recipient,
    extra: str = "",
    compiler: Agency | None = None,
) -> list[str]:
    """ "Nơi nhận": the addressees ("Như trên" in the State format), the compiling body,
    extra lines, the archive. State lines end with ";", Party lines with ","."""
    party = formats.document_format(body) == formats.PARTY
    end = "," if party else ";"
    lines = []
    if recipient.names:
        if party:
            lines += [f"{name} (báo cáo){end}" for name in recipient.names]
        else:
            lines.append(f"Như trên{end}")
    if compiler is not None and compiler.pk != body.pk:
        lines.append(f"{compiler.name}{end}")
    lines += [nfc(line.strip()).rstrip(";,.") + end for line in extra.splitlines() if line.strip()]
    lines.append(formats.archive_line(body, drafter=compiler))
    return lines


def build_intro(*, plan: Plan, year: int, body: Agency) -> str:
    return nfc(
        f"Thực hiện {_plan_reference(plan)}, {body.name} báo cáo kết quả thực hiện năm "
        f"{year} như sau:"
    )


def _indicator_facts(targets, values, year: int, rows: list[TargetRow]) -> list:
    """One fact per indicator: this year against the last, and the nearest milestone."""
    by_target = {id(t): r for t, r in zip(targets, rows, strict=True)}
    facts, seen = [], set()
    ordered = sorted(
        targets,
        key=lambda t: (t.is_yearly, (t.milestone_year or 0) < year, t.milestone_year or 0),
    )
    for target in ordered:
        indicator = target.indicator
        if indicator is None or indicator.pk in seen or target.is_qualitative:
            continue
        value = indicator_value(indicator, year, values)
        if value is None:
            continue
        seen.add(indicator.pk)
        row = by_target[id(target)]
        share = None
        if target.value and not indicator.is_flow:
            share = value / target.value * HUNDRED
        facts.append(
            outline.IndicatorFact(
                name=nfc(indicator.name),
                is_share=indicator.is_share,
                is_flow=indicator.is_flow,
                value=value,
                previous=indicator_value(indicator, year - 1, values),
                estimated=row.estimated,
                share_of_target=share,
                target_label=target.value_label,
                milestone="hằng năm" if target.is_yearly else f"năm {target.milestone_year}",
            )
        )
    return facts


def _section(number, title, field, stored: str, generated: list[str]) -> Section:
    text = outline.paragraphs(stored)
    return Section(
        number, title, text or generated, field=field, generated=not text, default=generated
    )


def build_sections(
    *,
    plan: Plan,
    year: int,
    body: Agency,
    report: AnnualReport | None,
    targets,
    values,
    target_rows: list[TargetRow],
    tasks,
    completeness,
    addressees: list[str] = (),
) -> list[Section]:
    """The outline (``reports.outline``), each section the staff's text or the text built
    from the data."""
    stored = {name: getattr(report, name, "") if report else "" for name in outline.OUTLINE_FIELDS}
    scope = outline.SCOPE.get(plan.locality.level, "toàn địa phương")
    behind = [_target_phrase(t) for t in targets if t.progress.status == ProgressStatus.BEHIND]
    no_data = sum(
        1 for r in target_rows if r.status in (ProgressStatus.NO_DATA, ProgressStatus.INSUFFICIENT)
    )
    achieved = sum(1 for r in target_rows if r.status == ProgressStatus.ACHIEVED)
    on_track = sum(1 for r in target_rows if r.status == ProgressStatus.ON_TRACK)
    numeric = sum(1 for r in target_rows if r.status)
    completed = sum(
        1
        for t in tasks
        if t.year_status in (Timeliness.COMPLETED_ON_TIME, Timeliness.COMPLETED_LATE)
    )
    overdue = [
        f"{t.code} ({', '.join(a.short_name or a.name for a in t.lead_agencies)})"
        for t in tasks
        if t.year_status == Timeliness.OVERDUE
    ]
    missing = [completeness_name(a) for a in completeness.agencies if a.state == "missing"]
    documents = sorted(
        {nfc(r.deliverable_ref) for t in tasks for r in t.year_reports if r.deliverable_ref}
    )
    groups: dict[str, outline.TaskGroupFacts] = {}
    counts: dict[str, dict[str, int]] = {}
    for task in tasks:
        key = task.section.number
        group = groups.setdefault(
            key, outline.TaskGroupFacts(f"Nhóm nhiệm vụ “{nfc(task.section.title)}”", 0, [], [])
        )
        group.total += 1
        group.results += [
            (task.code, nfc(r.agency.name), nfc(r.done)) for r in task.year_reports if r.done
        ]
        by_status = counts.setdefault(key, {})
        label = str(task.year_status.label)
        by_status[label] = by_status.get(label, 0) + 1
    for key, group in groups.items():
        group.counts = list(counts[key].items())
    next_year = year + 1
    due_next = [
        t.code for t in tasks if t.deadline.year_to == next_year and not t.deadline.is_recurring
    ]
    recurring = sum(1 for t in tasks if t.deadline.is_recurring)
    upcoming = _next_milestone(targets, next_year)
    milestones = list(
        dict.fromkeys(
            _target_phrase(t)
            for t in targets
            if not t.is_yearly and not t.is_qualitative and t.milestone_year == upcoming
        )
    )
    facts = _indicator_facts(targets, values, year, target_rows)
    expected = sum(a.expected for a in completeness.agencies)
    submitted = sum(min(a.submitted, a.expected) for a in completeness.agencies)
    return [
        _section(
            "I",
            "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN",
            "leadership",
            stored["leadership"],
            outline.leadership_paragraphs(
                year=year,
                plan_reference=_plan_reference(plan),
                issuer=(plan.coordinator_as_of(chain_date(year=year, report=report)) or body).name,
                task_total=len(tasks),
                lead_count=len(completeness.agencies),
                submitted=submitted,
                expected=expected,
                documents=documents,
            ),
        ),
        Section(
            "II",
            "KẾT QUẢ THỰC HIỆN",
            subsections=[
                _section(
                    "1",
                    "Kết quả thực hiện các chỉ tiêu",
                    "targets_text",
                    stored["targets_text"],
                    outline.targets_paragraphs(
                        facts, year=year, scope=scope, behind=behind, no_data=no_data
                    ),
                ),
                _section(
                    "2",
                    "Kết quả thực hiện các nhiệm vụ, giải pháp",
                    "tasks_text",
                    stored["tasks_text"],
                    outline.tasks_paragraphs(list(groups.values())),
                ),
            ],
        ),
        Section(
            "III",
            "ĐÁNH GIÁ CHUNG",
            subsections=[
                _section(
                    "1",
                    "Kết quả đạt được",
                    "assessment",
                    stored["assessment"],
                    outline.assessment_paragraphs(
                        achieved=achieved,
                        on_track=on_track,
                        numeric=numeric,
                        completed=completed,
                        task_total=len(tasks),
                    ),
                ),
                _section(
                    "2",
                    "Hạn chế, tồn tại và nguyên nhân",
                    "difficulties",
                    stored["difficulties"],
                    outline.difficulties_paragraphs(
                        behind=behind, overdue=overdue, missing=missing
                    ),
                ),
            ],
        ),
        _section(
            "IV",
            f"PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}",
            "next_year",
            stored["next_year"],
            outline.next_year_paragraphs(
                next_year=next_year,
                due=due_next,
                recurring=recurring,
                unfinished=overdue,
                milestones=milestones,
            ),
        ),
        _section(
            "V",
            "ĐỀ XUẤT, KIẾN NGHỊ",
            "proposals",
            stored["proposals"],
            outline.proposals_paragraphs(
                addressee=", ".join(addressees) or "cấp có thẩm quyền",
                overdue=len(overdue),
                next_year=next_year,
            ),
        ),
    ]


def _target_phrase(target, *, with_year: bool = True) -> str:
    """ "số thành viên hợp tác xã 14.000 (năm 2025)": the indicator, the target as written
    and its milestone, rather than the document's fragment ("với 14.000 thành viên")."""
    if target.indicator is None or target.is_qualitative:
        text = nfc(target.text)
        return text[:1].lower() + text[1:]
    name = nfc(target.indicator.name)
    name = name[:1].lower() + name[1:]
    if target.newly_founded and not target.indicator.is_flow and "thành lập mới" not in name:
        name += " thành lập mới"
    phrase = f"{name} {target.value_label}"
    if with_year:
        phrase += " (hằng năm)" if target.is_yearly else f" (năm {target.milestone_year})"
    return phrase


def _next_milestone(targets, from_year: int) -> int | None:
    years = [
        t.milestone_year
        for t in targets
        if not t.is_yearly and t.milestone_year and t.milestone_year >= from_year
    ]
    return min(years) if years else None


def plan_appendices(year: int) -> list[Appendix]:
    return [
        Appendix("I", f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU VÀ SỐ LIỆU THỐNG KÊ NĂM {year}"),
        Appendix("II", f"KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ NĂM {year}"),
    ]


def generated_sections(content: PlanReport) -> dict[str, str]:
    """Each outline field's generated text (what an empty field shows), for the form."""
    texts = {}
    for section in content.sections:
        for part in [section, *section.subsections]:
            if part.field:
                texts[part.field] = outline.as_text(part.default)
    return texts


def assemble_plan_report(
    *, plan: Plan, year: int, report: AnnualReport | None = None, today=None
) -> PlanReport:
    """Everything a plan's report for ``year`` says, as plain data."""
    today = today or timezone.localdate()
    date = document_date(report)
    when = chain_date(year=year, report=report)
    body = reporting_body(plan=plan, report=report, date=when)
    as_of = year_as_of(year, today)
    recipient = build_recipient(plan=plan, body=body, report=report, date=when)
    targets, charts, has_demo = target_selectors.plan_progress(plan=plan, as_of_year=year)
    values = target_selectors.figure_values(plan=plan)
    target_part = build_targets(plan=plan, year=year, targets=targets, values=values)
    tasks = _year_tasks(plan, year)
    task_part = build_tasks(plan=plan, year=year, as_of=as_of, tasks=tasks)
    completeness = plan_completeness(plan=plan, year=year, today=as_of)
    coordinator = plan.coordinator_as_of(when)
    return PlanReport(
        plan=plan,
        year=year,
        issuer=body,
        header=build_header(
            body=body,
            year=year,
            date=date,
            number=report.number if report else "",
            code=report.number_suffix if report else "",
        ),
        subject=build_subject(plan=plan, year=year),
        recipient=recipient,
        intro=build_intro(plan=plan, year=year, body=body),
        period=build_period(year=year),
        sections=build_sections(
            plan=plan,
            year=year,
            body=body,
            report=report,
            targets=targets,
            values=values,
            target_rows=target_part.rows,
            tasks=tasks,
            completeness=completeness,
            addressees=recipient.names,
        ),
        targets=target_part.rows,
        charts=charts,
        statistics=build_statistics(plan=plan, year=year, values=values),
        task_sections=task_part.sections,
        timeliness_counts=task_part.counts,
        completeness=build_completeness(completeness),
        agency_reports=[
            AgencyReportState(
                agency=nfc(a.agency.name),
                agency_id=a.agency.pk,
                expected=a.expected,
                submitted=a.submitted,
                is_in=a.submitted >= a.expected,
                is_group=a.agency.is_group,
                members_reported=a.members_reported,
                members_total=a.members_total,
                members_missing=[nfc(m.name) for m in a.members_missing],
            )
            for a in completeness.agencies
        ],
        appendices=plan_appendices(year),
        recipients=build_recipients(
            body=body,
            recipient=recipient,
            extra=report.extra_recipients if report else "",
            compiler=coordinator,
        ),
        signature=build_signature(
            body=body,
            report=report,
            plan=plan if body == chain.report_issuer(plan, when) else None,
        ),
        has_demo=has_demo,
    )


# --- a lead agency's own report


def assemble_agency_report(*, plan: Plan, agency: Agency, year: int, today=None) -> AgencyReport:
    """A lead agency's yearly report on its tasks of ``plan``, to the coordinating body:
    issued by the agency in its own format, dated the day its last report was sent once
    all are in (a draft before)."""
    today = today or timezone.localdate()
    as_of = year_as_of(year, today)
    tasks = [t for t in _year_tasks(plan, year) if any(a.pk == agency.pk for a in t.lead_agencies)]
    completeness = plan_completeness(plan=plan, year=year, today=as_of)
    own = next((a for a in completeness.agencies if a.agency.pk == agency.pk), None)
    expected = own.expected if own else 0
    submitted = own.submitted if own else 0
    mine = {t.pk: [r for r in t.year_reports if r.agency_id == agency.pk] for t in tasks}
    sent = [r.submitted_at for rs in mine.values() for r in rs if r.submitted_at]
    date = None
    if expected and submitted >= expected and sent:
        date = timezone.localtime(max(sent)).date()
    when = date or datetime.date(year, 12, 31)
    body = agency.current_as_of(when)
    addressee = chain.agency_report_addressee(plan, agency, when)
    recipient = Recipient([nfc(addressee.name)] if addressee else [])
    rows = []
    for task in tasks:
        status = Timeliness(task_status(task, year=year, today=as_of))
        task.year_reports = mine[task.pk]
        rows.append(_task_row(task, status))
    done_lines = [
        f"- Nhiệm vụ {row.code}: {row.description} — {row.status_label}. {row.result}"
        for row in rows
    ]
    if not done_lines:
        done_lines = [f"Năm {year}, đơn vị không chủ trì nhiệm vụ nào của kế hoạch."]
    missing = [row.code for row in rows if row.result == "Chưa có báo cáo"]
    sections = [
        Section("I", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ ĐƯỢC GIAO", done_lines, generated=True),
        Section(
            "II",
            "KHÓ KHĂN, VƯỚNG MẮC",
            [f"Các nhiệm vụ chưa có báo cáo: {', '.join(missing)}."] if missing else ["Không có."],
            generated=True,
        ),
        Section("III", "ĐỀ XUẤT, KIẾN NGHỊ", ["Không có."], generated=True),
    ]
    return AgencyReport(
        plan=plan,
        year=year,
        agency=body,
        header=build_header(body=body, year=year, date=date),
        subject=nfc(f"Kết quả thực hiện nhiệm vụ được giao tại {_plan_reference(plan)} năm {year}"),
        recipient=recipient,
        intro=nfc(
            f"Thực hiện {_plan_reference(plan)}, {body.name} báo cáo kết quả thực hiện các "
            f"nhiệm vụ được giao năm {year} như sau:"
        ),
        period=build_period(year=year),
        sections=sections,
        tasks=rows,
        appendices=[Appendix("I", f"CÁC NHIỆM VỤ ĐƯỢC GIAO VÀ KẾT QUẢ NĂM {year}")],
        recipients=build_recipients(body=body, recipient=recipient),
        signature=build_signature(body=body),
        expected=expected,
        submitted=submitted,
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


def _counted_once(plans, date: datetime.date) -> list[bool]:
    """For each plan, whether its place is counted: not when another chosen plan covers a
    place that contains it (a district in its province, a former province in its
    successor), nor when an earlier plan has the same place."""
    places = [p.locality.current_as_of(date) for p in plans]
    counted = []
    for i, plan in enumerate(plans):
        own = plan.locality
        inside_other = any(
            j != i
            and other.pk != own.pk
            and (
                chain.locality_within(own, other)
                or (places[i].pk == other.pk and own.pk != other.pk)
            )
            for j, other in enumerate(p.locality for p in plans)
        )
        same_before = any(plans[j].locality_id == own.pk for j in range(i))
        counted.append(not inside_other and not same_before)
    return counted


def _totals(rows: list[SummaryRow]) -> list[Decimal | None]:
    """Counts summed over the places counted once; shares are not summed (None)."""
    totals = []
    for index, (code, _label) in enumerate(SUMMARY_INDICATORS):
        if code.endswith("_share"):
            totals.append(None)
            continue
        values = [
            r.cells[index].value for r in rows if r.counted and r.cells[index].value is not None
        ]
        totals.append(sum(values, Decimal(0)) if values else None)
    return totals


def consolidated_plans(*, issuer: Agency, year: int, plans=None) -> list[Plan]:
    """The plans of the places the issuer answers for in ``year``: every plan whose place
    (as the mergers stand at the year's end) lies in the issuer's."""
    date = datetime.date(year, 12, 31)
    body = issuer.current_as_of(date)
    place = body.locality
    candidates = (
        plans
        if plans is not None
        else Plan.objects.select_related("locality", "issuing_body", "locality__parent").order_by(
            "slug"
        )
    )
    return [
        p
        for p in candidates
        if chain.locality_within(p.locality.current_as_of(date), place)
        or chain.locality_within(p.locality, place)
    ]


def assemble_consolidated(
    *, plans, year: int, issuer: Agency | None = None, today=None
) -> ConsolidatedReport:
    """The chosen plans for a year, issued by ``issuer``: a summary of key indicators
    against their next milestone (each place counted once), then each plan's report."""
    today = today or timezone.localdate()
    when = datetime.date(year, 12, 31)
    reports = {
        r.plan_id: r
        for r in AnnualReport.objects.filter(plan__in=plans, year=year).select_related(
            "reporting_body"
        )
    }
    counted = _counted_once(plans, when)
    summary = [build_summary_row(plan=plan, year=year) for plan in plans]
    for row, is_counted in zip(summary, counted, strict=True):
        row.counted = is_counted
    body = issuer.current_as_of(when) if issuer else None
    if body is not None:
        parent = body.parent.current_as_of(when) if body.parent_id else None
        names = (
            [nfc(parent.name)] if parent and not chain.addressee_problem(body, parent, when) else []
        )
        recipient = Recipient(names)
        header = build_header(body=body, year=year, date=None)
        intro = nfc(
            f"{body.name} tổng hợp kết quả thực hiện {len(plans)} kế hoạch, chương trình phát "
            f"triển kinh tế tập thể năm {year} trên địa bàn như sau:"
        )
        recipients = build_recipients(body=body, recipient=recipient)
        signature = build_signature(body=body)
    else:
        recipient, header, recipients, signature = Recipient([]), None, [], None
        intro = ""
    return ConsolidatedReport(
        year=year,
        issuer=body,
        header=header,
        subject=f"Tổng hợp kết quả thực hiện các kế hoạch phát triển kinh tế tập thể năm {year}",
        recipient=recipient,
        intro=intro,
        period=build_period(year=year),
        summary_columns=[label for _code, label in SUMMARY_INDICATORS],
        summary=summary,
        totals=_totals(summary),
        plans=[
            assemble_plan_report(plan=p, year=year, report=reports.get(p.pk), today=today)
            for p in plans
        ],
        recipients=recipients,
        signature=signature,
    )
