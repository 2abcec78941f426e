"""The 400 page: a tampered or malformed request is told what was wrong, in Vietnamese."""

from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render
from django.utils.translation import gettext as _


def bad_request(request, exception=None):
    """Our own refusals (``BadRequest``) carry a message written for the user; Django's
    (a body too large, too many fields, a bad host…) get one here."""
    if isinstance(exception, BadRequest) and exception.args:
        message = str(exception.args[0])
    elif isinstance(exception, RequestDataTooBig):
        message = _("The form sent is far larger than the portal accepts: nothing was saved.")
    elif isinstance(exception, TooManyFieldsSent):
        message = _("The form sent has far more fields than the page has: nothing was saved.")
    else:
        message = ""
    return render(request, "400.html", {"message": message}, status=400)
