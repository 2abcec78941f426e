import html

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.mixins import RuleRequiredMixin
from accounts.permissions import (
    can_consolidate,
    can_edit_plan,
    can_open_reports,
    can_reopen_year,
    can_see_agency_report,
    can_see_plan_reports,
    plans_with_reports_filter,
)
from common.formatting import vn_sort_key
from common.search import fold_vn
from common.views import ServiceFormMixin
from plans.choices import LocalityLevel, level_rank
from plans.models import Agency, Locality, Plan
from plans.years import consolidated_years, reporting_years, year_is_final
from tasks.choices import AssignmentRole

from .assembly import (
    assemble_agency_report,
    assemble_consolidated,
    assemble_plan_report,
    chain_date,
    consolidated_plans,
    generated_sections,
)
from .builds import (
    built_file_content,
    built_file_request,
    built_in_background,
    checked_by_worker,
    checked_file_request,
    consolidated_params,
    plan_params,
    queue_position,
)
from .choices import BuildStatus, BuiltFileKind
from .docx import render_agency_docx
from .forms import AnnualReportForm, ReopenForm
from .pages import finalise_locks, report_index_rows
from .pdf import render_pdf
from .services import (
    StoredReportDamaged,
    annual_report_for,
    annual_report_reopen,
    annual_report_save,
    consolidated_file,
    report_file,
)

FORMATS = ("pdf", "docx", "xlsx")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"pdf": PDF, "xlsx": XLSX, "docx": DOCX}


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


REFRESH_SECONDS = 3


def built_download(request, *, kind, fmt, params, content, filename) -> HttpResponse:
    """A file built by the worker (``reports.builds``): 200 with the file when one built
    from this very content exists (``content`` None, a choice too large to assemble in the
    request: one the worker found current lately); otherwise its build is queued (once)
    and the answer is a progress page, 202 while it waits or runs (the page reloads
    itself), 409 when the build failed (with a link to try again: ``?retry=1``).

    Templates: ``reports/builtreportfile_progress.html``. Context: built, filename,
    position (builds waiting before it), again_url, retry_url."""
    retry = "retry" in request.GET
    if content is None:  # too large to assemble here: the worker checks it
        built = checked_file_request(
            kind=kind, fmt=fmt, params=params, user=request.user, retry=retry
        )
    else:
        built = built_file_request(
            kind=kind, fmt=fmt, params=params, content=content, user=request.user, retry=retry
        )
    if built.status == BuildStatus.DONE:
        data = built_file_content(built)
        if data is not None:
            return _download(data, CONTENT_TYPES[fmt], filename)
        built.refresh_from_db()
    query = request.GET.copy()
    query.pop("retry", None)
    again = f"{request.path}?{query.urlencode()}" if query else request.path
    query["retry"] = "1"
    context = {
        "built": built,
        "filename": filename,
        "position": queue_position(built),
        "again_url": again,
        "retry_url": f"{request.path}?{query.urlencode()}",
    }
    status = 202 if built.is_pending else 409
    response = render(request, "reports/builtreportfile_progress.html", context, status=status)
    if built.is_pending:
        response["Refresh"] = f"{REFRESH_SECONDS}; url={again}"
    return response


class ReportMixin(RuleRequiredMixin):
    """Loads the plan, year and report; the plan's staff, leadership and admins only."""

    permission_rule = can_see_plan_reports
    permission_denied_message = gettext_lazy(
        "Only the plan's staff and leadership see its reports."
    )

    def load_objects(self):
        self.plan = get_object_or_404(
            Plan.objects.select_related(
                "locality", "issuing_body", "coordinating_body", "report_issuer"
            ),
            slug=self.kwargs["slug"],
        )

    def check_request(self):
        self.year = self.kwargs["year"]
        if self.year not in reporting_years(self.plan):
            raise Http404(_("No report is kept for this year."))
        self.report = annual_report_for(plan=self.plan, year=self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, year=self.year, **kwargs)


