from django.urls import path

from . import views

app_name = "targets"

PLACE = "so-lieu/<slug:locality>/<int:year>/"
PART = PLACE + "phan/<slug:area>/"

urlpatterns = [
    # A plan's figures: the place it reads that year (plans.places).
    path(
        "ke-hoach/<slug:slug>/so-lieu/",
        views.FigureYearRedirectView.as_view(),
        name="figure_current",
    ),
    path(
        "ke-hoach/<slug:slug>/so-lieu/<int:year>/",
        views.FigureYearRedirectView.as_view(),
        name="plan_figures",
    ),
    # A place's figures: a locality, or a former locality's part of its successor's.
    path(PLACE, views.FigureEntryView.as_view(), name="figure_entry"),
    path(PART, views.FigureEntryView.as_view(), name="figure_entry_part"),
    path(PLACE + "mau.xlsx", views.FigureTemplateView.as_view(), name="figure_template"),
    path(PART + "mau.xlsx", views.FigureTemplateView.as_view(), name="figure_template_part"),
    path(PLACE + "tai-len/", views.FigureUploadView.as_view(), name="figure_upload"),
    path(PART + "tai-len/", views.FigureUploadView.as_view(), name="figure_upload_part"),
    path("ke-hoach/<slug:slug>/chi-tieu/them/", views.TargetEditView.as_view(), name="target_add"),
    path(
        "ke-hoach/<slug:slug>/chi-tieu/<int:pk>/sua/",
        views.TargetEditView.as_view(),
        name="target_edit",
    ),
]
