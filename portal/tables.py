"""The home page's rows, written in Python: its table of plans and the card of each plan
of the table's page. Values are escaped as Django escapes them (``django.utils.html.
escape`` is the standard library's ``html.escape``, called here without its wrappers)."""

from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from common.formatting import vn_date
from common.urls import SLOT, reverse_each
from plans.models import Plan
from plans.tables import PlanTable

EMPTY = "—"
"""What django-tables2 writes for an empty value (``Column.default``)."""


class HomePlanTable(PlanTable):
    """:class:`plans.tables.PlanTable` (its columns, sorting and paging) with its body
    written in Python: django-tables2 renders each cell through its column (a signature
    inspected per cell, attributes rebuilt, the template for each value), 0.6 ms a row on
    the national home page. The markup is the same (``tests/portal/test_home_scale.py``
    compares the two)."""

    class Meta(PlanTable.Meta):
        template_name = "plans/_plan_table.html"

    def body_html(self) -> SafeString:
        """The ``<tr>`` of each plan of the page."""
        # The kinds' names once (get_kind_display hashes every choice at each call)
        self.kind_names = {kind: str(name) for kind, name in Plan.kind.field.flatchoices}
        columns = [
            (getattr(self, f"cell_{column.name}"), column.attrs["td"].as_html())
            for column in self.columns
        ]
        page = list(self.paginated_rows)  # once: each pass counts the rows' even/odd anew
        urls = plan_urls(row.record for row in page)
        rows = []
        for row in page:
            plan = row.record
            url = urls[plan.pk]
            cells = "".join(f"<td {attrs}>{cell(plan, url)}</td>" for cell, attrs in columns)
            rows.append(f'<tr class="{row.get_even_odd_css_class()}">{cells}</tr>')
        return SafeString("\n".join(rows))

    # One method per column of PlanTable.Meta.fields: the cell's HTML as the column writes
    # it (``url``: the plan's, escaped).
    def cell_locality(self, plan, url):
        return f'<a href="{url}">{escape(self.render_locality(plan))}</a>'

    def cell_number(self, plan, url):
        return f'<a href="{url}">{escape(plan.number)}</a>' if plan.number else EMPTY

    def cell_kind(self, plan, url):
        return escape(self.kind_names.get(plan.kind, plan.kind)) or EMPTY

    def cell_issued_on(self, plan, url):
        return escape(vn_date(plan.issued_on)) if plan.issued_on else EMPTY

    def cell_issuing_body(self, plan, url):
        return escape(plan.issuing_body.name) or EMPTY

    def cell_target_count(self, plan, url):
        return _integer(plan.target_count)

    def cell_task_count(self, plan, url):
        return _integer(plan.task_count)


def _integer(value: int) -> str:
    """An integer as a template writes it (``localize``: only digits without
    USE_THOUSAND_SEPARATOR, and localize took 15 µs)."""
    return escape(localize(value)) if settings.USE_THOUSAND_SEPARATOR else str(value)


def plan_urls(plans, name: str = "plan_detail", *after) -> dict[int, str]:
    """Each plan's address by the URL ``name`` (the plan's slug, then ``after``), escaped
    (:func:`common.urls.reverse_each`). By default the plan's page
    (``Plan.get_absolute_url``)."""
    url = reverse_each(name, SLOT, *after)
    return {plan.pk: url(plan.slug) for plan in plans}


def leadership_rows(rows, *, year: int) -> SafeString:
    """The rows of the leadership's "Reporting in <year>": for each ``(rate, overdue)``
    (``tasks.selectors.CompletenessRate``, the plan's overdue tasks) the plan's reporting
    rate, its agencies missing, days left and overdue tasks (the template's loop took
    0.2 ms a row)."""
    rows = list(rows)
    urls = plan_urls((c.plan for c, _o in rows), "tasks:completeness", year)
    tasks = escape(reverse("tasks:task_list"))
    rate_word, passed = escape(gettext("Reporting rate")), escape(gettext("passed"))
    html = []
    for c, overdue in rows:
        number, rate = escape(c.plan.number), _integer(c.rate)
        late = (
            f'<a href="{tasks}?plan={c.plan.pk}&amp;status=overdue">{_integer(overdue)}</a>'
            if overdue
            else "0"
        )
        html.append(
            f'<tr>\n<th scope="row"><a href="{urls[c.plan.pk]}">{number}</a> '
            f'<span class="muted">{escape(c.plan.locality.name)}</span></th>\n'
            '<td><div class="progress"><div class="bar" role="progressbar" '
            f'aria-valuemin="0" aria-valuemax="100" aria-valuenow="{rate}" '
            f'aria-label="{rate_word} {number}"><span class="w-{rate}"></span></div> '
            f"{rate}%</div></td>\n"
            f'<td class="num">{_integer(c.agencies_missing)}</td>\n'
            f'<td class="num">{_integer(c.days_left) if c.days_left >= 0 else passed}</td>\n'
            f'<td class="num">{late}</td>\n</tr>'
        )
    return SafeString("".join(html))


def plan_cards(overview) -> SafeString:
    """The cards of "Where each plan stands", one for each ``(plan, o)`` of ``overview``
    (``portal.dashboard.plans_overview``): the template's loop took 0.2 ms a card."""
    urls = plan_urls(plan for plan, _o in overview)
    return SafeString("\n".join(_card(plan, o, urls[plan.pk]) for plan, o in overview))


def _card(plan, o, url: str) -> str:
    light = escape(o["light"])
    key = "".join(_key_indicator(k) for k in o["key"])
    return (
        f'<article class="card">\n<h3><a href="{url}">'
        f'{escape(plan.locality.name)}</a> <span class="muted">{escape(plan.number)}</span></h3>\n'
        f'<p><span class="light light-{light}" aria-hidden="true"></span> '
        f'<span class="status status-{light}">{escape(o["light_label"])}</span></p>\n{key}\n'
        f'<p class="muted">{escape(o["counts_label"])}</p>\n</article>'
    )


def _key_indicator(key) -> str:
    """A key target of a card (``portal.dashboard.KeyTarget``)."""
    name = escape(key.indicator)
    bar = ""
    if key.bar_width is not None:
        width = key.bar_width
        bar = (
            '<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
            f'aria-valuenow="{width}" aria-label="{name}"><span class="w-{width}"></span></div>'
        )
    return (
        f'<div class="key-indicator"><span class="muted">{name} → '
        f"{escape(key.value_label)} ({_integer(key.milestone_year)})</span>\n"
        f'<div class="progress">{bar}<span class="status status-{escape(str(key.status))}">'
        f"{escape(key.status_label)}</span></div></div>"
    )
