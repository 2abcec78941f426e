"""Form fields shared by the apps."""

import re

from django import forms
from django.core.exceptions import ValidationError

_ID = re.compile(r"^\d{1,18}$")


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses a malformed id before querying.

    Django's own field hands every value to an ``id IN (…)`` query: an id beyond the
    database's integer range or not a number at all there raises OverflowError or
    ValueError (a 500) instead of a form error.
    """

    def _check_values(self, value):
        for pk in value:
            if not _ID.match(str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
