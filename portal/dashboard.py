"""What each role sees first: computed in a fixed number of queries per page."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.permissions import (
    can_consolidate,
    has_own_tasks,
    has_review_queue,
    is_plan_staff,
    plans_editable_filter,
)
from plans.models import Plan, yearly_due_date
from reports.choices import ReportStatus
from reports.models import AnnualReport
from targets.choices import ProgressStatus
from targets.models import Indicator, ProgressSummary, Target
from targets.progress import target_progress
from targets.selectors import plan_figures, plan_indicators, plans_figure_values
from tasks.choices import AssignmentRole
from tasks.models import Task, TaskReport
from tasks.selectors import (
    QUEUE_COUNTED,
    REVIEW_ROW_FIELDS,
    agency_tasks,
    overdue_q,
    plan_completeness,
    plans_completeness_rates,
    returned_reports,
    review_queue,
    task_report_due,
)

QUEUE_SHOWN = 10
"""Reports of the review queue listed on the home page (the queue's page has them all)."""

STATUS_ORDER = ["achieved", "on_track", "behind", "insufficient", "no_data"]
KEY_INDICATORS = [
    "htx_count",
    "htx_members",
    "tht_count",
    "kttt_good_fair_share",
    "htx_good_fair_share",
    "htx_effective_share",
    "htx_new",
    "tht_effective",
]


STATUS_WORDS = {
    "achieved": gettext_lazy("achieved"),
    "on_track": gettext_lazy("on track"),
    "behind": gettext_lazy("behind"),
}
NO_DATA_WORD = gettext_lazy("no data")
"""What a card says of a plan's light or of a status count: a status not in STATUS_WORDS
("insufficient", "no_data") is "no data"."""

TARGET_COLUMNS = (
    "id",
    "plan_id",
    "indicator_id",
    "milestone_year",
    "is_yearly",
    "comparator",
    "value",
    "value_max",
    "parent_id",
    "newly_founded",
)
INDICATOR_COLUMNS = (
    "code",
    "name",
    "unit",
    "computation",
    "numerator_id",
    "numerator__code",
    "denominator_id",
    "denominator__code",
)


@dataclass(slots=True)
class NumericTarget:
    """What :func:`targets.progress.target_progress` reads of a numeric target, from a
    row: a model instance for each of a page's 330 targets took 4 ms (the card's key
    targets are made model instances: :meth:`as_target`)."""

    row: tuple
    indicator: Indicator
    id: int = field(init=False)
    plan_id: int = field(init=False)
    milestone_year: int | None = field(init=False)
    is_yearly: bool = field(init=False)
    comparator: str = field(init=False)
    value: Decimal | None = field(init=False)
    value_max: Decimal | None = field(init=False)
    parent_id: int | None = field(init=False)
    newly_founded: bool = field(init=False)

    def __post_init__(self):
        (
            self.id,
            self.plan_id,
            _indicator_id,
            self.milestone_year,
            self.is_yearly,
            self.comparator,
            self.value,
            self.value_max,
            self.parent_id,
            self.newly_founded,
        ) = self.row

    def as_target(self, db: str) -> Target:
        """The target as a model instance, the columns not read deferred (reading one
        would be a query: the page's query count test says so)."""
        target = Target.from_db(db, TARGET_COLUMNS, self.row)
        _cache(target, "indicator", self.indicator)
        return target


def _numeric_targets(plan_ids) -> tuple[dict[int, list[NumericTarget]], str]:
    """The plans' numeric targets, each with its indicator, by plan, and the database
    read. One query, read as rows: a model instance per row and per joined indicator
    (four a target) took 11 ms of the national home page's 60 for 25 plans; each
    indicator is built once here."""
    targets = defaultdict(list)
    indicators: dict[int, Indicator] = {}
    rows = (
        Target.objects.filter(plan_id__in=plan_ids, indicator__isnull=False)
        .order_by("is_yearly", "milestone_year", "order", "pk")
        .values_list(*TARGET_COLUMNS, *(f"indicator__{c}" for c in INDICATOR_COLUMNS))
    )
    width = len(TARGET_COLUMNS)
    for row in rows:
        indicator_id = row[2]
        indicator = indicators.get(indicator_id)
        if indicator is None:
            code, name, unit, computation, num_id, num_code, den_id, den_code = row[width:]
            indicator = Indicator.from_db(
                rows.db,
                ("id", "code", "name", "unit", "computation", "numerator_id", "denominator_id"),
                (indicator_id, code, name, unit, computation, num_id, den_id),
            )
            if num_id:  # a computed share or average: its two indicators' codes
                _cache(indicator, "numerator", _code_only(rows.db, num_id, num_code))
                _cache(indicator, "denominator", _code_only(rows.db, den_id, den_code))
            indicators[indicator_id] = indicator
        target = NumericTarget(row[:width], indicator)
        targets[target.plan_id].append(target)
    return targets, rows.db


def _cache(instance, name: str, related) -> None:
    """Attach a related object as select_related does (assigning it checks the database
    routers: 15 µs an object)."""
    instance._meta.get_field(name).set_cached_value(instance, related)


def _code_only(db: str, pk: int, code: str) -> Indicator:
    return Indicator.from_db(db, ("id", "code"), (pk, code))


@dataclass(frozen=True, slots=True)
class KeyTarget:
    """A key target as its card shows it (stored in ``ProgressSummary.key_targets``)."""

    indicator: str  # the indicator's name
    value_label: str
    milestone_year: int
    bar_width: int | None  # None: no share reached known
    status: str | None
    status_label: str  # the status in words (not stored)


def plans_overview(plans, *, year: int) -> dict[int, dict]:
    """For each plan: its numeric targets' statuses and a traffic light, with the words
    its card shows (``light_label``, ``counts_label``; the card is written for every plan
    of a page). From the plans' stored summaries when current (``ProgressSummary``): one
    query. The others are computed (two queries, and one per generation of mergers of the
    plans' places) and stored."""
    plans = list(plans)
    since = timezone.now() - datetime.timedelta(minutes=settings.KTTT_COMPLETENESS_MAX_AGE_MINUTES)
    stored = {
        s.plan_id: s
        for s in ProgressSummary.objects.filter(
            plan__in=plans, year=year, computed_at__gte=since
        ).only("plan_id", "light", "counts", "key_targets")
        if _current_shape(s)
    }
    todo = [plan for plan in plans if plan.pk not in stored]
    if todo:
        computed = _progress_summaries(todo, year=year)
        ProgressSummary.objects.bulk_create(
            computed,
            update_conflicts=True,
            unique_fields=["plan", "year"],
            update_fields=["light", "counts", "key_targets", "computed_at"],
        )
        stored.update((s.plan_id, s) for s in computed)
    # The words once a page, not a translation lookup for each card (8 µs each, 13 a card)
    words = {status: _status_word(status) for status in STATUS_ORDER}
    labels = {status: str(label) for status, label in ProgressStatus.choices}
    overview = {}
    for plan in plans:
        summary = stored[plan.pk]
        counts = [tuple(pair) for pair in summary.counts]
        total = sum(n for _s, n in counts) or 1
        ok = sum(n for s, n in counts if s in ("achieved", "on_track"))
        overview[plan.pk] = {
            "key": [KeyTarget(*k, labels.get(k[-1], "")) for k in summary.key_targets],
            "counts": counts,
            "counts_label": " · ".join(
                f"{words.get(s) or _status_word(s)}: {n}" for s, n in counts
            ),
            "share_ok": round(100 * ok / total),
            "light": summary.light,
            "light_label": words.get(summary.light) or _status_word(summary.light),
        }
    return overview


# A stored key target holds KeyTarget's fields but its words (``status_label``).
_KEY_TARGET_STORED = len(KeyTarget.__slots__) - 1


def _current_shape(summary: ProgressSummary) -> bool:
    """Whether a stored summary has the shape this code writes: one stored by an earlier
    version of the code (other fields) is computed again, not read into a wrong card."""
    try:
        return all(len(pair) == 2 for pair in summary.counts) and all(
            len(k) == _KEY_TARGET_STORED for k in summary.key_targets
        )
    except TypeError:
        return False


def _progress_summaries(plans, *, year: int) -> list[ProgressSummary]:
    """Each plan's summary computed from its targets and figures."""
    targets, db = _numeric_targets([p.pk for p in plans])
    values = plans_figure_values(plans)
    now = timezone.now()
    summaries = []
    for plan in plans:
        progress = {
            t.id: target_progress(
                t,
                values[plan.pk],
                start_year=plan.start_year,
                base_year=plan.baseline_year,
                as_of_year=year,
            )
            for t in targets[plan.pk]
        }
        counts = Counter(p.status for p in progress.values())
        upcoming = [
            t
            for t in targets[plan.pk]
            if not t.is_yearly
            and t.milestone_year >= year
            and t.parent_id is None
            and t.indicator.code in KEY_INDICATORS
        ]
        next_milestone = min((t.milestone_year for t in upcoming), default=None)
        key = sorted(
            (t for t in upcoming if t.milestone_year == next_milestone),
            key=lambda t: KEY_INDICATORS.index(t.indicator.code),
        )[:3]
        total = sum(counts.values()) or 1
        light = (
            "behind"
            if counts["behind"] > counts["achieved"] + counts["on_track"]
            else (
                "no_data"
                if counts["no_data"] + counts["insufficient"] == total
                else ("on_track" if counts["behind"] else "achieved")
            )
        )
        summaries.append(
            ProgressSummary(
                plan=plan,
                year=year,
                light=light,
                counts=[[s, counts[s]] for s in STATUS_ORDER if counts[s]],
                key_targets=[_key_target(t, progress[t.id], db) for t in key],
                computed_at=now,
            )
        )
    return summaries


def _key_target(target: NumericTarget, progress, db: str) -> list:
    """A key target as stored: the fields of :class:`KeyTarget`, in order."""
    return [
        target.indicator.name,
        target.as_target(db).value_label,
        target.milestone_year,
        None if progress.share is None else progress.bar_width,
        progress.status,
    ]


def _status_word(status: str) -> str:
    return str(STATUS_WORDS.get(status, NO_DATA_WORD))


def role_dashboard(user, plans) -> dict:
    """The panels of the signed-in user's home page."""
    today = timezone.localdate()
    year = today.year
    context = {"year": year}
    if can_consolidate(user):
        overdue = dict(
            Task.objects.filter(is_active=True, plan__in=plans)
            .filter(overdue_q(today))
            .values_list("plan_id")
            .annotate(n=Count("pk"))
        )
        completeness = plans_completeness_rates(plans=plans, year=year, today=today)
        context["leadership"] = {
            "completeness": completeness,
            "overdue": [(p, overdue.get(p.pk, 0)) for p in plans],
            # each plan's row with its overdue count (the template has no lookup by key)
            "rows": [(c, overdue.get(c.plan.pk, 0)) for c in completeness],
            "reports": AnnualReport.objects.filter(status=ReportStatus.FINAL)
            .select_related("plan", "plan__locality")
            .order_by("-finalised_at")[:5],
        }
    if has_review_queue(user):
        queue = review_queue(plans=Plan.objects.filter(plans_editable_filter(user)))
        # counted as far as the menu's badge, which reads this count on the home page
        found = queue.order_by()[: QUEUE_COUNTED + 1].count()
        context["review_queue"] = {
            "count": min(found, QUEUE_COUNTED),
            "more": found > QUEUE_COUNTED,
            "reports": queue.only(*REVIEW_ROW_FIELDS)[:QUEUE_SHOWN],
        }
    if is_plan_staff(user):
        rows = []
        for plan in user.plans.select_related("locality"):
            inputs = plan_indicators(plan=plan).inputs
            filled = {code for code, _y in plan_figures(plan=plan, years=[year])}
            rows.append(
                {
                    "plan": plan,
                    "missing": [i for i in inputs if i.code not in filled],
                    "total": len(inputs),
                    "completeness": plan_completeness(plan=plan, year=year, today=today),
                }
            )
        context["staff"] = rows
    if has_own_tasks(user):
        mine = agency_tasks(agency=user.agency)
        reported = set(
            TaskReport.objects.counted()
            .filter(agency=user.agency, year=year)
            .values_list("task_id", flat=True)
        )
        tasks = list(mine)
        still_open = [t for t in tasks if t.pk not in reported]
        context["agency"] = {
            "count": len(tasks),
            "lead": sum(1 for t in tasks if t.is_lead),
            "open": still_open,
            # the first date the agency faces: each task's own (phrase, plan, else 15/12)
            "due": min(
                (task_report_due(t, year) for t in still_open or tasks),
                default=yearly_due_date(year),
            ),
            "role_lead": AssignmentRole.LEAD,
            "returned": list(returned_reports(agency=user.agency)),
        }
    return context
