"""Reads for plans: querysets carry their joins (django-tables2 adds none)."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from common.formatting import vn_sort_key
from common.search import fold_vn
from plans.models import Agency, Locality, Plan
from targets.models import Target
from tasks.filters import task_text_q
from tasks.models import Task, TaskAssignment
from tasks.selectors import task_queryset


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
        Plan.objects.select_related("locality", "issuing_body", "coordinating_body")
        .annotate(target_count=_count(Target), task_count=_count(Task, is_active=True))
        .order_by("level", "locality__name", "slug")
    )


def plan_detail(*, slug: str) -> QuerySet[Plan]:
    return (
        Plan.objects.select_related(
            "locality",
            "locality__successor",
            "issuing_body",
            # the chain as the mergers stand (two steps: Sở KH&ĐT → Sở Tài chính → merged)
            "issuing_body__successor__successor",
            "coordinating_body__successor__successor",
            "report_issuer__successor__successor",
        )
        .prefetch_related("implements", "report_addressees")
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


SEARCH_MAX_LENGTH = 100
SEARCH_RESULTS = 20
SEARCH_PLACES = 200
# Each group counts its matches up to this number, then says "more than": an exact count of
# a common word at national scale reads every match (7 000 targets and 18 000 tasks for
# "hop tac xa": 56 and 40 ms on PostgreSQL, the page 10 → 114 ms), a hundred reads a
# hundred (2 and 4 ms).
SEARCH_COUNTED = 100


class Found(list):
    """The first results of one group of the search (a list), with how many were found in
    all (``total``), or ``beyond`` that number when more were (``SEARCH_COUNTED``); ``cut``
    when the list stops before them."""

    def __init__(self, shown, counted: int):
        super().__init__(shown)
        self.total = min(counted, SEARCH_COUNTED)
        self.beyond = counted > SEARCH_COUNTED

    @property
    def cut(self) -> bool:
        return self.beyond or self.total > len(self)


def _found(queryset) -> Found:
    """The first ``SEARCH_RESULTS`` of ``queryset`` and how many there are, counted up to
    one more than ``SEARCH_COUNTED``: two queries, whatever the number found."""
    counted = queryset.order_by()[: SEARCH_COUNTED + 1].count()
    return Found(list(queryset[:SEARCH_RESULTS]), counted)


def search_tasks(query: str) -> QuerySet[Task]:
    """The tasks the task list finds for the same words (``/nhiem-vu/?q=``): its text
    filter's rule, description, deliverable and note or an assigned agency's name
    (``tasks.filters.task_text_q``), over the active tasks it lists."""
    tasks = task_queryset().select_related(None).prefetch_related(None)
    return tasks.filter(task_text_q(fold_vn(query.strip())))


def search(query: str) -> dict[str, Found]:
    """Plans, targets, active tasks and agencies whose text contains ``query``, ignoring
    case, tone marks and đ ("hop tac xa" finds "Hợp tác xã"; common/search.py): the first
    twenty of each (:class:`Found`) and how many were found (up to ``SEARCH_COUNTED``), one
    COUNT query a group.

    Plans, targets and tasks come in the order they were entered: a common word matches most of
    a national portal's rows, and sorting them all to show twenty took 0.4 s on
    PostgreSQL (benchmark at national scale); in entry order the search stops at twenty.
    The places named come first as a list of ids, so that the plans' text keeps its index.

    Plans, targets and agencies are read from their stored folded text (``search_text``)
    rather than by folding their columns row by row (0.03 ms a long title on PostgreSQL:
    36 ms for a thousand plans); tasks are those of the task list's text filter
    (:func:`search_tasks`), so that its link shows the same ones. ``query`` comes with its
    spaces collapsed (the view does it): a line break would match across the stored fields."""
    term = fold_vn(query)
    agencies = Agency.objects.filter(search_text__contains=term)
    places = list(
        Locality.objects.filter(name__vnfold__contains=term).values_list("pk", flat=True)[
            :SEARCH_PLACES
        ]
    )
    found_agencies = _found(agencies.select_related("locality").order_by("pk"))
    found_agencies.sort(key=lambda a: vn_sort_key(a.name))
    return {
        "plans": _found(
            Plan.objects.filter(Q(search_text__contains=term) | Q(locality_id__in=places))
            .select_related("locality")
            .order_by("pk")
        ),
        "targets": _found(
            Target.objects.filter(search_text__contains=term)
            .select_related("plan", "plan__locality")
            .order_by("pk")
        ),
        "tasks": _found(search_tasks(query).select_related("plan", "section").order_by("pk")),
        "agencies": found_agencies,
    }
