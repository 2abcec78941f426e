import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.formatting import vn_number

from .models import Target


class TargetTable(tables.Table):
    milestone = tables.Column(
        verbose_name=_("Milestone"),
        accessor="milestone_year",
        order_by=("is_yearly", "milestone_year"),
    )
    text = tables.Column(verbose_name=_("Target as written"))
    indicator = tables.Column(verbose_name=_("Indicator"), accessor="indicator__name")
    value = tables.Column(verbose_name=_("Target value"), orderable=False, empty_values=())
    latest = tables.Column(verbose_name=_("Latest figure"), empty_values=(), orderable=False)
    progress = tables.Column(verbose_name=_("Progress"), empty_values=(), orderable=False)
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta:
        model = Target
        fields = ["milestone", "text", "indicator", "value", "latest", "progress", "edit"]
        orderable = False

    def render_milestone(self, record):
        return record.milestone_label

    def value_milestone(self, record):
        return record.milestone_label

    def render_text(self, record, value):
        return f"↳ {value}" if record.parent_id else value

    def value_text(self, record, value):
        return value

    def render_value(self, record):
        return record.value_label or "—"

    def value_value(self, record):
        return record.value_label

    def render_latest(self, record):
        p = getattr(record, "progress", None)
        if p is None or p.value is None:
            return "—"
        unit = "%" if record.indicator and record.indicator.is_share else ""
        return f"{vn_number(p.value)}{unit} ({p.year})"

    def value_latest(self, record):
        p = getattr(record, "progress", None)
        return p.value if p is not None else None

    def render_progress(self, record):
        p = getattr(record, "progress", None)
        if p is None or p.status is None:
            return "—"
        return render_to_string("targets/_progress.html", {"p": p, "target": record})

    def value_progress(self, record):
        p = getattr(record, "progress", None)
        return p.get_status_display() if p is not None and p.status else ""

    def render_edit(self, record):
        url = reverse("targets:target_edit", args=[record.plan.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit"))
