from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import User

# The permissions Django creates are stored with English names ("Can add user"): the
# choosers show them in Vietnamese, from the action and the model's own name.
ACTIONS = {
    "add": _("may add"),
    "change": _("may change"),
    "delete": _("may delete"),
    "view": _("may view"),
}


def permission_label(permission: Permission) -> str:
    """ "Kế hoạch | kế hoạch | được sửa" rather than "Kế hoạch | kế hoạch | Can change plan"."""
    action = permission.codename.split("_", 1)[0]
    model = permission.content_type.model_class()
    if model is None or action not in ACTIONS:
        return str(permission)
    original = getattr(model, "instance_type", None)  # a simple_history model
    if original is not None:
        name = gettext("history of %(model)s") % {"model": original._meta.verbose_name}
    else:
        name = model._meta.verbose_name
    return f"{model._meta.app_config.verbose_name} | {name} | {ACTIONS[action]}"


class PermissionChoicesMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, with its last sentence (written outside its catalogue) translated."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(PermissionChoicesMixin, BaseUserAdmin):
    change_password_form = PasswordChangeForm

    list_display = ["username", "get_full_name", "role", "agency", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", "agency__locality"]
    search_fields = ["username", "first_name", "last_name", "email", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["plans", "groups", "user_permissions"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["role", "agency", "plans"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ["role", "agency"]}),
    ]

    @admin.display(description=_("full name"))
    def get_full_name(self, obj):
        return obj.get_full_name()


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionChoicesMixin, BaseGroupAdmin):
    pass
