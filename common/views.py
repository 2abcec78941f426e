"""Shared view bases (NetBox's generic.ObjectListView, with django-tables2 and
django-filter): a list view only names its queryset, filterset, table and export name."""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin

from . import workbooks

MAX_PAGE_SIZE = 500


class PageSizeGuardMixin:
    """django-tables2 takes ``?per_page=`` from the URL; below 1 its paginator raised
    EmptyPage (a 500), and a huge one loads every row. Refuse both with a 400."""

    def get(self, request, *args, **kwargs):
        per_page = request.GET.get("per_page")
        if per_page is not None and not (
            per_page.isdigit() and 1 <= int(per_page) <= MAX_PAGE_SIZE
        ):
            raise BadRequest(
                _("The number of rows per page must be from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}
            )
        return super().get(request, *args, **kwargs)


class ObjectListView(PageSizeGuardMixin, ExportMixin, SingleTableMixin, FilterView):
    """Filtered, sorted, paged list with export of the filtered rows to Excel."""

    template_name = "generic/object_list.html"
    export_formats = ("xlsx",)
    # The table pages itself; a ``paginate_by`` would make the list view page the same
    # rows again, counting them a second time (0.13 s a count for a national overdue list).
    table_pagination = {"per_page": 25}
    title = ""

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    def create_export(self, export_format):
        """The filtered rows (every page) through the portal's workbook writer, not tablib:
        text that starts with "=" stays text. Columns' ``value_foo`` methods give the plain
        values and ``exclude_from_export`` columns are left out (``Table.as_values``)."""
        if export_format not in self.export_formats:
            raise Http404  # only Excel is offered; no CSV, whose cells Excel would evaluate
        table = self.get_table(**self.get_table_kwargs())
        content = workbooks.table_xlsx(
            table.as_values(exclude_columns=self.exclude_columns),
            title=self.title or table._meta.model._meta.verbose_name_plural,
        )
        response = HttpResponse(content, content_type=workbooks.CONTENT_TYPE)
        filename = self.get_export_filename(export_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        query = self.request.GET.copy()
        query.pop("page", None)
        query["_export"] = "xlsx"
        context["export_query"] = query.urlencode()
        return context


def csrf_failure(request, reason=""):
    """A stale form (usually an expired session): say so in Vietnamese, nothing saved."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)


class ServiceFormMixin:
    """A form view whose write is a service: the service's ``ValidationError`` goes onto
    the form (field errors on their fields, the rest on top) with a "nothing was saved"
    message, and the user's input is kept. A hidden field (``hidden_fields``) that does not
    validate was tampered with: a 400, not a form error."""

    hidden_fields = ("version",)
    field_aliases: dict[str, str] = {}  # a service's field name -> the form's
    nothing_saved_message = gettext_lazy(
        "Nothing was saved: please correct the fields marked below."
    )

    def form_error(self, form, exc):
        """Put ``exc`` (a ValidationError) on ``form``; returns the re-rendered page."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                name = self.field_aliases.get(field, field)
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            for error in exc.messages:
                form.add_error(None, error)
        return self.form_invalid(form)

    def form_invalid(self, form):
        if any(name in form.errors for name in self.hidden_fields):
            raise BadRequest(_("The form's hidden fields were changed."))
        if not form.non_field_errors():
            form.add_error(None, self.nothing_saved_message)
        return super().form_invalid(form)