class ReportIndexView(RuleRequiredMixin, TemplateView):
    """Every plan's reports by year, with their state and downloads.

    A national portal tracks a thousand plans: the database counts the plans the user
    sees and finds their first year (the years offered), only a search reads the text of
    each (as a few values), the page's 25 are read as plans, and the consolidated report's
    issuers as names (as model instances, the thousand plans with their places and the five
    hundred issuers took 50 ms)."""

    permission_rule = can_open_reports
    permission_denied_message = ReportMixin.permission_denied_message
    template_name = "reports/report_index.html"

    def check_request(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:100]
        self.plans = Plan.objects.filter(plans_with_reports_filter(self.request.user))
        if self.query:
            every = list(
                self.plans.order_by().values_list(
                    "pk", "start_year", "search_text", "locality__name"
                )
            )
            self.count = len(every)
            self.first_year = min((start for _pk, start, *_text in every), default=None)
            self.found = _plans_found(every, fold_vn(self.query))
        else:
            seen = self.plans.aggregate(count=Count("pk"), first_year=Min("start_year"))
            self.count, self.first_year = seen["count"], seen["first_year"]
        if not self.count:
            raise PermissionDenied(self.permission_denied_message)

    paginate_by = 25

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        shown = self.plans.filter(pk__in=self.found) if self.query else self.plans
        # A page of plans at a time: a national portal tracks a thousand.
        paginator = Paginator(shown.select_related("locality").order_by("slug"), self.paginate_by)
        paginator.count = len(self.found) if self.query else self.count  # counted above
        page = paginator.get_page(self.request.GET.get("page"))
        rows = _page_rows(page.object_list, today=today)
        consolidates = can_consolidate(self.request.user)
        chosen_issuer = self.request.GET.get("issuer", "")
        place_options, issuer_options = (
            _issuer_choices(self.request.user, self.request.GET.get("place", ""), chosen_issuer)
            if consolidates
            else ("", "")
        )
        chosen_plans = self.request.GET.getlist("plan")
        # The years of the plan that starts first are those of them all.
        years = consolidated_years([Plan(start_year=self.first_year)], today=today)
        return super().get_context_data(
            rows=rows,
            rows_html=_rows_html(
                rows, user=self.request.user, consolidates=consolidates, chosen_plans=chosen_plans
            ),
            years=list(reversed(years)),
            page_obj=page,
            q=self.query,
            # What a consolidated choice sent back (ConsolidatedFormView) had chosen.
            chosen={
                "year": self.request.GET.get("year", ""),
                "issuer": chosen_issuer,
                "format": self.request.GET.get("format", ""),
                "plans": chosen_plans,
            },
            can_consolidate=consolidates,
            place_options=place_options,
            issuer_options=issuer_options,
            **kwargs,
        )


def _page_rows(plans, *, today) -> list[dict]:
    """The rows of the page's plans (``report_index_rows``), each year with its links."""
    rows, _years = report_index_rows(list(plans), today=today)
    urls = _report_urls()
    for row in rows:
        slug = row["plan"].slug
        row["years"] = [(year, report, urls(slug, year)) for year, report in row["years"]]
    return rows


def _rows_html(rows, *, user, consolidates: bool, chosen_plans: list[str]) -> str:
    """The table's ``<tr>``s: each plan's years, newest first, with the state of the year's
    report and its links (a check box to choose the plan for the consolidated report for
    those who make one, the editor's link for those who edit the plan). Written here, not
    in the template: 25 plans of six years make 150 rows, at 25 µs a row in the template's
    loop. The markup is the template's (``tests/reports/test_report_index_scale.py``)."""
    esc = html.escape
    # Each label once (and each a literal, for makemessages).
    finalised, draft, preview = esc(_("Finalised")), esc(_("Draft")), esc(_("Preview"))
    building, write = esc(_("being built")), esc(_("Write / finalise"))
    in_report = esc(_("in the consolidated report"))
    out = []
    for row in rows:
        plan, years = row["plan"], row["years"]
        head = (
            f'<th scope="rowgroup" rowspan="{len(years)}">{esc(plan.number)}<br>'
            f'<span class="muted">{esc(plan.locality.name)}</span>'
        )
        if consolidates:
            checked = " checked" if plan.slug in chosen_plans else ""
            head += (
                '<br><label class="muted"><input type="checkbox" name="plan" '
                f'value="{esc(plan.slug)}" form="consolidated-form"{checked}> {in_report}</label>'
            )
        head += "</th>"
        editor = can_edit_plan(user, plan)
        for n, (year, report, url) in enumerate(years):
            if report and report.is_final:
                on = report.finalised_at and date_format(
                    template_localtime(report.finalised_at), "d/m/Y"
                )
                state = f'<span class="status status-achieved">{finalised}</span> {esc(on or "")}'
            else:
                state = f'<span class="status status-no_data">{draft}</span>'
            url = {name: esc(value) for name, value in url.items()}
            links = (
                f'<a href="{url["preview"]}">{preview}</a> · <a href="{url["pdf"]}">PDF</a>'
                + (f' <span class="muted">({building})</span>' if year in row["building"] else "")
                + f' · <a href="{url["docx"]}">Word</a> · <a href="{url["xlsx"]}">Excel</a>'
                + (f' · <a href="{url["edit"]}">{write}</a>' if editor else "")
            )
            out.append(
                f"<tr>\n    {head if n == 0 else ''}\n    <td>{year}</td>\n    <td>{state}</td>"
                f"\n    <td>{links}</td>\n  </tr>"
            )
    return mark_safe("".join(out))  # every value escaped


