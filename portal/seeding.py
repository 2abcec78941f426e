"""Load the five plans from fixtures/ into the database.

Idempotent and conservative: a row is created when its natural key is missing and never
changed when it exists, so running it again duplicates nothing and keeps what users have
edited since. Unknown keys in the files are errors, not silently ignored.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from plans.models import Agency, Document, Locality, Plan
from plans.names import agency_key, agency_spellings
from targets.models import Indicator, Target
from tasks.models import (
    CompletenessSummary,
    Task,
    TaskAssignment,
    TaskSection,
    refresh_agencies_text,
)
from tasks.services import task_apply_deadline


class SeedError(Exception):
    """The fixture files are inconsistent; nothing was written."""


@dataclass
class SeedResult:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        return ", ".join(
            f"{kind}: {self.created.get(kind, 0)} new, {self.existing.get(kind, 0)} kept"
            for kind in kinds
        )


def _load(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _check_keys(where: str, data: dict, allowed: set[str], required: set[str] = frozenset()):
    if not isinstance(data, dict):
        raise SeedError(f"{where}: expected a mapping, got {data!r}")
    unknown = set(data) - allowed
    if unknown:
        raise SeedError(f"{where}: unknown keys {sorted(unknown)} (a comma in an unquoted name?)")
    missing = set(required) - set(data)
    if missing:
        raise SeedError(f"{where}: missing keys {sorted(missing)}")


class AgencyIndex:
    """Finds agencies by name or alias within a locality."""

    def __init__(self):
        self._by_key: dict[tuple[int, str], Agency] = {}
        for agency in Agency.objects.all():
            self.add(agency)

    def add(self, agency: Agency) -> None:
        for name in agency_spellings(agency):
            self._by_key.setdefault((agency.locality_id, agency_key(name)), agency)

    def get(self, locality: Locality, name: str) -> Agency:
        agency = self._by_key.get((locality.pk, agency_key(name)))
        if agency is None:
            raise SeedError(f"unknown agency {name!r} in {locality.code}")
        return agency


@transaction.atomic
def seed_all(*, fixtures_dir: Path) -> SeedResult:
    """Seed localities, agencies, documents, indicators and every plan file."""
    result = SeedResult()
    localities = _seed_localities(fixtures_dir / "localities.yaml", result)
    agencies = _seed_agencies(fixtures_dir / "agencies.yaml", localities, result)
    documents = _seed_documents(fixtures_dir / "documents.yaml", result)
    indicators = _seed_indicators(fixtures_dir / "indicators.yaml", result)
    for path in sorted((fixtures_dir / "plans").glob("*.yaml")):
        _seed_plan(path, localities, agencies, documents, indicators, result)
    return result


def _seed_localities(path: Path, result: SeedResult) -> dict[str, Locality]:
    rows = _load(path)
    allowed = {
        "code",
        "name",
        "level",
        "parent",
        "successor",
        "successor_from",
        "dissolved_on",
        "note",
    }
    created_codes = set()
    for row in rows:
        _check_keys(f"{path.name}:{row.get('code')}", row, allowed, {"code", "name", "level"})
        _obj, created = Locality.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "dissolved_on": row.get("dissolved_on"),
                "note": (row.get("note") or "").strip(),
            },
        )
        if created:
            created_codes.add(row["code"])
        result.count("localities", created)
    localities = {loc.code: loc for loc in Locality.objects.all()}
    for row in rows:
        if row["code"] not in created_codes:
            continue
        locality = localities[row["code"]]
        if row.get("parent"):
            locality.parent = localities[row["parent"]]
        if row.get("successor"):
            locality.successor = localities[row["successor"]]
            locality.successor_from = row["successor_from"]
        locality.save()
    return localities


def _seed_agencies(path: Path, localities, result: SeedResult) -> AgencyIndex:
    data = _load(path)
    allowed = {
        "name",
        "short_name",
        "kind",
        "aliases",
        "parent",
        "successor",
        "successor_locality",
        "successor_from",
        "document_code",
        "header_name",
        "header_parent",
        "note",
    }
    index = AgencyIndex()
    created_rows = []
    for code, rows in data.items():
        if code not in localities:
            raise SeedError(f"{path.name}: unknown locality {code!r}")
        locality = localities[code]
        for row in rows:
            _check_keys(f"{path.name}:{code}:{row.get('name')}", row, allowed, {"name", "kind"})
            agency, created = Agency.objects.get_or_create(
                locality=locality,
                name=row["name"],
                defaults={
                    "short_name": row.get("short_name", ""),
                    "kind": row["kind"],
                    "aliases": list(row.get("aliases", [])),
                    "document_code": row.get("document_code", ""),
                    "header_name": row.get("header_name", ""),
                    "header_parent": row.get("header_parent", ""),
                    "note": (row.get("note") or "").strip(),
                },
            )
            index.add(agency)
            result.count("agencies", created)
            if created:
                created_rows.append((agency, locality, row))
    for agency, locality, row in created_rows:
        if row.get("parent"):
            agency.parent = index.get(locality, row["parent"])
        if row.get("successor"):
            successor_locality = localities[row.get("successor_locality", locality.code)]
            agency.successor = index.get(successor_locality, row["successor"])
            agency.successor_from = row["successor_from"]
        agency.save()
    return index


def _seed_documents(path: Path, result: SeedResult) -> dict[str, Document]:
    documents = {}
    for row in _load(path):
        _check_keys(
            f"{path.name}:{row.get('number')}",
            row,
            {"number", "issued_on", "issuer", "title"},
            {"number", "issuer"},
        )
        document, created = Document.objects.get_or_create(
            number=row["number"],
            issuer=row["issuer"],
            defaults={"issued_on": row.get("issued_on"), "title": row.get("title", "")},
        )
        documents[row["number"]] = document
        result.count("documents", created)
    return documents


def _seed_indicators(path: Path, result: SeedResult) -> dict[str, Indicator]:
    indicators = {}
    rows = _load(path)
    created_codes = set()
    for order, row in enumerate(rows, start=1):
        _check_keys(
            f"{path.name}:{row.get('code')}",
            row,
            {
                "code",
                "name",
                "unit",
                "flow",
                "description",
                "numerator",
                "denominator",
                "computed",
                "statistics",
            },
            {"code", "name", "unit"},
        )
        indicator, created = Indicator.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "unit": row["unit"],
                "is_flow": bool(row.get("flow", False)),
                "description": row.get("description", ""),
                "in_statistics": bool(row.get("statistics", False)),
                "order": order * 10,
            },
        )
        indicators[row["code"]] = indicator
        if created:
            created_codes.add(row["code"])
        result.count("indicators", created)
    for row in rows:
        if row["code"] in created_codes and row.get("numerator"):
            indicator = indicators[row["code"]]
            try:
                indicator.numerator = indicators[row["numerator"]]
                indicator.denominator = indicators[row["denominator"]]
                indicator.computation = row.get("computed", "share")
            except KeyError as exc:
                raise SeedError(f"{path.name}:{row['code']}: unknown indicator {exc}") from exc
            indicator.save()
    return indicators


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _parse_due(text: str) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    day, month = (int(part) for part in str(text).split("/"))
    datetime.date(2024, month, day)  # raises on an impossible date
    return day, month


PLAN_KEYS = {
    "slug",
    "kind",
    "number",
    "title",
    "issuing_body",
    "level",
    "locality",
    "issued_on",
    "place",
    "signer_name",
    "signer_title",
    "implements",
    "coordinating_body",
    "report_issuer",
    "report_addressees",
    "report_frequency",
    "report_due",
    "reporting_text",
    "start_year",
    "seed_file",
    "note",
}
PLAN_OPTIONAL = {"coordinating_body", "report_issuer", "report_addressees", "note"}
TARGET_KEYS = {
    "code",
    "indicator",
    "comparator",
    "value",
    "value_max",
    "parent",
    "newly_founded",
    "text",
    "note",
}
TASK_KEYS = {
    "number",
    "description",
    "lead",
    "partners",
    "deliverable",
    "deadline",
    "note",
    "data_note",
    "source",
}


def _seed_plan(
    path: Path, localities, agencies: AgencyIndex, documents, indicators, result: SeedResult
) -> None:
    data = _load(path)
    _check_keys(path.name, data, {"plan", "target_groups", "task_sections"}, {"plan"})
    spec = data["plan"]
    _check_keys(f"{path.name}:plan", spec, PLAN_KEYS, PLAN_KEYS - PLAN_OPTIONAL)
    locality = localities[spec["locality"]]
    due_day, due_month = _parse_due(spec.get("report_due"))
    plan, created = Plan.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "kind": spec["kind"],
            "number": spec["number"],
            "title": _text(spec["title"]),
            "issuing_body": agencies.get(locality, spec["issuing_body"]),
            "level": spec["level"],
            "locality": locality,
            "issued_on": spec.get("issued_on"),
            "place": spec.get("place") or "",
            "signer_name": spec.get("signer_name") or "",
            "signer_title": spec.get("signer_title") or "",
            "coordinating_body": _agency_ref(spec.get("coordinating_body"), locality, agencies),
            "report_issuer": _agency_ref(spec.get("report_issuer"), locality, agencies),
            "report_frequency": spec["report_frequency"],
            "report_due_day": due_day,
            "report_due_month": due_month,
            "reporting_text": _text(spec.get("reporting_text")),
            "start_year": spec["start_year"],
            "seed_file": spec["seed_file"],
            "note": _text(spec.get("note")),
        },
    )
    result.count("plans", created)
    if created:
        plan.implements.set([documents[number] for number in spec["implements"]])
        plan.report_addressees.set(
            [_agency_ref(ref, locality, agencies) for ref in spec.get("report_addressees") or []]
        )
    _seed_targets(path, plan, data.get("target_groups") or [], indicators, result)
    _seed_tasks(path, plan, locality, data.get("task_sections") or [], agencies, result)


def _agency_ref(ref, locality: Locality, agencies: AgencyIndex) -> Agency | None:
    """A body named in a plan file: its name in the plan's place, or {name, locality}."""
    if not ref:
        return None
    if isinstance(ref, dict):
        place = Locality.objects.get(code=ref["locality"])
        return agencies.get(place, ref["name"])
    return agencies.get(locality, ref)


