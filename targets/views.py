from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, RedirectView

from accounts.permissions import can_edit_plan
from common.uploads import WORKBOOK_LIMITS, UploadRefused
from plans.models import Plan
from plans.years import year_is_final

from . import selectors
from .excel import figure_template_xlsx, read_figure_upload
from .forms import FigureEntryForm, FigureUploadForm, TargetForm
from .models import Target
from .progress import indicator_value
from .services import (
    FigureInput,
    FiguresInvalid,
    FiguresLocked,
    FiguresStale,
    figure_year_range,
    figures_save,
    target_save,
)


class PlanMixin:
    """Loads ``self.plan`` from the URL's slug."""

    def dispatch(self, request, *args, **kwargs):
        self.plan = get_object_or_404(
            Plan.objects.select_related("locality", "issuing_body"), slug=kwargs["slug"]
        )
        self.can_edit = can_edit_plan(request.user, self.plan)
        return super().dispatch(request, *args, **kwargs)

    def require_staff_year(self, year: int) -> None:
        """Entering figures for ``year`` is for the plan's staff, within the plan's years."""
        if not self.can_edit:
            raise PermissionDenied(_("Only the plan's staff can enter its figures."))
        if year not in figure_year_range(plan=self.plan):
            raise Http404(_("No figures are kept for this year."))


