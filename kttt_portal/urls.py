from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts.forms import AdminLoginForm, LoginForm

handler400 = "common.errors.bad_request"

admin.site.login_form = AdminLoginForm

admin.site.site_header = "Quản trị Cổng theo dõi kinh tế tập thể"
admin.site.site_title = "Quản trị KTTT"
admin.site.index_title = "Dữ liệu kế hoạch"

urlpatterns = [
    path("", include("portal.urls")),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "doi-mat-khau/xong/",
        account_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("targets.urls")),
    path("nhiem-vu/", include("tasks.urls")),
    path("bao-cao/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
