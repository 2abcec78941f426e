"""Shared view bases (NetBox's generic.ObjectListView, with django-tables2 and
django-filter): a list view only names its queryset, filterset, table and export name."""

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin


class ObjectListView(ExportMixin, SingleTableMixin, FilterView):
    """Filtered, sorted, paged list with export of the filtered rows to Excel."""

    template_name = "generic/object_list.html"
    export_formats = ("xlsx",)
    paginate_by = 25
    title = ""

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

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
