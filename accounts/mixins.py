"""Views declare the rule they need; this mixin is the only place it is checked."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class RuleRequiredMixin(AccessMixin):
    """Signed-in users who pass the view's rules (``accounts.permissions``).

    - ``permission_rule``: checked on every request, against ``get_permission_object()``;
    - ``write_permission_rule``: checked as well on POST (and other unsafe methods);
    - ``permission_denied_message``: the 403 page's explanation.

    Order: signed out → the login page; a method the view does not have → 405; then
    ``load_objects()`` (a missing object is a 404); then the rules (403); then
    ``check_request()`` (e.g. a year out of range, 404); then the view. ``load_objects``
    sets what the view and ``get_permission_object`` need (``self.plan``, ``self.task``…).
    The rules are plain functions stored on the class (read from the class, so they are
    not bound to the view).
    """

    permission_rule = None
    write_permission_rule = None

    def load_objects(self) -> None:
        """Set the objects named in the URL on ``self`` (override)."""

    def check_request(self) -> None:
        """Checks that need the permission first (override)."""

    def get_permission_object(self):
        return getattr(self, "plan", None)

    def rules_for(self, method: str) -> list:
        rules = [type(self).permission_rule]
        if method not in SAFE_METHODS:
            rules.append(type(self).write_permission_rule)
        return [r for r in rules if r is not None]

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active):
            return self.handle_no_permission()
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.load_objects()
        obj = self.get_permission_object()
        for rule in self.rules_for(request.method):
            if not rule(request.user, obj):
                raise PermissionDenied(self.get_permission_denied_message())
        self.check_request()
        return super().dispatch(request, *args, **kwargs)
