"""Reads for plans: querysets carry their joins (django-tables2 adds none)."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from plans.models import Plan
from targets.models import Target
from tasks.models import Task, TaskAssignment


def _count(model, **filters):
    """A correlated COUNT subquery: one per row, no join that multiplies rows."""
    rows = (
        model.objects.filter(plan=OuterRef("pk"), **filters)
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def plan_list() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("locality", "issuing_body", "reports_to")
        .annotate(target_count=_count(Target), task_count=_count(Task, is_active=True))
        .order_by("level", "locality__name", "slug")
    )


def plan_detail(*, slug: str) -> QuerySet[Plan]:
    return (
        Plan.objects.select_related(
            "locality",
            "locality__successor",
            "issuing_body",
            "reports_to",
            "reports_via",
        )
        .prefetch_related("implements")
        .filter(slug=slug)
    )


def plan_targets(*, plan: Plan) -> QuerySet[Target]:
    return plan.targets.select_related("indicator", "parent").order_by(
        "is_yearly", "milestone_year", "order"
    )


def plan_tasks(*, plan: Plan) -> QuerySet[Task]:
    return (
        plan.tasks.filter(is_active=True)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("agency").order_by("order"),
            )
        )
        .order_by("section__order", "order")
    )
