"""Account pages: the login lockout page and changing one's own password."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy


def lockout(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): too many wrong passwords.

    Templates: ``registration/lockout.html``. Context: ``minutes`` (the cool-off),
    ``failure_limit``, ``support_contact``. Status 429.
    """
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "support_contact": settings.SUPPORT_CONTACT,
    }
    return render(
        request,
        "registration/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any signed-in user changes their own password (Django's view; login required).

    Templates: ``accounts/password_change_form.html`` (not ``registration/…``, which the
    admin's own password page uses). Context: ``form``.
    """

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    """After a change. Templates: ``accounts/password_change_done.html``."""

    template_name = "accounts/password_change_done.html"