_SLUG, _YEAR = "plan-slug", 99999


def _report_urls():
    """A function of a plan's slug and a year giving the URLs of that year's report:
    ``preview``, ``pdf``, ``docx``, ``xlsx``, ``edit``. Each is reversed once, its slug and
    year put in for each row: a page of 25 plans has 600 links, and at 16 µs a ``reverse``
    they took 10 ms of the page at national scale."""
    patterns = {
        "preview": reverse("reports:report_preview", args=[_SLUG, _YEAR]),
        **{fmt: reverse("reports:report_download", args=[_SLUG, _YEAR, fmt]) for fmt in FORMATS},
        "edit": reverse("reports:report_edit", args=[_SLUG, _YEAR]),
    }

    def urls(slug: str, year: int) -> dict[str, str]:
        return {
            name: url.replace(str(_YEAR), str(year)).replace(_SLUG, slug)
            for name, url in patterns.items()
        }

    return urls


def _plans_found(plans, term: str) -> list[int]:
    """The ids of the ``plans`` (rows of id, start year, ``search_text`` and place name)
    whose number, title or place contains the folded ``term``, as if folded together, a
    space apart."""
    places = {name: fold_vn(name) for name in {place for *_row, place in plans}}
    found = []
    for pk, _start, text, place in plans:
        # The stored text is the folded number and title, a line break apart.
        number_and_title = text.replace("\n", " ", 1)
        if term in f"{number_and_title} {places[place]}":
            found.append(pk)
    return found


def _id(value: str) -> int | None:
    """``value`` as a row id, or ``None`` (not a number, or past the database's integers)."""
    return int(value) if value.isascii() and value.isdigit() and int(value) < 2**31 else None


def _option(value, label: str, chosen) -> str:
    selected = " selected" if value == chosen else ""
    return f'<option value="{value}"{selected}>{html.escape(label)}</option>'


def _issuer_choices(user, place: str, issuer: str) -> tuple[str, str]:
    """The ``<option>``s of the consolidated form's places, and those of the bodies
    of that place (and of the places under it) that may issue the report, ``issuer`` (an
    id) selected: a province first, then one of its bodies. At national scale the bodies
    were five hundred in one list, 33 kB of every page, too many to find one in.

    The places are the country and the provinces, in Vietnamese order (one may have no
    such body: its list is then empty, and the page says so). The place shown is the one
    chosen, else the chosen body's, else the user's body's, else the first (the country).
    Communes' People's Committees are left out (a commune's may still issue one, by its
    URL: three thousand of them make a list unusable).

    The places above the communes are read once (fifty at national scale) and the bodies
    by their places' ids: asked for the bodies of a place or of the places under it, the
    database joined every issuing body to its place and their parents (2 ms at national
    scale, half of it planning)."""
    places = Locality.objects.exclude(level=LocalityLevel.COMMUNE).order_by()
    rows = places.values_list("pk", "name", "level", "parent_id")
    parent = {pk: up for pk, _name, _level, up in rows}

    def top(pk):
        for _step in range(len(parent)):  # a chain of parents, never a loop
            if parent.get(pk) is None:
                return pk
            pk = parent[pk]
        return pk

    tops = sorted(
        ((pk, name, level) for pk, name, level, up in rows if up is None),
        key=lambda row: (level_rank(row[2]), vn_sort_key(row[1])),
    )
    ids = [pk for pk, _name, _level in tops]
    chosen = _id(place)
    if chosen not in ids:
        body = _id(issuer) or getattr(user, "agency_id", None)
        seat = body and (
            Agency.objects.filter(pk=body).values_list("locality_id", "locality__parent_id").first()
        )
        # a commune's body: its parent's place (communes are not among ``parent``)
        found = next((top(pk) for pk in seat or () if pk in parent), None)
        chosen = found if found in ids else next(iter(ids), None)
    under = [pk for pk in parent if top(pk) == chosen]
    # In the order of their stored key: the level, then places and names in Vietnamese
    # order (the database's collation is by code point: Đắk Nông after Quảng Ngãi).
    bodies = consolidation_issuers().filter(locality__in=under)
    # Written here: the template's loop, or a widget's format_html for each, took 4 to 9 ms
    # for five hundred.
    return (
        mark_safe("".join(_option(pk, name, chosen) for pk, name, _level in tops)),
        mark_safe(  # every label escaped
            "".join(
                _option(pk, f"{name} ({where})", _id(issuer))
                for pk, name, where in bodies.values_list("pk", "name", "locality__name")
            )
        ),
    )


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
            raise Http404(_("Reports come as PDF, Word or Excel."))
        name = f"bao-cao-{self.plan.slug}-{self.year}.{kind}"
        stored = self.report.pk and self.report.is_final and kind in ("pdf", "xlsx")
        if not stored and built_in_background(BuiltFileKind.PLAN, kind):
            report = self.report if self.report.pk else None
            content = assemble_plan_report(plan=self.plan, year=self.year, report=report)
            params = plan_params(plan=self.plan, year=self.year)
            return built_download(
                request,
                kind=BuiltFileKind.PLAN,
                fmt=kind,
                params=params,
                content=content,
                filename=name,
            )
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
        return _download(content, CONTENT_TYPES[kind], name)


