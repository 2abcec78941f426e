from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="report_index"),
    path("tong-hop/", views.ConsolidatedFormView.as_view(), name="consolidated_form"),
    path(
        "tong-hop/<int:year>.<str:format>",
        views.ConsolidatedDownloadView.as_view(),
        name="consolidated",
    ),
    path("<slug:slug>/<int:year>/", views.ReportEditView.as_view(), name="report_edit"),
    path("<slug:slug>/<int:year>/xem/", views.ReportPreviewView.as_view(), name="report_preview"),
    path("<slug:slug>/<int:year>/mo-lai/", views.ReportReopenView.as_view(), name="report_reopen"),
    path(
        "<slug:slug>/<int:year>/don-vi/<int:agency>.<str:format>",
        views.AgencyReportView.as_view(),
        name="agency_report",
    ),
    path(
        "<slug:slug>/<int:year>/bao-cao.<str:format>",
        views.ReportDownloadView.as_view(),
        name="report_download",
    ),
]
