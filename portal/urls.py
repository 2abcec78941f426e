"""The pages that put the apps together: home, a user's landing page, search, a plan."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("trang-cua-toi/", views.LandingView.as_view(), name="landing"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("ke-hoach/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
]
