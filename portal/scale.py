"""National-scale data for the benchmark: the country after the 2025 reorganisation (34
provinces and their ~3 300 communes), ~1 000 plans cloned from a seed plan, ~30 000 tasks,
~150 000 task reports and ten years of figures. Rows are written with ``bulk_create`` in
the caller's transaction (the benchmark rolls it back); history is not written.

    grow_national(template, scale=1.0)   # the sizes of NATIONAL
    grow_national(template, scale=0.05)  # a twentieth, for a quick look
"""

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone

from common.search import searched_text
from plans.choices import AgencyKind, LocalityLevel
from plans.models import (
    Agency,
    Locality,
    Plan,
    agency_list_key,
    plan_list_key,
    plan_search_text,
)
from plans.places import plan_place
from targets.models import Figure, FigureSheet, Target
from targets.selectors import plan_figures, plan_indicators
from tasks.choices import COUNTED_STATES, AssignmentRole, ReportProgress, ReportState
from tasks.models import (
    Task,
    TaskAssignment,
    TaskReport,
    TaskSection,
    lead_state_of,
    list_key,
    task_search_text,
)


@dataclass(frozen=True)
class Sizes:
    provinces: int = 34
    communes: int = 3300
    plans: int = 1000
    tasks: int = 30_000
    task_reports: int = 150_000
    figure_years: int = 10

    def scaled(self, factor: float) -> "Sizes":
        def part(n: int, least: int) -> int:
            return max(least, round(n * factor))

        return Sizes(
            provinces=part(self.provinces, 2),
            communes=part(self.communes, 4),
            plans=part(self.plans, 4),
            tasks=part(self.tasks, 8),
            task_reports=part(self.task_reports, 8),
            figure_years=self.figure_years,
        )


NATIONAL = Sizes()
BATCH = 2000

# What the task reports say, in turn: this year's are still being written and reviewed;
# earlier years' were reviewed, now and then one was left as a draft.
REPORT_MIX = [
    (ReportState.ACCEPTED, ReportProgress.COMPLETED),
    (ReportState.ACCEPTED, ReportProgress.IN_PROGRESS),
    (ReportState.SUBMITTED, ReportProgress.IN_PROGRESS),
    (ReportState.DRAFT, ReportProgress.NOT_STARTED),
    (ReportState.RETURNED, ReportProgress.IN_PROGRESS),
    (ReportState.SUBMITTED, ReportProgress.COMPLETED),
]
PAST_MIX = [
    (ReportState.ACCEPTED, ReportProgress.COMPLETED),
    (ReportState.ACCEPTED, ReportProgress.IN_PROGRESS),
    (ReportState.ACCEPTED, ReportProgress.IN_PROGRESS),
    (ReportState.DRAFT, ReportProgress.IN_PROGRESS),
]


def _copy(obj: models.Model, **changes) -> models.Model:
    """A new, unsaved row with ``obj``'s concrete field values and ``changes``."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    values.update(changes)
    return type(obj)(**values)


def _create(model, rows) -> list:
    return model.objects.bulk_create(list(rows), batch_size=BATCH)


def _commune_committee(commune: Locality) -> Agency:
    """A commune's People's Committee, with the stored values save() would give it."""
    name = f"Ủy ban nhân dân {commune.name}"
    agency = Agency(
        name=name,
        short_name="UBND xã",
        kind=AgencyKind.PEOPLES_COMMITTEE,
        locality=commune,
        list_key=agency_list_key(commune.level, commune.name, name),
    )
    agency.search_text = searched_text(agency, Agency.SEARCHED_FIELDS)
    return agency


def _named_for(text: str, home: str, place: Locality) -> str:
    """``text`` of the template's place (``home``) as the copy of ``place`` writes it."""
    return text.replace(home, place.name) if text else text


def _province_body(template: Agency, province: Locality, home: str) -> Agency:
    """A copy of one of the template province's bodies for ``province``, named after it,
    with the stored values save() would give it."""
    names = {
        field: _named_for(getattr(template, field), home, province)
        for field in ("name", "short_name", "header_name")
    }
    agency = _copy(
        template,
        **names,
        locality_id=province.pk,
        parent_id=None,
        successor_id=None,
        successor_from=None,
        list_key=agency_list_key(province.level, province.name, names["name"]),
    )
    agency.search_text = searched_text(agency, Agency.SEARCHED_FIELDS)
    return agency


def _spread(total: int, over: int) -> list[int]:
    """``total`` split into ``over`` near-equal whole parts."""
    base, extra = divmod(total, over)
    return [base + (1 if i < extra else 0) for i in range(over)]


