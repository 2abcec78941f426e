from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, RedirectView

from accounts.mixins import RuleRequiredMixin
from accounts.permissions import can_edit_plan, is_signed_in
from common.uploads import WORKBOOK_LIMITS
from common.views import ServiceFormMixin
from plans.models import Plan
from plans.years import figure_years

from . import pages
from .forms import FigureEntryForm, FigureUploadForm, TargetForm
from .models import Target
from .services import (
    FiguresInvalid,
    FiguresLocked,
    FiguresStale,
    figures_save,
    target_save,
)
from .uploading import figures_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanMixin(RuleRequiredMixin):
    """Signed-in users; loads ``self.plan`` from the URL's slug and checks its ``year``."""

    permission_rule = is_signed_in
    permission_denied_message = gettext_lazy("Only the plan's staff can enter its figures.")

    def load_objects(self):
        self.plan = get_object_or_404(
            Plan.objects.select_related("locality", "issuing_body"), slug=self.kwargs["slug"]
        )
        self.year = self.kwargs.get("year")

    def check_request(self):
        if self.year is not None and self.year not in figure_years(self.plan):
            raise Http404(_("No figures are kept for this year."))

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, year=self.year, **kwargs)


class FigureYearRedirectView(PlanMixin, RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return self.plan.get_absolute_url() + f"so-lieu/{timezone.localdate().year}/"


class FigureEntryView(PlanMixin, ServiceFormMixin, FormView):
    """A plan's figures for a year: every signed-in user reads, the plan's staff edit."""

    write_permission_rule = can_edit_plan
    form_class = FigureEntryForm
    template_name = "targets/figure_entry.html"
    nothing_saved_message = gettext_lazy(
        "Nothing was saved: please correct the cells marked below."
    )

    @cached_property
    def page(self) -> pages.FigureEntryPage:
        return pages.figure_entry_page(plan=self.plan, year=self.year)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicators": self.page.inputs}

    def get_initial(self):
        return pages.figure_entry_initial(self.page)

    def form_valid(self, form):
        data, inputs = form.cleaned_data, self.page.inputs
        try:
            figures_save(
                plan=self.plan,
                year=self.year,
                values=pages.figure_entry_inputs(data, inputs),
                user=self.request.user,
                version=data["version"],
                seen=pages.figure_entry_seen(data, inputs),
                confirm_warnings=data["confirm_warnings"],
                reason=data["reason"].strip(),
            )
        except FiguresLocked as exc:
            return self.form_error(form, ValidationError(str(exc)))
        except FiguresStale as exc:
            return self._stale(form, exc)
        except FiguresInvalid as exc:
            return self._invalid(form, exc)
        messages.success(
            self.request, _("The figures for %(year)s have been saved.") % {"year": self.year}
        )
        return redirect(self.request.path)

    def _invalid(self, form, exc: FiguresInvalid):
        """Errors per cell and for the whole sheet; large moves to confirm."""
        for code, errors in exc.errors.items():
            for error in errors:
                form.add_error(f"v_{code}" if f"v_{code}" in form.fields else None, error)
        for error in exc.general:
            form.add_error(None, error)
        if not exc.errors and not exc.general and exc.warnings:
            form.add_error(None, _("Nothing was saved: please confirm the large changes."))
        elif exc.errors:
            form.add_error(None, self.nothing_saved_message)
        return self.render_to_response(self.get_context_data(form=form, warnings=exc.warnings))

    def _stale(self, form, exc):
        """Keep the user's input, show what the other person changed, and let a second
        submit decide deliberately (the form now carries the current version)."""
        data = pages.figure_entry_refreshed(form.data, self.page)
        new_form = self.get_form_class()(data, indicators=self.page.inputs)
        new_form.is_valid()
        stale = _(
            "Nothing was saved: someone else saved these figures after you opened the page. "
            "Their changes are listed below; check your values and save again."
        )
        new_form.add_error(None, stale)
        return self.render_to_response(
            self.get_context_data(form=new_form, stale_changes=exc.changes)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, can_edit = self.page, can_edit_plan(self.request.user, self.plan)
        context.update(pages.figure_entry_rows(page, context["form"]))
        context.update(
            years=page.years,
            can_edit=can_edit and not page.is_final,
            is_final=page.is_final,
            sheet=page.sheet,
            history=pages.selectors.figure_history(plan=self.plan, year=self.year),
            other_years=list(figure_years(self.plan)),
            has_demo=any(f.is_demo for f in page.figures.values()),
            warnings=kwargs.get("warnings", []),
            stale_changes=kwargs.get("stale_changes", []),
        )
        return context


class TargetEditView(PlanMixin, ServiceFormMixin, FormView):
    """Plan staff correct or add a target of their plan, giving a reason."""

    permission_rule = can_edit_plan
    permission_denied_message = gettext_lazy("Only the plan's staff can edit its targets.")
    form_class = TargetForm
    template_name = "targets/target_form.html"

    def load_objects(self):
        super().load_objects()
        if "pk" in self.kwargs:
            self.target = get_object_or_404(Target, pk=self.kwargs["pk"], plan=self.plan)
        else:
            self.target = Target(plan=self.plan)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "instance": self.target}

    def form_valid(self, form):
        try:
            target_save(
                target=form.save(commit=False),
                user=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            return self.form_error(form, exc)
        messages.success(self.request, _("The target has been saved."))
        return redirect(self.plan.get_absolute_url() + "#targets-heading")

    def get_context_data(self, **kwargs):
        history = self.target.history.select_related("history_user").order_by("-history_date")
        return super().get_context_data(
            target=self.target, history=list(history) if self.target.pk else [], **kwargs
        )


class FigureTemplateView(PlanMixin, View):
    """The Excel template for a plan and year, pre-filled (plan staff)."""

    permission_rule = can_edit_plan

    def get(self, request, *args, **kwargs):
        content = pages.figure_template(plan=self.plan, year=self.year)
        response = HttpResponse(content, content_type=XLSX)
        filename = f"so-lieu-{self.plan.slug}-{self.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class FigureUploadView(PlanMixin, FormView):
    """Upload a filled template: same validation as the page, all or nothing, errors per
    row."""

    permission_rule = can_edit_plan
    form_class = FigureUploadForm
    template_name = "targets/figure_upload.html"

    def form_valid(self, form):
        outcome = figures_upload(
            plan=self.plan,
            year=self.year,
            data=form.cleaned_data["file"].read(WORKBOOK_LIMITS.max_bytes + 1),
            user=self.request.user,
            confirm_warnings=form.cleaned_data["confirm_warnings"],
            reason=form.cleaned_data["reason"],
        )
        if outcome.saved:
            saved = _("The figures for %(year)s have been saved from the workbook.")
            messages.success(self.request, saved % {"year": self.year})
            return redirect("targets:figure_entry", self.plan.slug, self.year)
        return self._refused(form, outcome)

    def _refused(self, form, outcome):
        """Nothing was saved: the file's refusal, the rows' errors or the warnings."""
        if outcome.refused:
            form.add_error("file", outcome.refused)
        for message in outcome.general:
            form.add_error(None, message)
        if outcome.row_errors:
            form.add_error(None, _("Nothing was saved: the rows below have errors."))
        elif outcome.warnings:
            confirm = _(
                "Nothing was saved: tick the confirmation and upload again to accept the "
                "large changes."
            )
            form.add_error(None, confirm)
        context = self.get_context_data(
            form=form, row_errors=outcome.row_errors, warnings=outcome.warnings
        )
        return self.render_to_response(context)
