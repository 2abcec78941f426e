import base64
import copy
import re

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from accounts.mixins import RuleRequiredMixin
from accounts.permissions import (
    can_edit_plan,
    can_open_evidence,
    can_report_on_task,
    can_see_plan_reports,
    has_own_tasks,
    has_review_queue,
    is_signed_in,
    plans_editable_filter,
    reporting_agency,
)
from common.uploads import WORKBOOK_LIMITS, UploadRefused
from common.views import ObjectListView, ServiceFormMixin
from plans.models import Plan
from plans.years import reporting_years

from . import pages, selectors
from .filters import MyTaskFilter, TaskFilter
from .forms import (
    ReviewForm,
    SectionForm,
    TaskImportConfirmForm,
    TaskImportForm,
    TaskReportForm,
    TaskRowForm,
)
from .importing import read_task_table, table_state
from .models import Task, TaskEvidence, TaskReport, TaskSection
from .services import (
    TaskImportRefused,
    TaskReportStale,
    section_move,
    section_save,
    task_move,
    task_report_get_or_new,
    task_report_review,
    task_report_save,
    task_save,
    task_table_import_confirm,
)
from .tables import MyTaskTable, TaskListTable


class TaskListView(RuleRequiredMixin, ObjectListView):
    """All tasks of all plans, for every signed-in user."""

    permission_rule = is_signed_in
    filterset_class = TaskFilter
    table_class = TaskListTable
    export_name = "nhiem-vu"

    @property
    def title(self):
        return _("Tasks")

    def get_queryset(self):
        return selectors.task_queryset()


class MyTaskListView(RuleRequiredMixin, ObjectListView):
    """Nhiệm vụ của tôi: the tasks the user's agency leads or cooperates on."""

    permission_rule = has_own_tasks
    permission_denied_message = gettext_lazy("Only agency users have their own task list.")
    filterset_class = MyTaskFilter
    table_class = MyTaskTable
    export_name = "nhiem-vu-cua-toi"
    template_name = "tasks/my_tasks.html"

    @property
    def title(self):
        return _("My tasks")

    def get_queryset(self):
        return selectors.agency_tasks(agency=reporting_agency(self.request.user))

    def get_context_data(self, **kwargs):
        agency = reporting_agency(self.request.user)
        return super().get_context_data(
            agency=agency,
            own_reports=pages.agency_report_years(agency),
            returned=selectors.returned_reports(agency=agency),
            **kwargs,
        )


class ReviewQueueView(RuleRequiredMixin, TemplateView):
    """Submitted task reports waiting for the review of the plan's staff (``?plan=<slug>``:
    one plan's)."""

    permission_rule = has_review_queue
    permission_denied_message = gettext_lazy("Only the plans' staff review task reports.")
    template_name = "tasks/review_queue.html"

    def check_request(self):
        self.plans = Plan.objects.filter(plans_editable_filter(self.request.user))
        self.plan = None
        slug = self.request.GET.get("plan", "")
        if slug:
            if not slug_re.fullmatch(slug):
                raise BadRequest(_("Choose one of your plans."))
            self.plan = get_object_or_404(self.plans.select_related("locality"), slug=slug)

    paginate_by = 25  # as every list of the portal

    def get_context_data(self, **kwargs):
        plans = self.plans.filter(pk=self.plan.pk) if self.plan else self.plans
        # A page at a time: a national portal's queue can hold thousands of reports.
        queue = selectors.review_queue(plans=plans).only(*selectors.REVIEW_ROW_FIELDS)
        page = Paginator(queue, self.paginate_by).get_page(self.request.GET.get("page"))
        if self.plan is None:  # the user's whole queue: the menu's badge reads its count
            kwargs["menu_review_count"] = selectors.menu_count(page.paginator.count)
        return super().get_context_data(
            plan=self.plan, queue=page.object_list, page_obj=page, **kwargs
        )


class TaskDetailView(RuleRequiredMixin, DetailView):
    permission_rule = is_signed_in
    template_name = "tasks/task_detail.html"
    context_object_name = "task"

    def get_queryset(self):
        return selectors.task_queryset()

    def get_context_data(self, **kwargs):
        task, user, today = self.object, self.request.user, timezone.localdate()
        agency = reporting_agency(user)
        return super().get_context_data(
            years=pages.task_years(task, today=today, agency=agency),
            my_role=pages.assignment_role_of(task, agency),
            current_year=today.year,
            can_review=can_edit_plan(user, task.plan),
            css=selectors.TIMELINESS_CSS,
            groups=selectors.task_group_members(task, year=today.year),
            **kwargs,
        )