class AgencyReportView(ReportMixin, View):
    """A lead agency's own yearly report on its tasks of the plan, to the coordinating
    body: for the agency's users and whoever follows the plan's reporting."""

    permission_rule = can_see_agency_report
    permission_denied_message = gettext_lazy(
        "Only the agency itself and the plan's staff see an agency's report."
    )

    def load_objects(self):
        super().load_objects()
        self.agency = get_object_or_404(
            Agency.objects.select_related("locality", "parent"), pk=self.kwargs["agency"]
        )
        if (
            self.agency.is_group
            or not self.plan.tasks.filter(
                assignments__agency=self.agency, assignments__role=AssignmentRole.LEAD
            ).exists()
        ):
            raise Http404(_("This agency leads no task of the plan."))

    def get_permission_object(self):
        return (self.plan, self.agency)

    def get(self, request, *args, **kwargs):
        kind = kwargs["format"]
        if kind not in ("pdf", "docx"):
            raise Http404(_("An agency's report comes as PDF or Word."))
        content = assemble_agency_report(plan=self.plan, agency=self.agency, year=self.year)
        if kind == "pdf":
            data = render_pdf("reports/agency_report.html", {"r": content})
        else:
            data = render_agency_docx(content)
        name = f"bao-cao-{self.plan.slug}-{self.year}-don-vi-{self.agency.pk}.{kind}"
        return _download(data, CONTENT_TYPES[kind], name)


class ReportEditView(ReportMixin, ServiceFormMixin, FormView):
    """Plan staff write the year's difficulties and proposals, then finalise."""

    permission_rule = can_edit_plan
    permission_denied_message = gettext_lazy("Only the plan's staff write its report.")
    form_class = AnnualReportForm
    template_name = "reports/report_form.html"

    @cached_property
    def content(self):
        """The report as it stands: shown beside the form, and its generated texts."""
        return assemble_plan_report(plan=self.plan, year=self.year, report=self.report)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.report,
            "plan": self.plan,
            "generated": generated_sections(self.content),
        }

    def post(self, request, *args, **kwargs):
        if year_is_final(plan=self.plan, year=self.year):
            messages.error(
                request, _("This report has been finalised; an administrator can reopen it.")
            )
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        finalise = "finalise" in self.request.POST
        if "back" in self.request.POST:  # from the confirmation: the form, input kept
            return self.render_to_response(self.get_context_data(form=form))
        if finalise and "confirm" not in self.request.POST:
            locks = finalise_locks(plan=self.plan, year=self.year)
            context = self.get_context_data(form=form, locks=locks)
            return render(self.request, "reports/report_finalise.html", context)
        try:
            annual_report_save(
                plan=self.plan,
                year=self.year,
                data=form.cleaned_data,
                user=self.request.user,
                finalise=finalise,
            )
        except ValidationError as exc:
            return self.form_error(form, exc)
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
        can_reopen = can_reopen_year(self.request.user, self.plan)
        return super().get_context_data(
            report=self.report,
            can_reopen=can_reopen,
            content=self.content,
            coordinator=self.plan.coordinator_as_of(chain_date(year=self.year, report=self.report)),
            **kwargs,
        )


