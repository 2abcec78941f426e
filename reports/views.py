from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.permissions import can_edit_plan, can_see_plan_reports, is_admin
from plans.models import Plan
from plans.years import year_is_final

from .assembly import assemble_consolidated, assemble_plan_report
from .forms import AnnualReportForm, ReopenForm
from .models import AnnualReport
from .pdf import render_pdf
from .services import (
    StoredReportDamaged,
    annual_report_for,
    annual_report_reopen,
    annual_report_save,
    report_file,
)
from .xlsx import render_consolidated_xlsx

FORMATS = ("pdf", "xlsx")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _report_years(plan) -> range:
    return range(plan.start_year, timezone.localdate().year + 1)


class ReportMixin(LoginRequiredMixin):
    """Loads the plan and year; the plan's staff, leadership and admins only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = get_object_or_404(
            Plan.objects.select_related("locality", "issuing_body", "reports_to"),
            slug=kwargs["slug"],
        )
        if not can_see_plan_reports(request.user, self.plan):
            raise PermissionDenied(_("Only the plan's staff and leadership see its reports."))
        self.year = kwargs["year"]
        if self.year not in _report_years(self.plan):
            raise Http404(_("No report is kept for this year."))
        self.report = annual_report_for(plan=self.plan, year=self.year)
        return super().dispatch(request, *args, **kwargs)


class ReportIndexView(LoginRequiredMixin, TemplateView):
    """Every plan's reports by year, with their state and downloads."""

    template_name = "reports/report_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        plans = [
            p
            for p in Plan.objects.select_related("locality").order_by("slug")
            if can_see_plan_reports(user, p)
        ]
        if not plans:
            raise PermissionDenied(_("Only the plan's staff and leadership see its reports."))
        stored = {(r.plan_id, r.year): r for r in AnnualReport.objects.filter(plan__in=plans)}
        this_year = timezone.localdate().year
        rows = [
            {
                "plan": p,
                "years": [
                    (y, stored.get((p.pk, y))) for y in reversed(range(p.start_year, this_year + 1))
                ],
            }
            for p in plans
        ]
        context.update(
            {
                "rows": rows,
                "years": list(range(min(p.start_year for p in plans), this_year + 1))[::-1],
                "plans": plans,
                "can_consolidate": user.role in ("leadership", "admin") or user.is_superuser,
            }
        )
        return context


class ReportPreviewView(ReportMixin, View):
    """The report as a web page (the same template as the PDF)."""

    def get(self, request, *args, **kwargs):
        from django.template.loader import render_to_string
        from django.templatetags.static import static

        content = assemble_plan_report(plan=self.plan, year=self.year, report=self.report)
        html = render_to_string(
            "reports/plan_report.html",
            {"r": content, "static_prefix": static("")},
            request=request,
        )
        return HttpResponse(html)


class ReportDownloadView(ReportMixin, View):
    def get(self, request, *args, **kwargs):
        kind = kwargs["format"]
        if kind not in FORMATS:
            raise Http404(_("Reports come as PDF or XLSX."))
        try:
            content = report_file(
                plan=self.plan,
                year=self.year,
                report=self.report if self.report.pk else None,
                kind=kind,
            )
        except StoredReportDamaged as exc:
            return render(
                request,
                "reports/report_damaged.html",
                {"plan": self.plan, "year": self.year, "problem": exc.problem, "kind": kind},
                status=409,
            )
        name = f"bao-cao-{self.plan.slug}-{self.year}.{kind}"
        return _download(content, PDF if kind == "pdf" else XLSX, name)


class ReportEditView(ReportMixin, FormView):
    """Plan staff write the year's difficulties and proposals, then finalise."""

    form_class = AnnualReportForm
    template_name = "reports/report_form.html"

    def get_form_kwargs(self):
        if not can_edit_plan(self.request.user, self.plan):
            raise PermissionDenied(_("Only the plan's staff write its report."))
        kwargs = super().get_form_kwargs()
        kwargs.update({"instance": self.report, "plan": self.plan})
        return kwargs

    def post(self, request, *args, **kwargs):
        if year_is_final(plan=self.plan, year=self.year):
            messages.error(
                request, _("This report has been finalised; an administrator can reopen it.")
            )
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        finalise = "finalise" in self.request.POST
        try:
            annual_report_save(
                plan=self.plan,
                year=self.year,
                data=form.cleaned_data,
                user=self.request.user,
                finalise=finalise,
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        if finalise:
            messages.success(
                self.request,
                _(
                    "The report has been finalised; the figures "
                    "and task reports of the year are locked."
                ),
            )
        else:
            messages.success(self.request, _("The report has been saved."))
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "plan": self.plan,
                "year": self.year,
                "report": self.report,
                "can_reopen": is_admin(self.request.user),
            }
        )
        return context


class ReportReopenView(ReportMixin, FormView):
    form_class = ReopenForm
    template_name = "reports/report_reopen.html"

    def get_form_kwargs(self):
        if not is_admin(self.request.user):
            raise PermissionDenied(_("Only an administrator can reopen a finalised report."))
        return super().get_form_kwargs()

    def form_valid(self, form):
        if not self.report.pk or not self.report.is_final:
            messages.error(self.request, _("This report is not finalised."))
            return redirect("reports:report_edit", self.plan.slug, self.year)
        try:
            annual_report_reopen(
                report=self.report, user=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        else:
            messages.success(self.request, _("The report has been reopened."))
        return redirect("reports:report_edit", self.plan.slug, self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"plan": self.plan, "year": self.year})
        return context


class ConsolidatedDownloadView(LoginRequiredMixin, View):
    """All (or the chosen) plans for a year, for leadership."""

    def get(self, request, year, format):
        user = request.user
        if format not in FORMATS:
            raise Http404(_("Reports come as PDF or XLSX."))
        if not (user.role in ("leadership", "admin") or user.is_superuser):
            raise PermissionDenied(_("The consolidated report is for leadership."))
        slugs = request.GET.getlist("plan")
        plans = Plan.objects.select_related("locality", "issuing_body", "reports_to").order_by(
            "slug"
        )
        if slugs:
            plans = plans.filter(slug__in=slugs)
        plans = list(plans)
        if not plans:
            raise Http404(_("No plan chosen."))
        if not min(p.start_year for p in plans) <= year <= timezone.localdate().year:
            raise Http404(_("No report is kept for this year."))
        content = assemble_consolidated(plans=plans, year=year)
        name = f"bao-cao-tong-hop-{year}"
        if format == "pdf":
            return _download(
                render_pdf("reports/consolidated_report.html", {"c": content}), PDF, f"{name}.pdf"
            )
        return _download(render_consolidated_xlsx(content), XLSX, f"{name}.xlsx")


class ConsolidatedFormView(LoginRequiredMixin, View):
    """The consolidated report form posts here (works without JavaScript)."""

    def get(self, request):
        from urllib.parse import urlencode

        try:
            year = int(request.GET.get("year", ""))
        except ValueError as exc:
            raise BadRequest(_("Choose a year.")) from exc
        fmt = request.GET.get("format", "pdf")
        if fmt not in FORMATS or not 2000 <= year <= 2100:
            raise BadRequest(_("Reports come as PDF or XLSX, for a year of the plans."))
        url = reverse("reports:consolidated", args=[year, fmt])
        plans = request.GET.getlist("plan")
        return redirect(url + (("?" + urlencode({"plan": plans}, doseq=True)) if plans else ""))