def _seed_targets(path, plan, groups, indicators, result) -> None:
    existing = {t.code: t for t in plan.targets.all()}
    order = 0
    for group in groups:
        _check_keys(
            f"{path.name}:target_groups",
            group,
            {"milestone", "yearly", "source", "targets"},
            {"source", "targets"},
        )
        yearly = bool(group.get("yearly"))
        milestone = None if yearly else group["milestone"]
        for row in group["targets"]:
            order += 10
            where = f"{path.name}:{row.get('code')}"
            _check_keys(where, row, TARGET_KEYS, {"code", "comparator", "text"})
            if row["code"] in existing:
                result.count("targets", False)
                continue
            parent = existing.get(row["parent"]) if row.get("parent") else None
            if row.get("parent") and parent is None:
                raise SeedError(f"{where}: parent {row['parent']!r} must come before its child")
            if row.get("indicator") and row["indicator"] not in indicators:
                raise SeedError(f"{where}: unknown indicator {row['indicator']!r}")
            target = Target.objects.create(
                plan=plan,
                code=row["code"],
                indicator=indicators[row["indicator"]] if row.get("indicator") else None,
                milestone_year=milestone,
                is_yearly=yearly,
                comparator=row["comparator"],
                value=Decimal(str(row["value"])) if row.get("value") is not None else None,
                value_max=(
                    Decimal(str(row["value_max"])) if row.get("value_max") is not None else None
                ),
                parent=parent,
                newly_founded=bool(row.get("newly_founded", False)),
                text=_text(row["text"]),
                source_text=_text(group["source"]),
                note=_text(row.get("note")),
                order=order,
            )
            existing[target.code] = target
            result.count("targets", True)


