from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, RedirectView

from accounts.mixins import RuleRequiredMixin
from accounts.permissions import can_edit_plan, can_enter_figures, is_signed_in
from common.uploads import WORKBOOK_LIMITS
from common.views import ServiceFormMixin
from plans.models import Locality, Plan
from plans.places import Place, PlaceIndex, entry_years, place_of, plan_place
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
    """A plan's figures: the place it reads this year (or a given year)."""

    def get_redirect_url(self, *args, **kwargs):
        years = figure_years(self.plan)
        year = self.year if self.year is not None else min(timezone.localdate().year, years[-1])
        return place_url("targets:figure_entry", plan_place(self.plan, year))


def place_url(name: str, place) -> str:
    """The URL of a place's page: ``…/<locality>/<year>/`` or ``…/<locality>/<year>/<area>/``
    (the ``_part`` variant of the name)."""
    if place.area is None:
        return reverse(name, args=[place.locality.code, place.year])
    return reverse(f"{name}_part", args=[place.locality.code, place.year, place.area.code])


class PlaceMixin(RuleRequiredMixin):
    """A place's figures for a year (:mod:`plans.places`): the locality, the year and
    optionally the former locality whose part is entered. Every signed-in user reads; the
    staff of the plans reading the locality's figures write (``can_enter_figures``)."""

    permission_rule = is_signed_in
    permission_denied_message = gettext_lazy(
        "Only the staff of the plans that use these figures can enter them."
    )

    def load_objects(self):
        locality = get_object_or_404(Locality, code=self.kwargs["locality"])
        area = None
        if "area" in self.kwargs:
            area = get_object_or_404(Locality, code=self.kwargs["area"])
        place = place_of(locality, self.kwargs["year"], area)
        if place is None:
            raise Http404(_("No figures are kept for this place and year."))
        self.place = place
        self.year = place.year

    def check_request(self):
        if self.year not in self.entry_years:
            raise Http404(_("No figures are kept for this year."))

    @cached_property
    def place_index(self) -> PlaceIndex:
        return PlaceIndex.of_place(self.place)

    @cached_property
    def entry_years(self) -> list[int]:
        return entry_years(self.place, index=self.place_index)

    def get_permission_object(self):
        return self.place.locality

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            place=self.place,
            year=self.year,
            entry_url=place_url("targets:figure_entry", self.place),
            template_url=place_url("targets:figure_template", self.place),
            upload_url=place_url("targets:figure_upload", self.place),
            **kwargs,
        )


class FigureEntryView(PlaceMixin, ServiceFormMixin, FormView):
    """A place's figures for a year: every signed-in user reads, the staff of the plans
    reading them edit."""

    write_permission_rule = can_enter_figures
    form_class = FigureEntryForm
    template_name = "targets/figure_entry.html"
    nothing_saved_message = gettext_lazy(
        "Nothing was saved: please correct the cells marked below."
    )

    @cached_property
    def page(self) -> pages.FigureEntryPage:
        return pages.figure_entry_page(
            place=self.place, index=self.place_index, years=self.entry_years
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicators": self.page.inputs}

    def get_initial(self):
        return pages.figure_entry_initial(self.page)

    def form_valid(self, form):
        data, inputs = form.cleaned_data, self.page.inputs
        try:
            figures_save(
                place=self.place,
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
            self.request,
            _("The figures for %(year)s of %(place)s have been saved.")
            % {"year": self.year, "place": self.place.label},
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
        page = self.page
        can_edit = can_enter_figures(self.request.user, self.place.locality)
        context.update(pages.figure_entry_rows(page, context["form"]))
        context.update(
            page=page,
            years=page.years,
            can_edit=can_edit and not page.is_final,
            is_final=page.is_final,
            sheet=page.sheet,
            history=pages.selectors.figure_history(place=self.place),
            year_links=[
                (
                    y,
                    place_url(
                        "targets:figure_entry", Place(self.place.locality, self.place.area, y)
                    ),
                )
                for y in page.entry_years
            ],
            area_links=[
                (
                    area,
                    place_url("targets:figure_entry", Place(self.place.locality, area, self.year)),
                )
                for area in page.areas
            ],
            whole_url=(
                place_url("targets:figure_entry", Place(self.place.locality, None, self.year))
                if self.place.area
                else ""
            ),
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


class FigureTemplateView(PlaceMixin, View):
    """The Excel template for a place and year, pre-filled (whoever may enter them)."""

    permission_rule = can_enter_figures

    def get(self, request, *args, **kwargs):
        content = pages.figure_template(place=self.place)
        response = HttpResponse(content, content_type=XLSX)
        name = self.place.locality.code + (f"-{self.place.area.code}" if self.place.area else "")
        filename = f"so-lieu-{name}-{self.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class FigureUploadView(PlaceMixin, FormView):
    """Upload a filled template: same validation as the page, all or nothing, errors per
    row."""

    permission_rule = can_enter_figures
    form_class = FigureUploadForm
    template_name = "targets/figure_upload.html"

    def form_valid(self, form):
        outcome = figures_upload(
            place=self.place,
            data=form.cleaned_data["file"].read(WORKBOOK_LIMITS.max_bytes + 1),
            user=self.request.user,
            confirm_warnings=form.cleaned_data["confirm_warnings"],
            reason=form.cleaned_data["reason"],
        )
        if outcome.saved:
            saved = _("The figures for %(year)s have been saved from the workbook.")
            messages.success(self.request, saved % {"year": self.year})
            return redirect(place_url("targets:figure_entry", self.place))
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
