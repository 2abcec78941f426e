import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from common.formatting import vn_date

from .models import Plan


class PlanTable(tables.Table):
    locality = tables.Column(
        verbose_name=_("Locality"), linkify=True, accessor="locality__name", order_by="list_key"
    )
    number = tables.Column(verbose_name=_("Document"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    issued_on = tables.Column(verbose_name=_("Issued on"))
    issuing_body = tables.Column(verbose_name=_("Issued by"), accessor="issuing_body__name")
    target_count = tables.Column(verbose_name=_("Targets"), attrs={"td": {"class": "num"}})
    task_count = tables.Column(verbose_name=_("Tasks"), attrs={"td": {"class": "num"}})

    class Meta:
        model = Plan
        fields = [
            "locality",
            "number",
            "kind",
            "issued_on",
            "issuing_body",
            "target_count",
            "task_count",
        ]
        order_by = ["locality"]

    def render_locality(self, record):
        return record.place_label

    def value_locality(self, record):
        return self.render_locality(record)

    def render_issued_on(self, value):
        return vn_date(value)

    def value_issued_on(self, value):
        return value.isoformat() if value else ""