def _seed_tasks(path, plan, locality, sections, agencies: AgencyIndex, result) -> None:
    for section_order, spec in enumerate(sections, start=1):
        _check_keys(
            f"{path.name}:task_sections",
            spec,
            {"number", "title", "note", "tasks"},
            {"number", "title", "tasks"},
        )
        # The active section of that number: staff may have retired a seeded section and
        # imported another with the same number (tasks.services).
        section, created = TaskSection.objects.get_or_create(
            plan=plan,
            number=spec["number"],
            is_active=True,
            defaults={
                "title": _text(spec["title"]),
                "order": section_order * 10,
                "note": _text(spec.get("note")),
            },
        )
        result.count("task sections", created)
        for task_order, row in enumerate(spec["tasks"], start=1):
            where = f"{path.name}:{spec['number']}.{row.get('number')}"
            _check_keys(where, row, TASK_KEYS, {"number", "description", "lead"})
            if Task.objects.filter(section=section, number=str(row["number"])).exists():
                result.count("tasks", False)
                continue
            leads = [agencies.get(locality, name) for name in row["lead"]]
            partners = [agencies.get(locality, name) for name in row.get("partners") or []]
            task = Task(
                plan=plan,
                section=section,
                number=str(row["number"]),
                order=task_order * 10,
                description=_text(row["description"]),
                deliverable=_text(row.get("deliverable")),
                deadline_text=_text(row.get("deadline")),
                note=_text(row.get("note")),
                data_note=_text(row.get("data_note")),
                source_text=_text(row.get("source")),
            )
            task_apply_deadline(task=task)
            task.save()
            bulk_create_with_history(
                [
                    TaskAssignment(task=task, agency=agency, role="lead", order=position)
                    for position, agency in enumerate(leads, start=1)
                ]
                + [
                    TaskAssignment(task=task, agency=agency, role="partner", order=position)
                    for position, agency in enumerate(partners, start=1)
                ],
                TaskAssignment,
            )
            # bulk writes send no signal: the task's agencies' names are stored, the plan's
            # stored reporting rate goes
            refresh_agencies_text([task.pk])
            CompletenessSummary.objects.filter(plan=plan).delete()
            result.count("tasks", True)
