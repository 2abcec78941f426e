"""Import a task table from Excel in the appendix's layout.

Columns TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Sản phẩm hoàn thành | Thời gian hoàn
thành | Ghi chú (found by their headers, wherever the header row is), with section rows
("I. …", "II. …", usually bold) between the task rows. Agency names are matched to known
agencies tolerating case, spacing and abbreviations ("Sở TT&TT", "UBND"; the one rule is
plans.names.agency_key); unknown names are proposed as new agencies, created only when
the user confirms. All or nothing.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.limits import too_long
from common.uploads import (
    UploadRefused,
    active_worksheet,
    load_checked_workbook,
    sheet_rows,
)
from plans.models import Agency
from plans.names import agency_key, agency_spellings

from .choices import AssignmentRole, DeadlineKind
from .deadlines import parse_deadline
from .models import Task, TaskAssignment, TaskSection
from .services import task_apply_deadline

MAX_ROWS = 1000  # task order is a small integer: row × 10 must fit
HEADERS = {
    "tt": "number",
    "stt": "number",
    "nhiệm vụ": "description",
    "nội dung nhiệm vụ": "description",
    "đơn vị chủ trì": "lead",
    "cơ quan chủ trì": "lead",
    "đơn vị phối hợp": "partners",
    "cơ quan phối hợp": "partners",
    "sản phẩm hoàn thành": "deliverable",
    "sản phẩm": "deliverable",
    "thời gian hoàn thành": "deadline",
    "thời hạn hoàn thành": "deadline",
    "thời hạn": "deadline",
    "ghi chú": "note",
}
ROMAN = re.compile(r"^\s*(?P<num>[IVXLC]+)\s*[.\-–)]\s*(?P<title>.+)$")


@dataclass
class AgencyMatch:
    written: str
    agency: Agency | None


@dataclass
class ImportRow:
    row: int
    section: str
    number: str
    description: str
    leads: list[AgencyMatch]
    partners: list[AgencyMatch]
    deliverable: str
    deadline: str
    note: str
    deadline_understood: bool
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPreview:
    sections: list[tuple[str, str]] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def new_agency_names(self) -> list[str]:
        names = []
        for row in self.rows:
            for match in row.leads + row.partners:
                if match.agency is None and match.written not in names:
                    names.append(match.written)
        return names

    @property
    def unknown_deadlines(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.deadline_understood]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or any(r.errors for r in self.rows))


class AgencyMatcher:
    def __init__(self, locality):
        self.by_key = {}
        for agency in Agency.objects.filter(locality=locality):
            for name in agency_spellings(agency):
                self.by_key.setdefault(agency_key(name), agency)

    def match_cell(self, text: str) -> list[AgencyMatch]:
        """Split a cell into agencies: ";" and line breaks always separate; a comma
        separates only where the pieces are known agencies (group names contain commas)."""
        matches = []
        for part in re.split(r"[;\n]+", text or ""):
            part = part.strip(" .,")
            if part:
                matches.extend(self._split_commas(part))
        return matches

    def _split_commas(self, text: str) -> list[AgencyMatch]:
        agency = self.by_key.get(agency_key(text))
        if agency is not None:
            return [AgencyMatch(text, agency)]
        pieces = [p.strip() for p in text.split(",")]
        # longest known prefix first, then the rest
        for end in range(len(pieces) - 1, 0, -1):
            head = ", ".join(pieces[:end])
            agency = self.by_key.get(agency_key(head))
            if agency is not None:
                return [AgencyMatch(head, agency), *self._split_commas(", ".join(pieces[end:]))]
        # "X và các Y": two bodies joined by "và các"
        joined = re.split(r"\s+và\s+(?=các\s)", text, maxsplit=1, flags=re.IGNORECASE)
        if len(joined) == 2:
            first = self.by_key.get(agency_key(joined[0]))
            second = self.by_key.get(agency_key(joined[1]))
            if first or second:
                return [
                    AgencyMatch(joined[0], first),
                    AgencyMatch(joined[1][0].upper() + joined[1][1:], second),
                ]
        return [AgencyMatch(text, None)]


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def read_task_table(data: bytes, *, plan) -> ImportPreview:
    """Parse an uploaded task table into a preview; raises UploadRefused for unsafe files."""
    # read-only: openpyxl parses the active sheet only, row by row
    rows = sheet_rows(active_worksheet(load_checked_workbook(data, data_only=True)))
    preview = ImportPreview()
    columns = None
    matcher = AgencyMatcher(plan.locality)
    section = None
    seen = set()
    for number, row in enumerate(rows, start=1):  # read-only cells have no .row
        values = [_text(c.value) for c in row]
        if columns is None:
            lowered = [v.lower().strip(" :") for v in values]
            if "tt" in lowered or "stt" in lowered:
                columns = {HEADERS[v]: i for i, v in enumerate(lowered) if v in HEADERS}
                missing = {"number", "description", "lead"} - set(columns)
                if missing:
                    raise UploadRefused(
                        _("The header row lacks the columns: %(cols)s")
                        % {"cols": ", ".join(sorted(missing))}
                    )
            continue
        if not any(values):
            continue
        if values[:1] == ["TT"] or (values and values[0].upper() in ("TT", "STT")):
            continue  # a header repeated on a new page
        cells = {
            name: values[index] if index < len(values) else "" for name, index in columns.items()
        }
        number_cell = cells["number"]
        description = cells.get("description", "")
        first = next((v for v in values if v), "")
        pure_roman = re.fullmatch(r"([IVXLC]+)\.?", number_cell)
        titled = ROMAN.match(first)
        if (pure_roman and description) or (titled and not number_cell.isdigit()):
            section, title = (
                (pure_roman.group(1), description)
                if pure_roman and description
                else (titled["num"], titled["title"].strip())
            )
            for problem in too_long(TaskSection, number=section, title=title).values():
                preview.errors.append((number, problem))
            preview.sections.append((section, title))
            continue
        if section is None:
            preview.errors.append((number, _("A task row comes before any section row.")))
            continue
        deadline = parse_deadline(cells.get("deadline", ""))
        item = ImportRow(
            row=number,
            section=section,
            number=number_cell,
            description=description,
            leads=matcher.match_cell(cells.get("lead", "")),
            partners=matcher.match_cell(cells.get("partners", "")),
            deliverable=cells.get("deliverable", ""),
            deadline=deadline.text,
            note=cells.get("note", ""),
            deadline_understood=deadline.kind != DeadlineKind.UNKNOWN,
        )
        item.errors.extend(
            too_long(
                Task,
                number=item.number,
                description=item.description,
                deliverable=item.deliverable,
                deadline_text=item.deadline,
                note=item.note,
            ).values()
        )
        for match in item.leads + item.partners:
            if match.agency is None:
                item.errors.extend(too_long(Agency, name=match.written).values())
        if not item.number:
            item.errors.append(_("No TT."))
        if not item.description:
            item.errors.append(_("No task description."))
        if not item.leads:
            item.errors.append(_("No lead agency."))
        if (section, item.number) in seen:
            item.errors.append(
                _("TT %(n)s appears twice in section %(s)s.") % {"n": item.number, "s": section}
            )
        seen.add((section, item.number))
        if Task.objects.filter(plan=plan, section__number=section, number=item.number).exists():
            item.errors.append(
                _("Task %(s)s.%(n)s already exists in this plan.")
                % {"s": section, "n": item.number}
            )
        if len(_written_remarks(item)) > Task._meta.get_field("data_note").max_length:
            item.errors.append(_("The remarks in the agency cells are too long."))
        preview.rows.append(item)
        if len(preview.rows) > MAX_ROWS:
            raise UploadRefused(
                _("The table has more than %(max)s task rows: split it.") % {"max": MAX_ROWS}
            )
    if columns is None:
        raise UploadRefused(_('No header row with "TT" and "Nhiệm vụ" was found.'))
    if not preview.rows and not preview.errors:
        raise UploadRefused(_("The table has no task rows."))
    return preview


def _written_remarks(row: ImportRow) -> str:
    """The data note of a row whose agency cells carried a remark in brackets."""
    remarks = [
        m.written for m in row.leads + row.partners if m.agency is not None and "(" in m.written
    ]
    return _("Agencies as written: %s") % "; ".join(remarks) if remarks else ""


@transaction.atomic
def import_task_table(*, preview: ImportPreview, plan, user, create_agencies: bool) -> int:
    """Create the previewed sections and tasks, all or nothing. Returns the tasks created.

    The plan's row is locked first: two confirmations of the same upload at once run one
    after the other, and the second finds the rows already there (a ValidationError)."""
    if preview.has_errors:
        raise ValueError("preview has errors")
    new_names = preview.new_agency_names
    if new_names and not create_agencies:
        raise ValueError("new agencies not confirmed")
    type(plan).objects.select_for_update().get(pk=plan.pk)
    taken = set(Task.objects.filter(plan=plan).values_list("section__number", "number"))
    if any((row.section, row.number) in taken for row in preview.rows):
        raise ValidationError(_("These tasks have just been imported by someone else."))
    created_agencies = {}
    for name in new_names:
        created_agencies[name], _created = Agency.objects.get_or_create(
            locality=plan.locality,
            name=name,
            defaults={"kind": "other", "note": _("Created when importing a task table.")},
        )
    order = plan.task_sections.order_by("-order").values_list("order", flat=True).first() or 0
    sections = {}
    for number, title in preview.sections:
        existing = TaskSection.objects.filter(plan=plan, number=number).first()
        if existing is None:
            order += 10
            existing = TaskSection.objects.create(
                plan=plan, number=number, title=title, order=order
            )
        sections[number] = existing
    count = 0
    for position, row in enumerate(preview.rows, start=1):
        task = Task(
            plan=plan,
            section=sections[row.section],
            number=row.number,
            order=position * 10,
            description=row.description,
            deliverable=row.deliverable,
            deadline_text=row.deadline,
            note=row.note,
        )
        task_apply_deadline(task=task)
        task._history_user = user
        task._change_reason = _("Imported from a task table")
        task.save()
        task.data_note = _written_remarks(row)
        if task.data_note:
            task.save(update_fields=["data_note"])
        placed = set()
        for role, matches in (
            (AssignmentRole.LEAD, row.leads),
            (AssignmentRole.PARTNER, row.partners),
        ):
            for index, match in enumerate(matches, start=1):
                agency = match.agency or created_agencies[match.written]
                if agency.pk in placed:
                    continue
                placed.add(agency.pk)
                TaskAssignment.objects.create(task=task, agency=agency, role=role, order=index)
        count += 1
    return count
