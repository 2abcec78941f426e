"""Writes for tasks."""

from .deadlines import parse_deadline
from .models import Task


def task_apply_deadline(*, task: Task) -> None:
    """Fill the structured deadline fields of ``task`` from its written phrase (no save)."""
    deadline = parse_deadline(task.deadline_text)
    task.deadline_text = deadline.text
    task.deadline_kind = deadline.kind
    task.deadline_year_from = deadline.year_from
    task.deadline_year_to = deadline.year_to
    task.deadline_quarter = deadline.quarter
    task.deadline_due_day = deadline.due_day
    task.deadline_due_month = deadline.due_month
