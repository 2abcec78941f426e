from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("<slug:slug>/so-lieu/", views.FigureYearRedirectView.as_view(), name="figure_current"),
    path("<slug:slug>/so-lieu/<int:year>/", views.FigureEntryView.as_view(), name="figure_entry"),
    path(
        "<slug:slug>/so-lieu/<int:year>/mau.xlsx",
        views.FigureTemplateView.as_view(),
        name="figure_template",
    ),
    path(
        "<slug:slug>/so-lieu/<int:year>/tai-len/",
        views.FigureUploadView.as_view(),
        name="figure_upload",
    ),
    path("<slug:slug>/chi-tieu/them/", views.TargetEditView.as_view(), name="target_add"),
    path("<slug:slug>/chi-tieu/<int:pk>/sua/", views.TargetEditView.as_view(), name="target_edit"),
]
