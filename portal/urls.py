"""The pages that put the apps together: home, a user's landing page, search, a plan and
its document's form; /favicon.ico."""

from django.urls import path

from . import plan_views, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("trang-cua-toi/", views.LandingView.as_view(), name="landing"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
    path("ke-hoach/them/", plan_views.PlanCreateView.as_view(), name="plan_create"),
    path("ke-hoach/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("ke-hoach/<slug:slug>/sua/", plan_views.PlanEditView.as_view(), name="plan_edit"),
]
