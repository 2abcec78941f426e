import unicodedata
from html import escape

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.urls import SLOT, reverse_each

from .choices import Timeliness
from .models import Task
from .selectors import TIMELINESS_CSS, task_awaiting_review, task_status


def _names(agencies) -> str:
    return "; ".join(agency.name for agency in agencies)


class TaskRowColumnsMixin:
    """The TT, lead and cooperating-agency cells that every task table shows."""

    def render_code(self, record):
        return record.code

    def value_code(self, record):
        return record.code

    def render_lead(self, record):
        return _names(record.lead_agencies)

    def value_lead(self, record):
        return _names(record.lead_agencies)

    def render_partners(self, record):
        return _names(record.partner_agencies) or "—"

    def value_partners(self, record):
        return _names(record.partner_agencies)


class TaskTable(TaskRowColumnsMixin, tables.Table):
    """A plan's task table as the appendix writes it (the plan page)."""

    code = tables.Column(verbose_name=_("TT"), accessor="number", orderable=False)
    description = tables.Column(verbose_name=_("Task"))
    lead = tables.Column(verbose_name=_("Lead agency"), empty_values=(), orderable=False)
    partners = tables.Column(
        verbose_name=_("Cooperating agencies"), empty_values=(), orderable=False
    )
    deliverable = tables.Column(verbose_name=_("Deliverable"))
    deadline_text = tables.Column(verbose_name=_("Deadline"))
    note = tables.Column(verbose_name=_("Note"), empty_values=())

    class Meta:
        model = Task
        fields = ["code", "description", "lead", "partners", "deliverable", "deadline_text", "note"]
        orderable = False

    def render_note(self, record):
        if not record.data_note:
            return record.note or "—"
        return format_html(
            '{}<span class="data-note"><span class="label">{}</span> {}</span>',
            record.note,
            _("Data note:"),
            record.data_note,
        )

    def value_note(self, record):
        return record.note


class TaskListTable(TaskRowColumnsMixin, tables.Table):
    """Tasks across plans, with this year's timeliness; overdue rows highlighted."""

    code = tables.Column(
        verbose_name=_("TT"), accessor="number", order_by=("section__order", "order")
    )
    plan = tables.Column(verbose_name=_("Plan"), accessor="plan__number", order_by="plan__slug")
    description = tables.Column(verbose_name=_("Task"), linkify=True)
    lead = tables.Column(verbose_name=_("Lead agency"), empty_values=(), orderable=False)
    partners = tables.Column(
        verbose_name=_("Cooperating agencies"), empty_values=(), orderable=False
    )
    deliverable = tables.Column(verbose_name=_("Deliverable"))
    deadline_text = tables.Column(
        verbose_name=_("Deadline"), order_by=("deadline_year_to", "deadline_kind")
    )
    status = tables.Column(verbose_name=_("Status this year"), empty_values=(), orderable=False)

    class Meta:
        model = Task
        fields = [
            "code",
            "plan",
            "description",
            "lead",
            "partners",
            "deliverable",
            "deadline_text",
            "status",
        ]
        empty_text = _("No task matches these filters.")
        row_attrs = {
            "class": lambda record: (
                "overdue"
                if task_status(record, year=timezone.localdate().year, today=timezone.localdate())
                == Timeliness.OVERDUE
                else ""
            )
        }

    def render_plan(self, record):
        return f"{record.plan.number} ({record.plan.locality.name})"

    def value_plan(self, record):
        return self.render_plan(record)

    def _status(self, record):
        today = timezone.localdate()
        return Timeliness(task_status(record, year=today.year, today=today))

    def _awaiting_review(self, record) -> bool:
        return task_awaiting_review(record, year=timezone.localdate().year)

    def render_status(self, record):
        status = self._status(record)
        html = format_html(
            '<span class="status status-{}">{}</span>', TIMELINESS_CSS[status], status.label
        )
        if self._awaiting_review(record):
            html += format_html(
                ' <span class="status status-no_data">{}</span>', _("awaiting review")
            )
        return html

    def value_status(self, record):
        label = str(self._status(record).label)
        if self._awaiting_review(record):
            label += f" ({_('awaiting review')})"
        return label


class MyTaskTable(TaskListTable):
    """An agency's own tasks: its role, and a link to its report for this year."""

    role = tables.Column(verbose_name=_("My role"), accessor="is_lead", orderable=False)
    report = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta(TaskListTable.Meta):
        fields = [
            "code",
            "plan",
            "description",
            "role",
            "lead",
            "partners",
            "deliverable",
            "deadline_text",
            "status",
            "report",
        ]
        sequence = fields

    def render_role(self, value):
        return _("Lead") if value else _("Cooperating")

    def value_role(self, value):
        return str(self.render_role(value))

    def render_report(self, record):
        year = timezone.localdate().year
        url = reverse("tasks:report_edit", args=[record.pk, year])
        return format_html('<a href="{}">{}</a>', url, _("Report %(year)s") % {"year": year})


def truncate_chars(text: str, length: int) -> str:
    """``Truncator(text).chars(length)`` (the ``truncatechars`` filter), on the part of the
    text that decides it: Django's counts every character of a long description (50 µs a
    task)."""
    head = text[: 2 * length]
    if head != text:
        short = Truncator(head).chars(length)
        if short != unicodedata.normalize("NFC", head):  # cut within the head: as the whole
            return short
    return Truncator(text).chars(length)


def review_queue_rows(reports) -> SafeString:
    """The ``<tr>`` of each submitted report of a review queue (``tasks/_review_queue.html``;
    the template's loop took 0.2 ms a row of a page of fifty)."""
    task_url = reverse_each("tasks:task_detail", SLOT)
    cooperating = escape(gettext("cooperating"))
    review = escape(gettext("Review"))
    rows = []
    for report in reports:
        task, plan = report.task, report.task.plan
        agency = escape(report.agency.name)
        if not report.is_official:
            agency += f' <span class="muted">({cooperating})</span>'
        submitted = (
            date_format(localtime(report.submitted_at), "d/m/Y") if report.submitted_at else ""
        )
        rows.append(
            f'<tr>\n<th scope="row">{escape(task.code)} <span class="muted">'
            f"{escape(truncate_chars(task.description, 80))}</span></th>\n"
            f'<td>{escape(plan.number)} <span class="muted">{escape(plan.locality.name)}'
            f"</span></td>\n<td>{report.year}</td>\n<td>{agency}</td>\n<td>{submitted}</td>\n"
            f'<td><a href="{task_url(task.pk)}#year-{report.year}">{review}</a></td>\n</tr>'
        )
    return SafeString("".join(rows))
