"""What the database holds, in one place: text lengths that keep a report fast, and the
bounds of the numbers. Forms, uploads, imports and the admin check against these; the
database enforces them too (check constraints), so no path can store more."""

from decimal import Decimal

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A note, a comment, a remark beside a value.
NOTE = 2000
# A paragraph: a task description, what was done, a report's difficulties or proposals,
# a passage quoted from a document. A report paragraph rarely passes 2 000 characters.
PARAGRAPH = 5000
# A section of a report that sums up many paragraphs (the results of every task group).
SECTION = 20000

# Figures are NUMERIC(14, 2); targets NUMERIC(12, 2).
FIGURE_MAX = Decimal("999999999999.99")
TARGET_MAX = Decimal("9999999999.99")
DECIMAL_PLACES = 2


def length_constraints(prefix: str, **limits: int) -> list[models.CheckConstraint]:
    """One check constraint per text field: ``length(field) <= limit``."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(name), limit),
            name=f"{prefix}_{name}_length",
            violation_error_message=format_lazy(
                _("This text is longer than {limit} characters."), limit=limit
            ),
        )
        for name, limit in limits.items()
    ]


def too_long(model, **values: str) -> dict[str, str]:
    """Fields of ``values`` longer than the model field's ``max_length``, with a Vietnamese
    message naming the field and the limit (for paths that bypass a form: uploads,
    imports)."""
    problems = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.max_length and value and len(value) > field.max_length:
            problems[name] = gettext(
                "“%(field)s” has %(length)s characters; at most %(limit)s are allowed."
            ) % {"field": field.verbose_name, "length": len(value), "limit": field.max_length}
    return problems