class FigureYearRedirectView(LoginRequiredMixin, PlanMixin, RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return self.plan.get_absolute_url() + f"so-lieu/{timezone.localdate().year}/"


class FigureEntryView(LoginRequiredMixin, PlanMixin, FormView):
    """A plan's figures for a year: every signed-in user reads, the plan's staff edit."""

    form_class = FigureEntryForm
    template_name = "targets/figure_entry.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year = kwargs["year"]

    def get(self, request, *args, **kwargs):
        self._check_year()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_year()
        if not self.can_edit:
            raise PermissionDenied(_("Only the plan's staff can enter its figures."))
        return super().post(request, *args, **kwargs)

    def _check_year(self):
        if self.year not in figure_year_range(plan=self.plan):
            raise Http404(_("No figures are kept for this year."))
        entry = selectors.plan_indicators(plan=self.plan)
        self.inputs, self.derived = entry.inputs, entry.derived
        self.years = [self.year - 2, self.year - 1, self.year]
        self.figures = selectors.plan_figures(plan=self.plan, years=self.years)
        self.sheet = selectors.figure_sheet(plan=self.plan, year=self.year)
        self.is_final = year_is_final(plan=self.plan, year=self.year)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["indicators"] = self.inputs
        return kwargs

    def get_initial(self):
        initial = {"version": self.sheet.version if self.sheet else 0}
        from common.formatting import vn_number

        for indicator in self.inputs:
            figure = self.figures.get((indicator.code, self.year))
            if figure is not None:
                initial[f"v_{indicator.code}"] = vn_number(figure.value)
                initial[f"s_{indicator.code}"] = figure.status
                initial[f"n_{indicator.code}"] = figure.note
                initial[f"src_{indicator.code}"] = figure.source
                initial[f"seen_{indicator.code}"] = str(figure.value)
        return initial

    def form_invalid(self, form):
        if "version" in form.errors:  # a hidden field no browser sends wrong
            raise BadRequest(_("The form's hidden fields were changed."))
        if not form.non_field_errors():
            form.add_error(None, _("Nothing was saved: please correct the cells marked below."))
        return super().form_invalid(form)

    def form_valid(self, form):
        data = form.cleaned_data
        values = {
            i.code: FigureInput(
                value=data[f"v_{i.code}"],
                status=data[f"s_{i.code}"],
                note=data[f"n_{i.code}"].strip(),
                source=data[f"src_{i.code}"].strip(),
            )
            for i in self.inputs
        }
        try:
            figures_save(
                plan=self.plan,
                year=self.year,
                values=values,
                user=self.request.user,
                version=data["version"],
                seen={i.code: data[f"seen_{i.code}"] for i in self.inputs},
                confirm_warnings=data["confirm_warnings"],
                reason=data["reason"].strip(),
            )
        except FiguresLocked as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        except FiguresStale as exc:
            return self._stale(form, exc)
        except FiguresInvalid as exc:
            for code, errors in exc.errors.items():
                for error in errors:
                    form.add_error(f"v_{code}" if f"v_{code}" in form.fields else None, error)
            for error in exc.general:
                form.add_error(None, error)
            if not exc.errors and not exc.general and exc.warnings:
                form.add_error(None, _("Nothing was saved: please confirm the large changes."))
            elif exc.errors:
                form.add_error(None, _("Nothing was saved: please correct the cells marked below."))
            return self.render_to_response(self.get_context_data(form=form, warnings=exc.warnings))
        messages.success(
            self.request,
            _("The figures for %(year)s have been saved.") % {"year": self.year},
        )
        return redirect(self.request.path)

    def _stale(self, form, exc):
        """Keep the user's input, show what the other person changed, and let a second
        submit decide deliberately (the form now carries the current version)."""
        fresh = selectors.figure_sheet(plan=self.plan, year=self.year)
        data = form.data.copy()
        data["version"] = str(fresh.version if fresh else 0)
        current = selectors.plan_figures(plan=self.plan, years=[self.year])
        for indicator in self.inputs:
            figure = current.get((indicator.code, self.year))
            data[f"seen_{indicator.code}"] = str(figure.value) if figure else ""
        new_form = self.get_form_class()(data, indicators=self.inputs)
        new_form.is_valid()
        new_form.add_error(
            None,
            _(
                "Nothing was saved: someone else saved these figures after you opened the page. "
                "Their changes are listed below; check your values and save again."
            ),
        )
        return self.render_to_response(
            self.get_context_data(form=new_form, stale_changes=exc.changes)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        values = {(code, year): f.value for (code, year), f in self.figures.items()}
        targets = selectors.target_list(plan=self.plan)
        by_indicator = {}
        for target in targets:
            if target.indicator_id:
                by_indicator.setdefault(target.indicator_id, []).append(target)
        form = context["form"]
        rows = []
        for indicator, fields in form.rows():
            rows.append(
                {
                    "indicator": indicator,
                    "fields": fields,
                    "previous": [self.figures.get((indicator.code, y)) for y in self.years[:-1]],
                    "targets": by_indicator.get(indicator.id, []),
                    "current": self.figures.get((indicator.code, self.year)),
                }
            )
        derived_rows = [
            {
                "indicator": indicator,
                "values": [indicator_value(indicator, y, values) for y in self.years],
                "targets": by_indicator.get(indicator.id, []),
            }
            for indicator in self.derived
        ]
        year_range = figure_year_range(plan=self.plan)
        context.update(
            {
                "plan": self.plan,
                "year": self.year,
                "years": self.years,
                "rows": rows,
                "derived_rows": derived_rows,
                "can_edit": self.can_edit and not self.is_final,
                "is_final": self.is_final,
                "sheet": self.sheet,
                "history": selectors.figure_history(plan=self.plan, year=self.year),
                "other_years": list(year_range),
                "has_demo": any(f.is_demo for f in self.figures.values()),
                "warnings": kwargs.get("warnings", []),
                "stale_changes": kwargs.get("stale_changes", []),
            }
        )
        return context


class TargetEditView(LoginRequiredMixin, PlanMixin, FormView):
    """Plan staff correct or add a target of their plan, giving a reason."""

    form_class = TargetForm
    template_name = "targets/target_form.html"

    def get_target(self):
        if "pk" in self.kwargs:
            return get_object_or_404(Target, pk=self.kwargs["pk"], plan=self.plan)
        return Target(plan=self.plan)

    def get(self, request, *args, **kwargs):
        self._require_edit()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._require_edit()
        return super().post(request, *args, **kwargs)

    def _require_edit(self):
        if not self.can_edit:
            raise PermissionDenied(_("Only the plan's staff can edit its targets."))
        self.target = self.get_target()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.plan
        kwargs["instance"] = self.target
        return kwargs

    def form_valid(self, form):
        from django.core.exceptions import ValidationError

        try:
            with transaction.atomic():
                target_save(
                    target=form.save(commit=False),
                    user=self.request.user,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The target has been saved."))
        return redirect(self.plan.get_absolute_url() + "#targets-heading")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "plan": self.plan,
                "target": self.target,
                "history": list(
                    self.target.history.select_related("history_user").order_by("-history_date")
                )
                if self.target.pk
                else [],
            }
        )
        return context


class FigureTemplateView(LoginRequiredMixin, PlanMixin, View):
    """The Excel template for a plan and year, pre-filled (plan staff)."""

    def get(self, request, *args, **kwargs):
        year = kwargs["year"]
        self.require_staff_year(year)
        entry = selectors.plan_indicators(plan=self.plan)
        sheet = selectors.figure_sheet(plan=self.plan, year=year)
        by_indicator = {}
        for target in selectors.target_list(plan=self.plan):
            if target.indicator_id:
                by_indicator.setdefault(target.indicator_id, []).append(target)
        content = figure_template_xlsx(
            plan=self.plan,
            year=year,
            indicators=entry.inputs,
            figures=selectors.plan_figures(plan=self.plan, years=[year - 1, year]),
            targets_by_indicator=by_indicator,
            version=sheet.version if sheet else 0,
        )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="so-lieu-{self.plan.slug}-{year}.xlsx"'
        )
        return response


