import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.search import fold_vn
from common.widgets import LongSelect
from plans.models import Agency, Plan

from .choices import AssignmentRole, DeadlineKind, ReportProgress
from .models import Task, TaskAssignment, TaskReport
from .selectors import overdue_q

STATUS_CHOICES = [
    ("overdue", _("Overdue")),
    ("completed", _("Completed")),
    ("open", _("Not completed")),
]
ROLE_CHOICES = [(AssignmentRole.LEAD, _("Lead")), (AssignmentRole.PARTNER, _("Cooperating"))]


class TaskFilter(django_filters.FilterSet):
    """Filters of the task lists (all tasks, and an agency's own)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    plan = django_filters.ModelChoiceFilter(
        label=_("Plan"),
        queryset=Plan.objects.select_related("locality").order_by("slug"),
        widget=LongSelect,
    )
    section = django_filters.ChoiceFilter(
        label=_("Section"),
        field_name="section__number",
        choices=[(n, n) for n in ["I", "II", "III", "IV", "V", "VI"]],
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status"
    )
    deadline_year = django_filters.NumberFilter(
        label=_("Deadline in year"), method="filter_deadline_year", min_value=2000, max_value=2100
    )

    class Meta:
        model = Task
        fields = ["q", "plan", "section", "status", "deadline_year"]

    def filter_text(self, queryset, name, value):
        """Ignoring case, tone marks and đ ("hop tac xa" finds "Hợp tác xã")."""
        term = fold_vn(value.strip())
        if not term:
            return queryset
        # The task's own text from its stored folded copy (Task.search_text); its agencies
        # by name, found first among the agencies (a few thousand) rather than per task.
        agencies = Agency.objects.filter(name__vnfold__contains=term).values("pk")
        assigned = TaskAssignment.objects.filter(agency__in=agencies).values("task_id")
        return queryset.filter(Q(search_text__contains=term) | Q(pk__in=assigned))

    def filter_status(self, queryset, name, value):
        completed = (
            TaskReport.objects.lead()
            .counted()
            .filter(task=OuterRef("pk"), progress=ReportProgress.COMPLETED)
        )
        if value == "overdue":
            return queryset.filter(overdue_q(timezone.localdate()))
        if value == "completed":
            return queryset.filter(Exists(completed))
        if value == "open":
            return queryset.exclude(Exists(completed))
        return queryset

    def filter_deadline_year(self, queryset, name, value):
        """Tasks the year concerns: recurring ones, those from a year onward once it has
        come, those due by a date until that date's year, and dated ones within it."""
        year = int(value)
        recurring = [
            DeadlineKind.CONTINUOUS,
            DeadlineKind.YEARLY,
            DeadlineKind.QUARTERLY,
            DeadlineKind.HALF_YEARLY,
        ]
        return queryset.filter(
            Q(deadline_kind__in=recurring)
            | Q(deadline_kind=DeadlineKind.FROM_YEAR, deadline_year_from__lte=year)
            | Q(deadline_kind=DeadlineKind.BY_DATE, deadline_year_to__gte=year)
            | Q(deadline_year_from__lte=year, deadline_year_to__gte=year)
        )


class MyTaskFilter(TaskFilter):
    role = django_filters.ChoiceFilter(
        label=_("My role"), choices=ROLE_CHOICES, method="filter_role"
    )

    class Meta(TaskFilter.Meta):
        fields = ["q", "plan", "section", "role", "status", "deadline_year"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(is_lead=value == AssignmentRole.LEAD)
