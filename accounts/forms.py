"""Sign-in forms that bound what they pass on.

Django's AuthenticationForm gives its username field a ``max_length`` for the widget but
no validator, so any length reaches ``authenticate()`` and django-axes, which records the
failed attempt in a 255-character column (PostgreSQL: "value too long", a 500)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from .models import User

USERNAME_MAX = User._meta.get_field("username").max_length
PASSWORD_MAX = 1000


class _BoundedMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX))
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX))


class LoginForm(_BoundedMixin, AuthenticationForm):
    """The portal's sign-in form."""


class AdminLoginForm(_BoundedMixin, AdminAuthenticationForm):
    """The admin's sign-in form."""
