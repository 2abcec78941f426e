from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts.forms import AdminLoginForm, LoginForm
from plans import views as plan_views

handler400 = "kttt_portal.errors.bad_request"

admin.site.login_form = AdminLoginForm

admin.site.site_header = "Quản trị Cổng theo dõi kinh tế tập thể"
admin.site.site_title = "Quản trị KTTT"
admin.site.index_title = "Dữ liệu kế hoạch"

urlpatterns = [
    path("", plan_views.HomeView.as_view(), name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("trang-cua-toi/", plan_views.LandingView.as_view(), name="landing"),
    path("tim-kiem/", plan_views.SearchView.as_view(), name="search"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        account_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("ke-hoach/", include("plans.urls")),
    path("ke-hoach/", include("targets.urls")),
    path("nhiem-vu/", include("tasks.urls")),
    path("bao-cao/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
