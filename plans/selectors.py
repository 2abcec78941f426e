"""Reads for plans: querysets carry their joins (django-tables2 adds none)."""

from django.db.models import Count, Prefetch, QuerySet

from targets.models import Target
from tasks.models import Task, TaskAssignment

from .models import Plan


def plan_list() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("locality", "issuing_body", "reports_to")
        .annotate(
            target_count=Count("targets", distinct=True), task_count=Count("tasks", distinct=True)
        )
        .order_by("level", "locality__name")
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
