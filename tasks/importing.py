"""Import a task table from Excel in the appendix's layout.

Columns TT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Sản phẩm hoàn thành | Thời gian hoàn
thành | Ghi chú (found by their headers, wherever the header row is), with section rows
("I. …", "II. …", usually bold) between the task rows. Agency names are matched to known
agencies tolerating case, spacing, punctuation and abbreviations ("Sở TT&TT", "UBND"; the
rules are in plans.names); a name the locality does not know is proposed as one new
agency, whatever its spellings in the table ("Sở KH&ĐT", "sở kế hoạch và đầu tư"), with
the kind its name gives it (plans.names.agency_kind_for), created only when the user
confirms. All or nothing.

Into a plan that already has a table, the preview shows which rows collide with the
plan's (same TT in the same section) and the user chooses (:class:`ImportMode`): append
(the table's sections numbered after the plan's last section, retired ones counted),
update (a colliding row overwrites the plan's row, a retired one is restored; the others
are added) or replace (the plan's current tasks leave the table: those with reports are
retired with their sections, the others removed; history keeps both). The confirmation
is refused if the plan's table changed after the preview (:func:`table_state`).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.formatting import vn_date
from common.limits import too_long
from common.uploads import (
    UploadRefused,
    active_worksheet,
    load_checked_workbook,
    sheet_rows,
)
from plans.choices import AgencyKind
from plans.models import Agency
from plans.names import (
    agency_key,
    agency_kind_for,
    agency_spellings,
    group_key,
    locality_bare_key,
)

from .choices import AssignmentRole, DeadlineKind, ImportMode
from .deadlines import Deadline, parse_deadline
from .models import Task, TaskReport, TaskSection
from .numbering import next_section_number
from .selectors import plan_has_task_table
from .services import task_apply_deadline, task_assign

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


@dataclass(eq=False)
class NewAgency:
    """An agency the import would create: one for all the spellings of one name."""

    spellings: list[str]

    @property
    def name(self) -> str:
        """The most spelled-out spelling: fewest abbreviations, capitalised, longest."""
        return max(self.spellings, key=lambda s: (-_abbreviations(s), s[:1].isupper(), len(s)))

    @property
    def kind(self) -> str:
        return agency_kind_for(self.name)

    @property
    def kind_label(self) -> str:
        return AgencyKind(self.kind).label

    @property
    def written_as(self) -> list[str]:
        """Each spelling of the table once."""
        return list(dict.fromkeys(self.spellings))

    @property
    def aliases(self) -> list[str]:
        """The spellings matched as the same body although they mean something else word
        for word ("UBND các huyện, thị xã, thành phố" beside "… các huyện, thành phố")."""
        key = agency_key(self.name)
        return list(dict.fromkeys(s for s in self.spellings if agency_key(s) != key))


def _abbreviations(text: str) -> int:
    return len(re.findall(r"\b[A-ZĐ]{2,}", text))


@dataclass
class AgencyMatch:
    """One agency of a cell as written, and what it was understood as: a known agency,
    or a new one (``new``)."""

    written: str
    agency: Agency | None
    new: NewAgency | None = None


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
    deadline_reading: str = ""  # how the deadline was understood: deadline_reading()
    errors: list[str] = field(default_factory=list)
    collides: Task | None = None  # the plan's row with the same TT in the same section


@dataclass
class PreviewSection:
    """A section row of the table beside the plan's section of that number (if any) and
    the number it gets when appended."""

    number: str
    title: str
    existing: TaskSection | None = None
    appended_as: str = ""

    @property
    def title_differs(self) -> bool:
        return self.existing is not None and self.existing.title != self.title


@dataclass
class ImportPreview:
    sections: list[tuple[str, str]] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    # the plan as it is: filled in by read_task_table
    has_table: bool = False
    section_rows: list[PreviewSection] = field(default_factory=list)
    current_tasks: int = 0
    current_tasks_with_reports: int = 0

    @property
    def collisions(self) -> list[ImportRow]:
        return [r for r in self.rows if r.collides is not None]

    @property
    def new_rows(self) -> int:
        return len(self.rows) - len(self.collisions)

    @property
    def new_agencies(self) -> list[NewAgency]:
        """The agencies the import would create, each once, in the order of the table."""
        found = {}
        for row in self.rows:
            for match in row.leads + row.partners:
                if match.new is not None:
                    found.setdefault(match.new, None)
        return list(found)

    @property
    def new_agency_names(self) -> list[str]:
        return [new.name for new in self.new_agencies]

    @property
    def unknown_deadlines(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.deadline_understood]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or any(r.errors for r in self.rows))


class AgencyMatcher:
    """Finds the agencies of a locality by what their names mean (plans.names), and
    proposes one new agency for each name it does not know, however often and however
    differently the table writes that name.

    A name is looked up by its key, then by its key without the locality ("Sở Tư pháp
    tỉnh" in a province is "Sở Tư pháp"), then, among the groups only, by its group key
    ("UBND các huyện, thị xã, thành phố" is the group "UBND các huyện, thành phố")."""

    AMBIGUOUS = object()

    def __init__(self, locality):
        self.locality = locality
        self.known = _Index(locality)
        self.pending = _Index(locality)
        for agency in Agency.objects.filter(locality=locality):
            self.known.add(agency, agency_spellings(agency), group=agency.is_group)

    def match_cell(self, text: str) -> list[AgencyMatch]:
        """Split a cell into agencies: ";" and line breaks always separate; a comma
        separates where the pieces are known agencies or start like the name of a body
        ("Sở …", "UBND …"): group names contain commas ("Các Sở, ban, ngành")."""
        matches = []
        for part in re.split(r"[;\n]+", text or ""):
            part = part.strip(" .,")
            if part:
                matches.extend(self._understood(p) for p in self._split_commas(part))
        return matches

    def _understood(self, written: str) -> AgencyMatch:
        agency = self.known.get(written)
        if agency is not None:
            return AgencyMatch(written, agency)
        new = self.pending.get(written)
        if new is None:
            new = NewAgency(spellings=[])
        new.spellings.append(written)
        self.pending.add(new, [written], group=agency_kind_for(written) == AgencyKind.GROUP)
        return AgencyMatch(written, None, new)

    def _split_commas(self, text: str) -> list[str]:
        if self.known.get(text) is not None:
            return [text]
        pieces = [p.strip() for p in text.split(",")]
        # longest known prefix first, then the rest
        for end in range(len(pieces) - 1, 0, -1):
            head = ", ".join(pieces[:end])
            if self.known.get(head) is not None:
                return [head, *self._split_commas(", ".join(pieces[end:]))]
        # "X và các Y": two bodies joined by "và các"
        joined = re.split(r"\s+và\s+(?=các\s)", text, maxsplit=1, flags=re.IGNORECASE)
        if len(joined) == 2 and any(self.known.get(j) is not None for j in joined):
            return [joined[0], joined[1][0].upper() + joined[1][1:]]
        # unknown bodies listed with commas: "Sở Tư pháp, Sở Nội vụ"
        bodies = [pieces[0]]
        for piece in pieces[1:]:
            if _names_a_body(piece) or self.known.get(piece) is not None:
                bodies.append(piece)
            else:
                bodies[-1] = f"{bodies[-1]}, {piece}"
        if len(bodies) > 1:
            return [b for body in bodies for b in self._split_commas(body)]
        return [text]


class _Index:
    """Agencies (or new agencies) by key, by key without the locality and, for groups, by
    group key; a bare key two agencies share finds neither."""

    def __init__(self, locality):
        self.locality = locality
        self.by_key, self.by_bare, self.by_group = {}, {}, {}

    def add(self, item, spellings, *, group: bool) -> None:
        for name in spellings:
            key = agency_key(name)
            self.by_key.setdefault(key, item)
            bare = locality_bare_key(key, self.locality)
            if self.by_bare.setdefault(bare, item) is not item:
                self.by_bare[bare] = AgencyMatcher.AMBIGUOUS
            if group:
                self.by_group.setdefault(group_key(name), item)

    def get(self, name: str):
        key = agency_key(name)
        found = self.by_key.get(key)
        if found is None:
            found = self.by_bare.get(locality_bare_key(key, self.locality))
        if found is None or found is AgencyMatcher.AMBIGUOUS:
            found = self.by_group.get(group_key(name))
        return found


BODY_HEADS = re.compile(
    r"^(?:Cục|Chi cục|Văn phòng|Viện|Trung tâm|Công an|Bộ Chỉ huy|Kho bạc|Bảo hiểm|Thanh tra"
    r"|Hội|Quỹ|Tòa án)\s+\S"  # not "Ban", "Đoàn": "Các Sở, Ban ngành", "Đoàn thể"
)


def _names_a_body(piece: str) -> bool:
    """A piece after a comma that starts a new body: a kind follows from its name, or it
    starts with the word of an office ("Cục …", "Trung tâm …", "Hội …")."""
    if not piece[:1].isupper():
        return False
    return agency_kind_for(piece) != AgencyKind.OTHER or bool(BODY_HEADS.match(piece))


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
            deadline_understood=deadline.understood,
            deadline_reading=deadline_reading(deadline),
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
            if match.new is not None:
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
    _compare_with_plan(preview, plan)
    return preview


def _compare_with_plan(preview: ImportPreview, plan) -> None:
    """What the table meets in the plan: its sections, the colliding rows, the current
    tasks a replacement would take out of the table."""
    preview.has_table = plan_has_task_table(plan)
    active = {s.number: s for s in TaskSection.objects.filter(plan=plan, is_active=True)}
    numbers = TaskSection.objects.filter(plan=plan).values_list("number", flat=True)
    appended = _appended_numbers(preview, numbers)
    preview.section_rows = [
        PreviewSection(number, title, active.get(number), appended[number])
        for number, title in preview.sections
    ]
    existing = {
        (t.section.number, t.number): t
        for t in Task.objects.filter(section__in=active.values()).select_related("section")
    }
    for row in preview.rows:
        row.collides = existing.get((row.section, row.number))
    current = Task.objects.filter(plan=plan, is_active=True)
    preview.current_tasks = current.count()
    preview.current_tasks_with_reports = current.filter(reports__isnull=False).distinct().count()


def _appended_numbers(preview: ImportPreview, numbers) -> dict[str, str]:
    """The table's section numbers → the numerals after the plan's last section."""
    if not preview.sections:
        return {}
    fresh = next_section_number(list(numbers), count=len(preview.sections))
    fresh = [fresh] if isinstance(fresh, str) else fresh
    return {number: new for (number, _title), new in zip(preview.sections, fresh, strict=True)}


def table_state(plan) -> str:
    """A mark of the plan's task table that changes with every change of its tasks or
    sections (their history grows): kept with a preview, checked when it is confirmed."""
    tasks = Task.history.filter(plan_id=plan.pk).aggregate(last=Max("history_id"))["last"]
    sections = TaskSection.history.filter(plan_id=plan.pk).aggregate(last=Max("history_id"))
    return f"{tasks}:{sections['last']}"


def deadline_reading(deadline: Deadline) -> str:
    """How the preview says a deadline was understood: its kind and its last day, or when
    its yearly report is due ("By a date, due 30/6/2025"; "Every year from 2025")."""
    if deadline.conditional:
        return _("A condition, not a date: kept as written")
    label = DeadlineKind(deadline.kind).label
    due = deadline.due_date()
    if due is not None:
        return _("%(kind)s, due %(date)s") % {"kind": label, "date": vn_date(due)}
    if deadline.kind == DeadlineKind.FROM_YEAR:
        label = _("Every year from %(year)s") % {"year": deadline.year_from}
    if deadline.is_recurring and deadline.due_day and deadline.due_month:
        day = vn_date(datetime.date(2024, deadline.due_month, deadline.due_day))[:-5]
        return _("%(kind)s, report due %(day)s each year") % {"kind": label, "day": day}
    return str(label)


def _written_remarks(row: ImportRow) -> str:
    """The data note of a row whose agency cells carried a remark in brackets."""
    remarks = [
        m.written for m in row.leads + row.partners if m.agency is not None and "(" in m.written
    ]
    return _("Agencies as written: %s") % "; ".join(remarks) if remarks else ""


@dataclass
class ImportResult:
    """What a confirmed import did."""

    created: int = 0
    updated: int = 0
    retired: int = 0  # the plan's former tasks kept, retired, for their reports
    removed: int = 0  # the plan's former tasks without reports


REASONS = {
    ImportMode.APPEND: gettext_noop("Appended from a task table"),
    ImportMode.UPDATE: gettext_noop("Updated from a task table"),
    ImportMode.REPLACE: gettext_noop("Imported from a task table replacing the plan's table"),
}


@transaction.atomic
def import_task_table(
    *,
    preview: ImportPreview,
    plan,
    user,
    create_agencies: bool,
    mode: str | None = None,
    state: str | None = None,
) -> ImportResult:
    """Write the previewed sections and tasks as ``mode`` says, all or nothing.

    The plan's row is locked first: two confirmations at once run one after the other.
    ``state`` is :func:`table_state` when the preview was shown: if the plan's table has
    changed since (someone edited it, or this upload was just imported), nothing is done
    (a ValidationError). A plan that has a table needs a ``mode``."""
    if preview.has_errors:
        raise ValueError("preview has errors")
    new_agencies = preview.new_agencies
    if new_agencies and not create_agencies:
        raise ValueError("new agencies not confirmed")
    type(plan).objects.select_for_update().get(pk=plan.pk)
    if state is not None and table_state(plan) != state:
        raise ValidationError(
            _(
                "Nothing was imported: the plan's tasks were changed after the preview. "
                "Check the new preview below and confirm again."
            )
        )
    if mode is None and plan_has_task_table(plan):
        raise ValidationError(_("Choose how to import the table: append, update or replace."))
    mode = ImportMode(mode or ImportMode.APPEND)
    reason = _(REASONS[mode])
    result = ImportResult()
    if mode == ImportMode.REPLACE:
        result.retired, result.removed = _take_out_table(plan, user=user, reason=reason)
    created_agencies = {}
    for new in new_agencies:
        created_agencies[new], _created = Agency.objects.get_or_create(
            locality=plan.locality,
            name=new.name,
            defaults={
                "kind": new.kind,
                "aliases": new.aliases,
                "note": _("Created when importing a task table."),
            },
        )
    sections = _sections_for(preview, plan, mode=mode, user=user, reason=reason)
    last_order = {}
    for row in preview.rows:
        section = sections[row.section]
        task = None
        if mode == ImportMode.UPDATE:
            task = Task.objects.filter(section=section, number=row.number).first()
        if task is None:
            if section.pk not in last_order:
                last_order[section.pk] = section.tasks.aggregate(last=Max("order"))["last"] or 0
            last_order[section.pk] += 10
            task = Task(plan=plan, section=section, number=row.number, order=last_order[section.pk])
            result.created += 1
        else:
            result.updated += 1
        task.is_active = True
        task.description = row.description
        task.deliverable = row.deliverable
        task.deadline_text = row.deadline
        task.note = row.note
        task.data_note = _written_remarks(row)
        task_apply_deadline(task=task)
        task._history_user = user
        task._change_reason = reason
        task.save()
        wanted = [
            (match.agency or created_agencies[match.new], role)
            for role, matches in (
                (AssignmentRole.LEAD, row.leads),
                (AssignmentRole.PARTNER, row.partners),
            )
            for match in matches
        ]
        task_assign(task=task, wanted=wanted, user=user)
    return result


def _take_out_table(plan, *, user, reason: str) -> tuple[int, int]:
    """Take the plan's current tasks and sections out of its table: those with reports
    (or, for sections, with tasks left) are retired, the others removed; history keeps
    who did it and why. Returns (retired, removed) tasks."""
    reported = set(TaskReport.objects.filter(task__plan=plan).values_list("task_id", flat=True))
    retired = removed = 0
    for task in Task.objects.filter(plan=plan, is_active=True):
        task._history_user = user
        task._change_reason = reason
        if task.pk in reported:
            task.is_active = False
            task.save(update_fields=["is_active"])
            retired += 1
        else:
            task.delete()
            removed += 1
    for section in TaskSection.objects.filter(plan=plan, is_active=True):
        section._history_user = user
        section._change_reason = reason
        if section.tasks.exists():
            section.is_active = False
            section.save(update_fields=["is_active"])
        else:
            section.delete()
    return retired, removed


def _sections_for(preview: ImportPreview, plan, *, mode, user, reason: str) -> dict:
    """The table's section numbers → the plan's sections that receive their rows:
    new ones after the plan's last (append, and numbers the plan lacks), or the plan's
    own of that number with the table's title (update)."""
    active = {s.number: s for s in TaskSection.objects.filter(plan=plan, is_active=True)}
    numbers = TaskSection.objects.filter(plan=plan).values_list("number", flat=True)
    appended = _appended_numbers(preview, numbers)
    order = TaskSection.objects.filter(plan=plan).aggregate(last=Max("order"))["last"] or 0
    sections = {}
    for number, title in preview.sections:
        section = active.get(number) if mode == ImportMode.UPDATE else None
        if section is None:
            order += 10
            wanted = appended[number] if mode == ImportMode.APPEND else number
            section = TaskSection(plan=plan, number=wanted, title=title, order=order)
        elif section.title == title:
            sections[number] = section
            continue
        section.title = title
        section._history_user = user
        section._change_reason = reason
        section.save()
        sections[number] = section
    return sections
