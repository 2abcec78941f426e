import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        model = Target
        fields = ["milestone", "text", "indicator", "value"]
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
