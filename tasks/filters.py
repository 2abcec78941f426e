import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.formatting import vn_sort_key
from common.search import fold_vn
from common.widgets import LongSelect
from plans.choices import LocalityLevel
from plans.models import Locality, Plan

from .choices import AssignmentRole, DeadlineKind
from .models import Task
from .selectors import overdue_q

STATUS_CHOICES = [
    ("overdue", _("Overdue")),
    ("completed", _("Completed")),
    ("open", _("Not completed")),
]
ROLE_CHOICES = [(AssignmentRole.LEAD, _("Lead")), (AssignmentRole.PARTNER, _("Cooperating"))]


def plans_within(place: Locality) -> Q:
    """The plans of ``place`` and of the places under it (a province's districts and
    communes, a district's communes): its parent chain, three levels deep at most."""
    return Q(locality=place) | Q(locality__parent=place) | Q(locality__parent__parent=place)


def places_with_plans():
    """The top places (the country, the provinces) that have a plan, theirs or one of a
    place under them: the choices of the place filter."""
    plans = Plan.objects.order_by()
    return Locality.objects.filter(
        Q(pk__in=plans.values("locality_id"))
        | Q(pk__in=plans.values("locality__parent_id"))
        | Q(pk__in=plans.values("locality__parent__parent_id")),
        parent__isnull=True,
    ).order_by()


class TaskFilterForm(forms.Form):
    """The task lists' filter form: a plan chosen outside the place chosen says why the
    list is empty (both filters apply, so it finds nothing) and stays chosen."""

    def clean(self):
        data = super().clean()
        place, plan = data.get("place"), data.get("plan")
        if place and plan and not Plan.objects.filter(plans_within(place), pk=plan.pk).exists():
            self.add_error(
                "plan",
                _("This plan is not one of %(place)s or of the places under it.")
                % {"place": place.name},
            )
            data["plan"] = plan  # kept for the plan select, which lists it chosen
        return data


def task_text_q(term: str) -> Q:
    """The tasks whose text or assigned agencies' names (or short names) contain ``term``
    (folded with :func:`common.search.fold_vn`): the task's stored folded copies of both
    (``Task.search_text``, ``Task.agencies_text``), each with its trigram index.

    The agencies' names are kept in the task's row, not looked up in its assignments: an
    EXISTS over the assignments of the bodies named was guessed half the tasks by the
    planner (a name in a few bodies read the 30 000 tasks of the country to count two),
    and a common name ("hop tac xa", 74 bodies at national scale) hashed their 6 000
    assignments twice a search page."""
    return Q(search_text__contains=term) | Q(agencies_text__contains=term)


class TaskFilter(django_filters.FilterSet):
    """Filters of the task lists (all tasks, and an agency's own).

    A place first, then a plan: the plan select lists the plans of the place chosen (and
    of the places under it), or without a place every plan but the communes', and always
    the plan chosen (``?plan=<pk>`` takes any plan, as before). A thousand
    options were 100 kB on every page; it works without JavaScript (choose the place,
    filter, then choose the plan)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    place = django_filters.ModelChoiceFilter(
        label=_("Locality"),
        queryset=places_with_plans(),
        method="filter_place",
        widget=LongSelect,
    )
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
        fields = ["q", "place", "plan", "section", "status", "deadline_year"]
        form = TaskFilterForm

    @property
    def form(self):
        if not hasattr(self, "_form"):
            fields = super().form.fields
            # Read when the selects are written, once each (Django's own choices read a
            # queryset through a server-side cursor, 3 ms on PostgreSQL).
            fields["place"].widget.choices = CallableChoiceIterator(lambda: self.place_choices)
            fields["plan"].widget.choices = CallableChoiceIterator(lambda: self.plan_choices)
        return self._form

    @cached_property
    def _chosen(self) -> dict:
        """The valid fields' values, whatever the other fields' errors."""
        if self.is_bound:
            self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @cached_property
    def place_choices(self) -> list[tuple]:
        """The country first, then the provinces in Vietnamese alphabetical order."""
        field = self.form.fields["place"]
        places = sorted(
            field.queryset, key=lambda p: (p.level != LocalityLevel.NATIONAL, vn_sort_key(p.name))
        )
        return [("", field.empty_label)] + [(p.pk, str(p)) for p in places]

    @cached_property
    def plan_choices(self) -> list[tuple]:
        """The plan select's options: one query, whatever the number of plans."""
        place, plan = self._chosen.get("place"), self._chosen.get("plan")
        # Without a place, every plan but the communes' (a thousand at national scale):
        # the country's, the provinces', the districts' and those of former provinces.
        shown = plans_within(place) if place else ~Q(locality__level=LocalityLevel.COMMUNE)
        if plan:
            shown |= Q(pk=plan.pk)
        plans = (
            Plan.objects.filter(shown)
            .select_related("locality")
            .only("kind", "number", "locality__name")
            .order_by("slug")
        )
        return [("", self.form.fields["plan"].empty_label)] + [(p.pk, str(p)) for p in plans]

    def filter_place(self, queryset, name, value):
        return queryset.filter(plan__in=Plan.objects.filter(plans_within(value)).values("pk"))

    def filter_text(self, queryset, name, value):
        """Ignoring case, tone marks and đ ("hop tac xa" finds "Hợp tác xã"). Its spaces
        collapsed: a line break typed in would match across two fields of the stored texts
        (a task's description and note, two of its agencies)."""
        term = fold_vn(" ".join(value.split()))
        if not term:
            return queryset
        return queryset.filter(task_text_q(term))

    def filter_status(self, queryset, name, value):
        """Completed: the lead agency has sent a report saying so (any year), as the task's
        row keeps it (``Task.lead_completed_year``: the reports that count and were sent,
        those the status column reads too)."""
        if value == "overdue":
            return queryset.filter(overdue_q(timezone.localdate()))
        if value == "completed":
            return queryset.filter(lead_completed_year__isnull=False)
        if value == "open":
            return queryset.filter(lead_completed_year__isnull=True)
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
        fields = ["q", "place", "plan", "section", "role", "status", "deadline_year"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(is_lead=value == AssignmentRole.LEAD)