class TaskReportEditView(RuleRequiredMixin, ServiceFormMixin, FormView):
    """An agency writes, then submits, its report on a task for a year."""

    permission_rule = can_report_on_task
    field_aliases = {"files": "file"}
    form_class = TaskReportForm
    template_name = "tasks/report_form.html"

    def load_objects(self):
        self.task = get_object_or_404(selectors.task_queryset(), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.task

    def get_permission_denied_message(self):
        if not has_own_tasks(self.request.user):
            return _("Only agency users report on tasks.")
        return _("Your agency is not assigned to this task.")

    def check_request(self):
        agency, year = reporting_agency(self.request.user), self.kwargs["year"]
        try:
            self.report = task_report_get_or_new(task=self.task, year=year, agency=agency)
        except ValidationError as exc:  # a year without reports
            raise Http404(" ".join(exc.messages)) from exc

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.report}

    def post(self, request, *args, **kwargs):
        if not self.report.is_editable_by_agency:
            submitted = _(
                "This report has been submitted and can no longer be changed by the agency."
            )
            messages.error(request, submitted)
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        upload = form.cleaned_data.get("file")
        try:
            task_report_save(
                report=form.save(commit=False),
                user=self.request.user,
                files=[upload] if upload else [],
                submit=submit,
                version=form.cleaned_data["version"],
            )
        except TaskReportStale as exc:
            return self._stale(form, exc.current)
        except ValidationError as exc:
            return self.form_error(form, exc)
        done = _("Your report has been submitted.") if submit else _("Your draft has been saved.")
        messages.success(self.request, done)
        return redirect(self.request.path)

    def _stale(self, form, current):
        """Keep the user's input, show the other version; the form now carries the current
        version, so saving again is a deliberate overwrite."""
        self.report = current
        data = form.data.copy()
        data["version"] = str(current.version)
        # The form writes the user's input into its instance: give it a copy.
        new_form = self.get_form_class()(data, instance=copy.copy(current))
        new_form.is_valid()
        stale = _(
            "Nothing was saved: someone else saved this report after you opened the page. "
            "Their version is shown below; check your text and save again."
        )
        new_form.add_error(None, stale)
        return self.render_to_response(
            self.get_context_data(
                form=new_form, stale=current, stale_fields=pages.stale_fields(current)
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**pages.task_report_page(self.report), **kwargs)


class TaskReportReviewView(RuleRequiredMixin, View):
    """Plan staff accept a submitted report or return it with a comment."""

    permission_rule = can_edit_plan
    permission_denied_message = gettext_lazy("Only the plan's staff review its reports.")

    def load_objects(self):
        self.report = get_object_or_404(
            TaskReport.objects.select_related("task__plan"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.report.task.plan

    def post(self, request, pk):
        report = self.report
        back = redirect(report.task.get_absolute_url() + f"#year-{report.year}")
        decision = request.POST.get("decision")
        if decision not in ("accept", "return"):
            raise BadRequest(_("Accept or return the report."))
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for es in form.errors.values() for e in es))
            return back
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
        return back


class EvidenceDownloadView(RuleRequiredMixin, View):
    """Evidence files are not public: the assigned agencies, the plan's staff and
    leadership may download them."""

    permission_rule = can_open_evidence
    permission_denied_message = gettext_lazy("You cannot open this file.")

    def load_objects(self):
        self.evidence = get_object_or_404(
            TaskEvidence.objects.select_related("report__task__plan"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.evidence

    def get(self, request, pk):
        evidence = self.evidence
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


class PlanTaskMixin(RuleRequiredMixin):
    """Loads ``self.plan``; the plan's staff (and admins) only."""

    permission_rule = can_edit_plan
    permission_denied_message = gettext_lazy("Only the plan's staff can change its tasks.")

    def load_objects(self):
        self.plan = get_object_or_404(
            Plan.objects.select_related("locality"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class CompletenessView(PlanTaskMixin, TemplateView):
    """Who has reported for a year, who is missing, who was late; days left."""

    permission_rule = can_see_plan_reports
    permission_denied_message = gettext_lazy(
        "Only the plan's staff and leadership see its reporting."
    )
    template_name = "tasks/completeness.html"

    def check_request(self):
        self.year = self.kwargs["year"]
        if self.year not in reporting_years(self.plan):
            raise Http404(_("No reports are kept for this year."))

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        context = super().get_context_data(**kwargs)
        context.update(
            year=self.year,
            completeness=selectors.plan_completeness(plan=self.plan, year=self.year, today=today),
            years=list(reporting_years(self.plan, today=today)),
        )
        return context


class PlanTaskManageView(PlanTaskMixin, TemplateView):
    """The plan's sections and task rows with add, edit, move and retire actions."""

    template_name = "tasks/task_manage.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tasks=pages.plan_task_rows(self.plan),
            sections=selectors.plan_sections(self.plan),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        direction = request.POST.get("move")
        task_id, section_id = _row_id(request.POST, "task"), _row_id(request.POST, "section")
        if direction not in ("up", "down") or (task_id is None) == (section_id is None):
            raise BadRequest(_("Choose a task or a section and a direction to move it."))
        if task_id is not None:
            task = get_object_or_404(Task, pk=task_id, plan=self.plan)
            task_move(task=task, up=direction == "up", user=request.user)
        else:
            section = get_object_or_404(TaskSection, pk=section_id, plan=self.plan)
            try:
                section_move(section=section, up=direction == "up", user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect("tasks:task_manage", self.plan.slug)


def _row_id(data, name: str) -> int | None:
    """A row id posted as ``name``: ASCII digits that fit the database, else ``None``."""
    value = data.get(name, "")
    return int(value) if re.fullmatch(r"[0-9]{1,18}", value) else None


class SectionEditView(PlanTaskMixin, ServiceFormMixin, FormView):
    """Add a section to the plan's task table, or rename, renumber, retire or restore
    one; its history below."""

    form_class = SectionForm
    template_name = "tasks/section_form.html"

    def check_request(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            self.section = TaskSection(plan=self.plan)
        else:
            self.section = get_object_or_404(TaskSection, pk=pk, plan=self.plan)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.section}

    def form_valid(self, form):
        section = form.save(commit=False)
        section.plan = self.plan
        try:
            section_save(
                section=section, user=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            return self.form_error(form, exc)
        messages.success(self.request, _("Section %(n)s has been saved.") % {"n": section.number})
        return redirect("tasks:task_manage", self.plan.slug)

    def get_context_data(self, **kwargs):
        section = self.section
        history = list(section.history.select_related("history_user")[:20]) if section.pk else []
        return super().get_context_data(section=section, history=history, **kwargs)


class TaskRowEditView(PlanTaskMixin, ServiceFormMixin, FormView):
    """Add or edit a task row: its section (or a new one), agencies, deliverable,
    deadline; retire it."""

    form_class = TaskRowForm
    template_name = "tasks/task_form.html"

    def check_request(self):
        self.task = pages.task_row_for(self.plan, self.kwargs.get("pk"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "instance": self.task}

    def form_valid(self, form):
        task = form.save(commit=False)
        task.plan = self.plan
        try:
            task_save(
                task=task,
                leads=list(form.cleaned_data["leads"]),
                partners=list(form.cleaned_data["partners"]),
                user=self.request.user,
                reason=form.cleaned_data["reason"],
                new_section=form.new_section(),
            )
        except ValidationError as exc:
            return self.form_error(form, exc)
        messages.success(self.request, _("The task has been saved."))
        return redirect("tasks:task_manage", self.plan.slug)

    def get_context_data(self, **kwargs):
        task = self.task
        history = list(task.history.select_related("history_user")[:20]) if task.pk else []
        return super().get_context_data(task=task, history=history, **kwargs)


class TaskImportView(PlanTaskMixin, FormView):
    """Upload a task table, preview it against the plan's own, then, as the user chooses
    (append, update, replace), import all rows or none."""

    form_class = TaskImportForm
    template_name = "tasks/task_import.html"
    session_key = "task_import"

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self._confirm(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data["file"].read(WORKBOOK_LIMITS.max_bytes + 1)
        try:
            return self._preview_page(data, TaskImportConfirmForm(), upload_form=form)
        except UploadRefused as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)

    def _preview_page(self, data, confirm_form, *, upload_form=None, errors=()):
        """Read the table against the plan as it is now, keep it (and the plan's state it
        was compared with) in the session, and show it. Raises UploadRefused."""
        state = table_state(self.plan)
        preview = read_task_table(data, plan=self.plan)
        self.request.session[self.session_key] = {
            "plan": self.plan.slug,
            "data": base64.b64encode(data).decode(),
            "state": state,
        }
        confirm_form.fields["mode"].required = preview.has_table
        context = self.get_context_data(
            form=upload_form or self.get_form_class()(),
            preview=preview,
            confirm_form=confirm_form,
            confirm_errors=[e for e in errors if e],
        )
        return self.render_to_response(context)

    def _refused(self, message):
        context = self.get_context_data(form=self.get_form_class()(), confirm_errors=[message])
        return self.render_to_response(context)

    def _confirm(self, request):
        stored = request.session.get(self.session_key) or {}
        if stored.get("plan") != self.plan.slug or "data" not in stored:
            return self._refused(_("The uploaded table is no longer available: upload it again."))
        data = base64.b64decode(stored["data"])
        confirm_form = TaskImportConfirmForm(
            request.POST, needs_mode=selectors.plan_has_task_table(self.plan)
        )
        try:
            if not confirm_form.is_valid():
                return self._preview_page(data, confirm_form)
            result = task_table_import_confirm(
                data=data,
                plan=self.plan,
                user=request.user,
                create_agencies=confirm_form.cleaned_data["create_agencies"],
                mode=confirm_form.cleaned_data["mode"] or None,
                state=stored.get("state"),
            )
        except TaskImportRefused as exc:
            if exc.preview is None:
                return self._refused(exc.message)
            return self._preview_page(data, confirm_form, errors=[exc.message])
        except UploadRefused as exc:
            return self._refused(str(exc))
        request.session.pop(self.session_key, None)
        messages.success(request, pages.import_result_message(result))
        return redirect("tasks:task_manage", self.plan.slug)
