"""What each role sees first: computed in a fixed number of queries per page."""

from collections import Counter, defaultdict

from django.db.models import Count
from django.utils import timezone

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
from targets.models import Target
from targets.progress import target_progress
from targets.selectors import plan_figures, plan_indicators, plans_figure_values
from tasks.choices import AssignmentRole
from tasks.models import Task, TaskReport
from tasks.selectors import (
    agency_tasks,
    overdue_q,
    plan_completeness,
    plans_completeness,
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


def plans_overview(plans, *, year: int) -> dict[int, dict]:
    """For each plan: its numeric targets' statuses and a traffic light. Two queries."""
    plan_ids = [p.pk for p in plans]
    targets = defaultdict(list)
    for target in Target.objects.filter(
        plan_id__in=plan_ids, indicator__isnull=False
    ).select_related("indicator", "indicator__numerator", "indicator__denominator"):
        targets[target.plan_id].append(target)
    values = plans_figure_values(plans)
    overview = {}
    for plan in plans:
        progress = {
            t.pk: target_progress(
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
        overview[plan.pk] = {
            "key": [(t, progress[t.pk]) for t in key],
            "counts": [(s, counts[s]) for s in STATUS_ORDER if counts[s]],
            "share_ok": round(100 * (counts["achieved"] + counts["on_track"]) / total),
            "light": light,
        }
    return overview


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
        completeness = plans_completeness(plans=plans, year=year, today=today)
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
        context["review_queue"] = {"count": queue.count(), "reports": queue[:QUEUE_SHOWN]}
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