class ReportReopenView(ReportMixin, FormView):
    permission_rule = can_reopen_year
    permission_denied_message = gettext_lazy("Only an administrator can reopen a finalised report.")
    form_class = ReopenForm
    template_name = "reports/report_reopen.html"

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


def consolidation_choice(issuer: Agency, year: int, slugs: list[str]) -> list[Plan]:
    """The plans a consolidated report of ``issuer`` for ``year`` covers (of ``slugs`` if
    any are given), or a ValidationError saying why there is no such report."""
    plans = Plan.objects.select_related(
        "locality", "locality__parent", "issuing_body", "coordinating_body", "report_issuer"
    ).order_by("slug")
    if slugs:
        plans = plans.filter(slug__in=slugs)
    plans = consolidated_plans(issuer=issuer, year=year, plans=list(plans))
    if not plans:
        raise ValidationError(_("No plan of this body's places was chosen."))
    if year not in consolidated_years(plans):
        raise ValidationError(_("No report is kept for this year."))
    return plans


def consolidation_issuers():
    """The bodies that may issue a consolidated report (not groups, not services), from
    the country down (``Agency.list_key``)."""
    return (
        Agency.objects.filter(kind__in=CONSOLIDATING_KINDS)
        .select_related("locality")
        .order_by("list_key", "pk")
    )


CONSOLIDATING_KINDS = ["central", "ministry", "ubnd", "department", "party", "steering"]


class ConsolidatedDownloadView(RuleRequiredMixin, View):
    """The plans of a body's places for a year, issued by that body (chosen by the user:
    the coordinating department, a People's Committee, a ministry for a national view)."""

    permission_rule = can_consolidate
    permission_denied_message = gettext_lazy("The consolidated report is for leadership.")

    def get(self, request, year, format):
        if format not in FORMATS:
            raise Http404(_("Reports come as PDF, Word or Excel."))
        try:
            issuer = consolidation_issuers().get(pk=int(request.GET.get("issuer", "")))
        except (ValueError, Agency.DoesNotExist) as exc:
            raise BadRequest(_("Choose the body that issues the consolidated report.")) from exc
        try:
            plans = consolidation_choice(issuer, year, request.GET.getlist("plan"))
        except ValidationError as exc:
            raise Http404(exc.messages[0]) from exc
        name = f"bao-cao-tong-hop-{year}.{format}"
        content = (
            None  # too large to assemble here: the worker checks it (reports.builds)
            if checked_by_worker(plans)
            else assemble_consolidated(plans=plans, year=year, issuer=issuer)
        )
        if not built_in_background(BuiltFileKind.CONSOLIDATED, format):
            if content is None:
                content = assemble_consolidated(plans=plans, year=year, issuer=issuer)
            return _download(consolidated_file(content, kind=format), CONTENT_TYPES[format], name)
        params = consolidated_params(issuer=issuer, year=year, plans=plans)
        return built_download(
            request,
            kind=BuiltFileKind.CONSOLIDATED,
            fmt=format,
            params=params,
            content=content,
            filename=name,
        )


class ConsolidatedFormView(RuleRequiredMixin, View):
    """The consolidated report form posts here (works without JavaScript)."""

    permission_rule = can_consolidate
    permission_denied_message = ConsolidatedDownloadView.permission_denied_message

    def get(self, request):
        from urllib.parse import urlencode

        try:
            year = int(request.GET.get("year", ""))
            issuer = int(request.GET.get("issuer", ""))
        except ValueError as exc:
            raise BadRequest(_("Choose a year and the issuing body.")) from exc
        fmt = request.GET.get("format", "pdf")
        if fmt not in FORMATS or not 2000 <= year <= 2100:
            raise BadRequest(_("Reports come as PDF, Word or Excel, for a year of the plans."))
        slugs = request.GET.getlist("plan")
        # A choice that gives no report goes back to the form, saying why, as chosen.
        body = consolidation_issuers().filter(pk=issuer).first()
        try:
            if body is None:
                raise ValidationError(_("Choose the body that issues the consolidated report."))
            consolidation_choice(body, year, slugs)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            chosen = {"year": year, "issuer": issuer, "format": fmt, "plan": slugs}
            # and the list as it was: its search, its page (the plans ticked are on it)
            chosen |= {k: request.GET[k] for k in ("q", "page", "place") if request.GET.get(k)}
            return redirect(reverse("reports:report_index") + "?" + urlencode(chosen, doseq=True))
        url = reverse("reports:consolidated", args=[year, fmt])
        query = {"issuer": issuer, "plan": slugs}
        return redirect(url + "?" + urlencode(query, doseq=True))
