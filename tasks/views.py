import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from accounts.permissions import can_edit_plan, can_see_plan_reports, reporting_agency
from common.uploads import WORKBOOK_LIMITS, UploadRefused
from common.views import ObjectListView
from plans.models import Plan
from plans.years import final_years, year_is_final

from . import selectors
from .choices import AssignmentRole, Timeliness
from .filters import MyTaskFilter, TaskFilter
from .forms import ReviewForm, TaskImportForm, TaskReportForm, TaskRowForm
from .importing import import_task_table, read_task_table
from .models import Task, TaskEvidence, TaskReport
from .services import (
    TaskReportStale,
    report_year_range,
    task_report_get_or_new,
    task_report_review,
    task_report_save,
    task_save,
)
from .tables import MyTaskTable, TaskListTable


class TaskListView(LoginRequiredMixin, ObjectListView):
    """All tasks of all plans, for every signed-in user."""

    filterset_class = TaskFilter
    table_class = TaskListTable
    export_name = "nhiem-vu"

    @property
    def title(self):
        return _("Tasks")

    def get_queryset(self):
        return selectors.task_queryset()


class MyTaskListView(LoginRequiredMixin, ObjectListView):
    """Nhiệm vụ của tôi: the tasks the user's agency leads or cooperates on."""

    filterset_class = MyTaskFilter
    table_class = MyTaskTable
    export_name = "nhiem-vu-cua-toi"
    template_name = "tasks/my_tasks.html"

    @property
    def title(self):
        return _("My tasks")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and reporting_agency(request.user) is None:
            raise PermissionDenied(_("Only agency users have their own task list."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.agency_tasks(agency=self.request.user.agency)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agency"] = self.request.user.agency
        return context


class TaskDetailView(LoginRequiredMixin, DetailView):
    template_name = "tasks/task_detail.html"
    context_object_name = "task"

    def get_queryset(self):
        return selectors.task_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.object
        today = timezone.localdate()
        reports = (
            task.reports.select_related("agency", "updated_by")
            .prefetch_related("evidence", "events__user")
            .order_by("-year", "role", "agency__name")
        )
        years = {}
        for report in reports:
            years.setdefault(report.year, []).append(report)
        agency = reporting_agency(self.request.user)
        my_role = None
        if agency is not None:
            my_role = next(
                (a.role for a in task.assignments.all() if a.agency_id == agency.pk), None
            )
        final = final_years(plan=task.plan)
        context.update(
            {
                "years": [
                    {
                        "year": year,
                        "reports": years.get(year, []),
                        "status": Timeliness(selectors.task_status(task, year=year, today=today)),
                        "is_final": year in final,
                    }
                    for year in reversed(report_year_range(task=task))
                ],
                "my_role": my_role,
                "current_year": today.year,
                "can_review": can_edit_plan(self.request.user, task.plan),
                "css": selectors.TIMELINESS_CSS,
            }
        )
        return context


class TaskReportEditView(LoginRequiredMixin, FormView):
    """An agency writes, then submits, its report on a task for a year."""

    form_class = TaskReportForm
    template_name = "tasks/report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.task = get_object_or_404(selectors.task_queryset(), pk=kwargs["pk"])
        agency = reporting_agency(request.user)
        if agency is None:
            raise PermissionDenied(_("Only agency users report on tasks."))
        try:
            self.report = task_report_get_or_new(task=self.task, year=kwargs["year"], agency=agency)
        except ValidationError as exc:
            raise Http404(" ".join(exc.messages)) from exc
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.report
        return kwargs

    def post(self, request, *args, **kwargs):
        if not self.report.is_editable_by_agency:
            messages.error(
                request,
                _("This report has been submitted and can no longer be changed by the agency."),
            )
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        report = form.save(commit=False)
        submit = "submit" in self.request.POST
        upload = form.cleaned_data.get("file")
        try:
            task_report_save(
                report=report,
                user=self.request.user,
                files=[upload] if upload else [],
                submit=submit,
                version=form.cleaned_data["version"],
            )
        except TaskReportStale as exc:
            return self._stale(form, exc.current)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    target = "file" if field == "files" else field
                    for error in errors:
                        form.add_error(target if target in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
            return self.form_invalid(form)
        if submit:
            messages.success(self.request, _("Your report has been submitted."))
        else:
            messages.success(self.request, _("Your draft has been saved."))
        return redirect(self.request.path)

    def form_invalid(self, form):
        if "version" in form.errors:  # a hidden field no browser sends wrong
            raise BadRequest(_("The form's hidden fields were changed."))
        if not form.non_field_errors():
            form.add_error(None, _("Nothing was saved: please correct the fields marked below."))
        return super().form_invalid(form)

    def _stale(self, form, current):
        """Keep the user's input, show the other version; the form now carries the current
        version, so saving again is a deliberate overwrite."""
        theirs = [
            (current._meta.get_field(name).verbose_name, value)
            for name, value in [
                ("progress", current.get_progress_display()),
                ("done", current.done),
                ("deliverable_ref", current.deliverable_ref),
                ("completed_on", current.completed_on and f"{current.completed_on:%d/%m/%Y}"),
                ("state", current.get_state_display()),
            ]
        ]
        self.report = current
        data = form.data.copy()
        data["version"] = str(current.version)
        # The form writes the user's input into its instance: give it a copy.
        new_form = self.get_form_class()(data, instance=copy.copy(current))
        new_form.is_valid()
        new_form.add_error(
            None,
            _(
                "Nothing was saved: someone else saved this report after you opened the page. "
                "Their version is shown below; check your text and save again."
            ),
        )
        return self.render_to_response(
            self.get_context_data(form=new_form, stale=current, stale_fields=theirs)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        is_final = year_is_final(plan=self.task.plan, year=self.report.year)
        contributions = []
        if self.report.role == AssignmentRole.LEAD:
            contributions = list(
                TaskReport.objects.filter(
                    task=self.task, year=self.report.year, role=AssignmentRole.PARTNER
                )
                .select_related("agency")
                .prefetch_related("evidence")
            )
        context.update(
            {
                "task": self.task,
                "report": self.report,
                "year": self.report.year,
                "contributions": contributions,
                "editable": self.report.is_editable_by_agency and not is_final,
                "is_final": is_final,
                "events": list(self.report.events.select_related("user")) if self.report.pk else [],
            }
        )
        return context


class TaskReportReviewView(LoginRequiredMixin, View):
    """Plan staff accept a submitted report or return it with a comment."""

    def post(self, request, pk):
        report = get_object_or_404(TaskReport.objects.select_related("task__plan"), pk=pk)
        if not can_edit_plan(request.user, report.task.plan):
            raise PermissionDenied(_("Only the plan's staff review its reports."))
        decision = request.POST.get("decision")
        if decision not in ("accept", "return"):
            raise BadRequest(_("Accept or return the report."))
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for es in form.errors.values() for e in es))
            return redirect(report.task.get_absolute_url() + f"#year-{report.year}")
        try:
            task_report_review(
                report=report,
                user=request.user,
                accept=decision == "accept",
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The review has been recorded."))
        return redirect(report.task.get_absolute_url() + f"#year-{report.year}")


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Evidence files are not public: the assigned agencies, the plan's staff and
    leadership may download them."""

    def get(self, request, pk):
        evidence = get_object_or_404(
            TaskEvidence.objects.select_related("report__task__plan"), pk=pk
        )
        task = evidence.report.task
        agency = reporting_agency(request.user)
        allowed = can_see_plan_reports(request.user, task.plan) or (
            agency is not None and task.assignments.filter(agency=agency).exists()
        )
        if not allowed:
            raise PermissionDenied(_("You cannot open this file."))
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


class CompletenessView(LoginRequiredMixin, TemplateView):
    """Who has reported for a year, who is missing, who was late; days left."""

    template_name = "tasks/completeness.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = get_object_or_404(Plan.objects.select_related("locality"), slug=kwargs["slug"])
        if not can_see_plan_reports(request.user, self.plan):
            raise PermissionDenied(_("Only the plan's staff and leadership see its reporting."))
        self.year = kwargs["year"]
        if not self.plan.start_year <= self.year <= timezone.localdate().year:
            raise Http404(_("No reports are kept for this year."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            {
                "plan": self.plan,
                "year": self.year,
                "completeness": selectors.plan_completeness(
                    plan=self.plan, year=self.year, today=today
                ),
                "years": list(range(self.plan.start_year, today.year + 1)),
            }
        )
        return context


class PlanTaskMixin(LoginRequiredMixin):
    """Plan staff only: loads ``self.plan``."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = get_object_or_404(Plan.objects.select_related("locality"), slug=kwargs["slug"])
        if not can_edit_plan(request.user, self.plan):
            raise PermissionDenied(_("Only the plan's staff can change its tasks."))
        return super().dispatch(request, *args, **kwargs)


class PlanTaskManageView(PlanTaskMixin, TemplateView):
    """The plan's task rows with edit, move and retire actions."""

    template_name = "tasks/task_manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = (
            Task.objects.filter(plan=self.plan)
            .select_related("section")
            .prefetch_related("assignments__agency")
            .order_by("section__order", "order")
        )
        context.update({"plan": self.plan, "tasks": tasks})
        return context

    def post(self, request, *args, **kwargs):
        direction = request.POST.get("move")
        if direction not in ("up", "down") or not request.POST.get("task", "").isdigit():
            raise BadRequest(_("Choose a task and a direction to move it."))
        task = get_object_or_404(Task, pk=request.POST["task"], plan=self.plan)
        siblings = list(Task.objects.filter(section=task.section).order_by("order", "pk"))
        index = siblings.index(task)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
            with transaction.atomic():
                for position, item in enumerate(siblings, start=1):
                    if item.order != position * 10:
                        item.order = position * 10
                        item._history_user = request.user
                        item._change_reason = _("Reordered")
                        item.save(update_fields=["order"])
        return redirect("tasks:task_manage", self.plan.slug)


class TaskRowEditView(PlanTaskMixin, FormView):
    """Add or edit a task row: agencies, deliverable, deadline; retire it."""

    form_class = TaskRowForm
    template_name = "tasks/task_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.plan
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(
                Task.objects.prefetch_related("assignments__agency"),
                pk=self.kwargs["pk"],
                plan=self.plan,
            )
        else:
            last = Task.objects.filter(plan=self.plan).order_by("-order").first()
            kwargs["instance"] = Task(plan=self.plan, order=(last.order + 10) if last else 10)
        return kwargs

    def form_valid(self, form):
        task = form.save(commit=False)
        task.plan = self.plan
        leads = list(form.cleaned_data["leads"])
        partners = list(form.cleaned_data["partners"])
        try:
            task_save(
                task=task,
                leads=leads,
                partners=partners,
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The task has been saved."))
        return redirect("tasks:task_manage", self.plan.slug)

    def form_invalid(self, form):
        if not form.non_field_errors():
            form.add_error(None, _("Nothing was saved: please correct the fields marked below."))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = context["form"].instance
        context.update(
            {
                "plan": self.plan,
                "task": task,
                "history": list(task.history.select_related("history_user")[:20])
                if task.pk
                else [],
            }
        )
        return context


class TaskImportView(PlanTaskMixin, FormView):
    """Upload a task table, preview it, then import all rows or none."""

    form_class = TaskImportForm
    template_name = "tasks/task_import.html"
    session_key = "task_import"

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self._confirm(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        import base64

        data = form.cleaned_data["file"].read(WORKBOOK_LIMITS.max_bytes + 1)
        try:
            preview = read_task_table(data, plan=self.plan)
        except UploadRefused as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        self.request.session[self.session_key] = {
            "plan": self.plan.slug,
            "data": base64.b64encode(data).decode(),
        }
        return self.render_to_response(self.get_context_data(form=form, preview=preview))

    def _confirm(self, request):
        import base64

        stored = request.session.get(self.session_key)
        form = self.get_form_class()()

        def again(message, preview=None):
            context = self.get_context_data(form=form, preview=preview)
            context["confirm_errors"] = [message] if message else []
            return self.render_to_response(context)

        if not stored or stored.get("plan") != self.plan.slug:
            return again(_("The uploaded table is no longer available: upload it again."))
        try:
            preview = read_task_table(base64.b64decode(stored["data"]), plan=self.plan)
        except UploadRefused as exc:
            return again(str(exc))
        create = request.POST.get("create_agencies") == "on"
        if preview.has_errors:
            return again(None, preview)
        if preview.new_agency_names and not create:
            return again(_("Nothing was imported: confirm the new agencies first."), preview)
        try:
            count = import_task_table(
                preview=preview, plan=self.plan, user=request.user, create_agencies=create
            )
        except ValidationError as exc:
            return again(" ".join(exc.messages))
        request.session.pop(self.session_key, None)
        messages.success(request, _("%(count)s tasks have been imported.") % {"count": count})
        return redirect("tasks:task_manage", self.plan.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        return context
