import datetime
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, RedirectView, TemplateView
from django_tables2 import SingleTableView

from accounts.permissions import can_edit_plan, can_see_plan_reports, is_signed_in, landing_page
from common.views import PageSizeGuardMixin
from plans.chain import report_issuer
from reports import assembly as report_assembly
from targets import selectors as target_selectors
from targets.tables import TargetTable
from tasks.selectors import menu_count
from tasks.tables import TaskTable

from . import selectors
from .dashboard import plans_overview, role_dashboard
from .tables import HomePlanTable, leadership_rows, plan_cards

HOME_PLAN_COLUMNS = (
    *("slug", "kind", "number", "level", "locality", "issued_on", "issuing_body"),
    *("report_frequency", "report_due_day", "report_due_month", "start_year", "base_year"),
    *("locality__code", "locality__name", "locality__level", "locality__parent"),
    *("locality__successor", "locality__successor_from", "locality__dissolved_on"),
    "issuing_body__name",
)


class HomeView(PageSizeGuardMixin, SingleTableView):
    """The public home page: every plan the portal tracks."""

    table_class = HomePlanTable
    template_name = "plans/home.html"
    table_pagination = {"per_page": 25}  # the table's page only (see ObjectListView)

    def get_queryset(self):
        # The columns the page reads, for every role (the rest is long text): the plans
        # are sorted before they are paged, a thousand rows 1.3 kB wide took 8 ms.
        return (
            selectors.plan_list()
            .select_related(None)
            .select_related("locality", "issuing_body")
            .only(*HOME_PLAN_COLUMNS)
        )

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        plans = [row.record for row in context["table"].paginated_rows]
        year = timezone.localdate().year
        overview = plans_overview(plans, year=year)
        context["overview"] = [(plan, overview[plan.pk]) for plan in plans]
        context["cards"] = plan_cards(context["overview"])
        context.update(role_dashboard(self.request.user, plans))
        if "review_queue" in context:
            panel = context["review_queue"]
            context["menu_review_count"] = menu_count(panel["count"] + panel["more"])
        if "leadership" in context:
            leadership = context["leadership"]
            leadership["rows_html"] = leadership_rows(leadership["rows"], year=year)
        return context


def plan_figure_context(plan, targets, year: int) -> dict:
    """What the plan page says about its figures: the baseline it still needs, where its
    figures live after a merger, and the yearly statistics table of its place."""
    missing = sorted({y for t in targets for y in getattr(t.progress, "missing_years", ())})
    values = target_selectors.figure_values(plan=plan)
    years_with = sorted({y for (_code, y) in values if y <= year})
    statistics_year = years_with[-1] if years_with else None
    return {
        "missing_years": missing,
        "merged_places": target_selectors.merged_places(
            plan=plan, years=range(plan.start_year, year + 1)
        ),
        "statistics_year": statistics_year,
        "statistics": (
            report_assembly.build_statistics(plan=plan, year=statistics_year, values=values)
            if statistics_year
            else []
        ),
    }


class PlanDetailView(DetailView):
    """A plan: its document details, targets and tasks."""

    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.plan_detail(slug=self.kwargs["slug"]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        year = timezone.localdate().year
        targets, charts, has_demo = target_selectors.plan_progress(plan=plan, as_of_year=year)
        context["can_edit"] = can_edit_plan(self.request.user, plan)
        context["can_see_reports"] = can_see_plan_reports(self.request.user, plan)
        context["target_table"] = TargetTable(
            targets, exclude=() if context["can_edit"] else ("edit",)
        )
        context["charts"] = charts
        context["has_demo"] = has_demo
        context.update(plan_figure_context(plan, targets, year))
        sections = {}
        for task in selectors.plan_tasks(plan=plan):
            sections.setdefault(task.section, []).append(task)
        context["task_sections"] = [
            (section, TaskTable(tasks, prefix=f"s{section.pk}-"))
            for section, tasks in sections.items()
        ]
        context["task_count"] = sum(len(tasks) for tasks in sections.values())
        context["report_year"] = year
        date = datetime.date(year, 12, 31)
        context["coordinator_now"] = plan.coordinator_as_of(date)
        context["report_issuer_now"] = report_issuer(plan, date)
        return context


class LandingView(RedirectView):
    """Where a user lands after signing in: an agency user on its tasks, others home."""

    def get_redirect_url(self, *args, **kwargs):
        return reverse(landing_page(self.request.user))


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for whatever the page links: the icon among the
    static files (``static/img``, drawn by ``scripts/make-favicons``)."""

    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.ico")


class SearchView(TemplateView):
    """One search box across plans, targets, tasks and agencies: the first twenty of each,
    how many were found, and for those who may open it the task list of the same words."""

    template_name = "plans/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "").split())[: selectors.SEARCH_MAX_LENGTH]
        context["q"] = query
        context["results"] = selectors.search(query) if len(query) >= 2 else None
        if query and is_signed_in(self.request.user):  # the task list's own rule
            context["tasks_url"] = f"{reverse('tasks:task_list')}?{urlencode({'q': query})}"
        return context
