import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Task


def _names(agencies) -> str:
    return "; ".join(agency.name for agency in agencies)


class TaskTable(tables.Table):
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