class FigureUploadView(LoginRequiredMixin, PlanMixin, FormView):
    """Upload a filled template: same validation as the page, all or nothing, errors per
    row."""

    form_class = FigureUploadForm
    template_name = "targets/figure_upload.html"

    def get(self, request, *args, **kwargs):
        self._check(kwargs["year"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check(kwargs["year"])
        return super().post(request, *args, **kwargs)

    def _check(self, year):
        self.require_staff_year(year)
        self.year = year

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read(WORKBOOK_LIMITS.max_bytes + 1)
        entry = selectors.plan_indicators(plan=self.plan)
        row_errors, warnings, changes = [], [], []
        try:
            result = read_figure_upload(
                data, plan=self.plan, year=self.year, indicators=entry.inputs
            )
        except UploadRefused as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        row_errors = list(result.errors)
        if not row_errors:
            try:
                figures_save(
                    plan=self.plan,
                    year=self.year,
                    values=result.values,
                    user=self.request.user,
                    version=result.version,
                    seen=None,
                    confirm_warnings=form.cleaned_data["confirm_warnings"],
                    reason=form.cleaned_data["reason"] or _("Excel upload"),
                )
            except FiguresLocked as exc:
                form.add_error(None, str(exc))
                return self.form_invalid(form)
            except FiguresStale:
                form.add_error(
                    None,
                    _(
                        "Nothing was saved: the figures were changed after this template was "
                        "downloaded. Download a fresh template and copy your values into it."
                    ),
                )
                return self.form_invalid(form)
            except FiguresInvalid as exc:
                for code, messages_ in exc.errors.items():
                    for message in messages_:
                        row_errors.append((result.rows.get(code, 0), message))
                for message in exc.general:
                    form.add_error(None, message)
                warnings = exc.warnings
        if row_errors or warnings or form.errors:
            if row_errors:
                form.add_error(None, _("Nothing was saved: the rows below have errors."))
            elif warnings:
                form.add_error(
                    None,
                    _(
                        "Nothing was saved: tick the confirmation and upload again to accept the "
                        "large changes."
                    ),
                )
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    row_errors=sorted(row_errors, key=lambda e: e[0]),
                    warnings=[(result.rows.get(w.code, 0), w.message) for w in warnings],
                    changes=changes,
                )
            )
        messages.success(
            self.request,
            _("The figures for %(year)s have been saved from the workbook.") % {"year": self.year},
        )
        return redirect("targets:figure_entry", self.plan.slug, self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"plan": self.plan, "year": self.year})
        return context