def grow_national(template: Plan, *, scale: float = 1.0, sizes: Sizes = NATIONAL) -> dict:
    """Add the country's provinces, communes, their agencies and plans modelled on
    ``template`` (its targets, sections, tasks and assignments), a year of task reports per
    task and year until ``task_reports``, and ``figure_years`` years of figures for each
    plan's place. Returns the row counts added."""
    sizes = sizes.scaled(scale) if scale != 1.0 else sizes
    provinces = _create(
        Locality,
        (
            Locality(
                code=f"scale-province-{n:02d}",
                name=f"Tỉnh mẫu {n:02d}",
                level=LocalityLevel.PROVINCE,
            )
            for n in range(1, sizes.provinces + 1)
        ),
    )
    provinces = list(Locality.objects.filter(code__startswith="scale-province-").order_by("code"))
    communes = _create(
        Locality,
        (
            Locality(
                code=f"scale-commune-{p:02d}-{n:03d}",
                name=f"Xã mẫu {n:03d} ({province.name})",
                level=LocalityLevel.COMMUNE,
                parent=province,
            )
            for p, (province, count) in enumerate(
                zip(provinces, _spread(sizes.communes, len(provinces)), strict=True), start=1
            )
            for n in range(1, count + 1)
        ),
    )
    communes = list(
        Locality.objects.filter(code__startswith="scale-commune-")
        .select_related("parent")
        .order_by("code")
    )

    # Each province gets the template province's bodies, named after it ("Ủy ban nhân dân
    # tỉnh Đắk Nông" → "… tỉnh Tỉnh mẫu 07"); each commune a People's Committee.
    home = template.locality.name
    template_agencies = list(Agency.objects.filter(locality=template.locality).order_by("pk"))
    _create(
        Agency,
        (_province_body(a, province, home) for province in provinces for a in template_agencies),
    )
    _create(Agency, (_commune_committee(commune) for commune in communes))
    generated = list(Agency.objects.filter(locality__code__startswith="scale-"))
    agencies = {(a.locality_id, a.name): a.pk for a in generated}
    agency_text = {a.pk: a.search_text for a in generated}
    commune_committee = {c.pk: agencies[(c.pk, f"Ủy ban nhân dân {c.name}")] for c in communes}

    # Plans: one per province, the rest for communes, each province's in turn.
    places = list(provinces)
    by_province = itertools.cycle([c for c in communes if c.parent_id == p.pk] for p in provinces)
    taken = {p.pk: 0 for p in provinces}
    while len(places) < sizes.plans:
        group = next(by_province)
        province_id = group[0].parent_id
        if taken[province_id] < len(group):
            places.append(group[taken[province_id]])
            taken[province_id] += 1
    plans = _create(
        Plan,
        (
            _copy(
                template,
                slug=f"scale-{n:04d}",
                number=f"{n}/KH-UBND",
                title=_named_for(template.title, home, place),
                search_text=plan_search_text(
                    Plan(number=f"{n}/KH-UBND", title=_named_for(template.title, home, place))
                ),
                list_key=plan_list_key(place.name, f"scale-{n:04d}"),
                locality_id=place.pk,
                level=place.level,
                issuing_body_id=agencies.get(
                    (place.pk, _named_for(template.issuing_body.name, home, place))
                )
                or commune_committee.get(place.pk),
                coordinating_body_id=None,
                report_issuer_id=None,
                seed_file="",
            )
            for n, place in enumerate(places, start=1)
        ),
    )
    plans = list(
        Plan.objects.filter(slug__startswith="scale-").select_related("locality").order_by("slug")
    )
    province_of = {c.pk: c.parent for c in communes} | {p.pk: p for p in provinces}

    # Targets (parents first: "trong đó" rows point to them).
    targets = list(template.targets.order_by("parent_id", "pk"))
    roots = [t for t in targets if t.parent_id is None]
    _create(Target, (_copy(t, plan_id=plan.pk, parent_id=None) for plan in plans for t in roots))
    root_of = {
        (t.plan_id, t.code): t.pk
        for t in Target.objects.filter(plan__in=plans, parent__isnull=True)
    }
    code_of = {t.pk: t.code for t in targets}
    _create(
        Target,
        (
            _copy(t, plan_id=plan.pk, parent_id=root_of[(plan.pk, code_of[t.parent_id])])
            for plan in plans
            for t in targets
            if t.parent_id is not None
        ),
    )

    # Sections and tasks: the template's tasks in turn until each plan has its share.
    sections = list(template.task_sections.order_by("order"))
    _create(
        TaskSection,
        (_copy(s, plan_id=plan.pk) for plan in plans for s in sections),
    )
    section_of = {(s.plan_id, s.number): s.pk for s in TaskSection.objects.filter(plan__in=plans)}
    number_of = {s.pk: s.number for s in sections}
    order_of = {s.pk: s.order for s in sections}
    template_tasks = list(
        template.tasks.filter(is_active=True).prefetch_related("assignments__agency")
    )
    template_agency = {a.pk: a.name for a in template_agencies}
    task_rows, assignment_plans = [], []
    for plan, count in zip(plans, _spread(sizes.tasks, len(plans)), strict=True):
        for n, task in zip(range(count), itertools.cycle(template_tasks), strict=False):
            texts = {
                field: _named_for(getattr(task, field), home, plan.locality)
                for field in Task.SEARCHED_FIELDS
            }
            task_rows.append(
                _copy(
                    task,
                    **texts,
                    search_text=task_search_text(Task(**texts)),
                    plan_id=plan.pk,
                    section_id=section_of[(plan.pk, number_of[task.section_id])],
                    number=str(n + 1),
                    order=n,
                    # as Task.save() writes it (a bulk write calls no save(); written once,
                    # not updated afterwards: a table rewritten row by row is twice as big)
                    list_key=list_key(plan.locality.name, plan.slug, order_of[task.section_id], n),
                )
            )
            assignment_plans.append((plan, task))
    # Each task's agencies and lead, from its model's (a commune's plan: its committee leads).
    agencies_of, leads = [], []
    for plan, model in assignment_plans:
        province = province_of[plan.locality_id]
        lead, seen, rows = None, set(), []
        for a in model.assignments.all():
            name = template_agency.get(a.agency_id)
            agency = agencies.get((province.pk, _named_for(name, home, province)))
            if a.role == AssignmentRole.LEAD and plan.locality_id != province.pk:
                agency = commune_committee[plan.locality_id]
            if agency is None or agency in seen:
                continue
            seen.add(agency)
            rows.append((agency, a.role, a.order))
            if a.role == AssignmentRole.LEAD and lead is None:
                lead = agency
        agencies_of.append(rows)
        leads.append(lead)

    # Task reports: the lead's, the latest years first, until the total; as (task's index,
    # year, lead, state, progress), the tasks having no id yet.
    this_year = timezone.localdate().year
    years = range(this_year, this_year - 10, -1)
    reported = [i for i, lead in enumerate(leads) if lead is not None]
    reports = []
    for year in years:
        for n, i in enumerate(reported):
            if len(reports) >= sizes.task_reports:
                break
            mix = REPORT_MIX if year == this_year else PAST_MIX
            state, progress = mix[(n + year) % len(mix)]
            reports.append((i, year, leads[i], state, progress))

    # Each task's lead state as its reports give it (Task.lead_completed_year…): written
    # with the row, as the signals keep it, not updated afterwards (the reports that count
    # and were sent; a draft has no submission date).
    sent_reports: dict[int, list] = {}
    for i, year, _lead, state, progress in reports:
        if state in COUNTED_STATES and state != ReportState.DRAFT:
            sent_reports.setdefault(i, []).append((year, progress))
    for i, row in enumerate(task_rows):
        row.lead_completed_year, row.lead_reported_years = lead_state_of(sent_reports.get(i, ()))
        # as the signals keep it (tasks.models.agencies_texts: in the agencies' order)
        row.agencies_text = "\n".join(
            agency_text[pk] for pk in sorted(a for a, *_ in agencies_of[i])
        )
    _create(Task, task_rows)
    tasks = list(Task.objects.filter(plan__in=plans).order_by("plan_id", "order"))
    _create(
        TaskAssignment,
        (
            TaskAssignment(task_id=task.pk, agency_id=agency, role=role, order=order)
            for task, rows in zip(tasks, agencies_of, strict=True)
            for agency, role, order in rows
        ),
    )
    sent = timezone.now()
    _create(
        TaskReport,
        (
            TaskReport(
                task_id=tasks[i].pk,
                year=year,
                agency_id=lead,
                role=AssignmentRole.LEAD,
                state=state,
                progress=progress,
                done="Đã triển khai theo kế hoạch.",
                submitted_at=None if state == ReportState.DRAFT else sent,
            )
            for i, year, lead, state, progress in reports
        ),
    )

    # Figures: ``figure_years`` years for each plan's place, from the template's values.
    inputs = plan_indicators(plan=template).inputs
    values = plan_figures(plan=template)
    latest = {}
    for (code, _year), figure in sorted(values.items(), key=lambda item: item[0][1]):
        latest[code] = figure.value
    last_year = this_year - 1  # year-end figures: the last full year
    first_year = last_year - sizes.figure_years + 1
    sheets, figures = [], []
    for plan in plans:
        for year in range(first_year, last_year + 1):
            place = plan_place(plan, year)
            area = place.area.pk if place.area else None
            sheets.append(FigureSheet(locality_id=place.locality.pk, area_id=area, year=year))
            for indicator in inputs:
                base = latest.get(indicator.code) or Decimal(10)
                figures.append(
                    Figure(
                        locality_id=place.locality.pk,
                        area_id=area,
                        indicator=indicator,
                        year=year,
                        value=max(Decimal(0), base - (last_year - year)),
                    )
                )
    _create(FigureSheet, sheets)
    _create(Figure, figures)
    return {
        "provinces": len(provinces),
        "communes": len(communes),
        "agencies": len(agencies),
        "plans": len(plans),
        "targets": Target.objects.filter(plan__in=plans).count(),
        "tasks": len(tasks),
        "task reports": len(reports),
        "figures": len(figures),
    }
