"""Templates ask the same rules as views: ``{% may "can_edit_plan" plan as can_edit %}``."""

from django import template

from accounts.permissions import RULES

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, rule_name: str, obj=None) -> bool:
    """Whether the request's user passes the named rule of ``accounts.permissions``."""
    request = context.get("request")
    if request is None:
        return False
    return RULES[rule_name](request.user, obj)
