from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, RedirectView, TemplateView
from django_tables2 import SingleTableView

from accounts.permissions import can_edit_plan, can_see_plan_reports
from common.formatting import vn_sort_key
from common.views import PageSizeGuardMixin
from plans.tables import PlanTable
from targets import selectors as target_selectors
from targets.tables import TargetTable
from tasks.tables import TaskTable

from . import selectors
from .dashboard import plans_overview, role_dashboard


class HomeView(PageSizeGuardMixin, SingleTableView):
    """The public home page: every plan the portal tracks."""

    table_class = PlanTable
    template_name = "plans/home.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.plan_list()

    def get_context_data(self, **kwargs):

        context = super().get_context_data(**kwargs)
        plans = [row.record for row in context["table"].paginated_rows]
        year = timezone.localdate().year
        overview = plans_overview(plans, year=year)
        context["overview"] = [(plan, overview[plan.pk]) for plan in plans]
        context.update(role_dashboard(self.request.user, plans))
        return context


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
        sections = {}
        for task in selectors.plan_tasks(plan=plan):
            sections.setdefault(task.section, []).append(task)
        context["task_sections"] = [
            (section, TaskTable(tasks, prefix=f"s{section.pk}-"))
            for section, tasks in sections.items()
        ]
        context["task_count"] = sum(len(tasks) for tasks in sections.values())
        context["report_year"] = year
        context["recipient_now"] = plan.report_recipient(year)
        return context


class LandingView(RedirectView):
    """Where a user lands after signing in: an agency user on its tasks, others home."""

    def get_redirect_url(self, *args, **kwargs):
        user = self.request.user
        if user.is_authenticated and user.role == "agency" and user.agency_id:
            return reverse("tasks:my_tasks")
        return reverse("home")


class SearchView(TemplateView):
    """One search box across plans, targets, tasks and agencies."""

    template_name = "plans/search.html"

    def get_context_data(self, **kwargs):
        from django.db.models import Q

        from plans.models import Agency, Plan
        from targets.models import Target
        from tasks.models import Task

        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "").split())[:100]
        context["q"] = query
        if len(query) < 2:
            context["results"] = None
            return context
        context["results"] = {
            "plans": Plan.objects.filter(
                Q(number__icontains=query)
                | Q(title__icontains=query)
                | Q(locality__name__icontains=query)
            ).select_related("locality")[:20],
            "targets": Target.objects.filter(text__icontains=query).select_related(
                "plan", "plan__locality"
            )[:20],
            "tasks": Task.objects.filter(is_active=True)
            .filter(Q(description__icontains=query) | Q(deliverable__icontains=query))
            .select_related("plan", "section")[:20],
            "agencies": sorted(
                Agency.objects.filter(
                    Q(name__icontains=query) | Q(short_name__icontains=query)
                ).select_related("locality")[:20],
                key=lambda a: vn_sort_key(a.name),
            ),
        }
        return context
