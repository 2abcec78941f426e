from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    """How a "Thời gian hoàn thành" phrase was understood: the table in tasks/deadlines.py."""

    CONTINUOUS = "continuous", _("Continuous (Thường xuyên)")
    YEARLY = "yearly", _("Yearly (Hàng năm)")
    YEAR = "year", _("Within a year")
    YEAR_RANGE = "year_range", _("Over a range of years")
    QUARTER = "quarter", _("Within a quarter")
    HALF_YEAR = "half_year", _("Within a half-year")
    MONTH = "month", _("Within a month")
    BY_DATE = "by_date", _("By a date")
    FROM_YEAR = "from_year", _("Every year from a given year")
    QUARTERLY = "quarterly", _("Quarterly (Hằng quý)")
    HALF_YEARLY = "half_yearly", _("Every six months (Định kỳ 6 tháng)")
    NOT_STATED = "not_stated", _("Not stated")
    UNKNOWN = "unknown", _("Not understood (kept as written)")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead (chủ trì)")
    PARTNER = "partner", _("Cooperating (phối hợp)")


class ReportProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")


class Timeliness(models.TextChoices):
    """The Government Office's terms for a task's state."""

    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")
    COMPLETED_LATE = "completed_late", _("Completed late")
    WITHIN_DEADLINE = "within_deadline", _("Not completed, within the deadline")
    OVERDUE = "overdue", _("Not completed, overdue")
    NOT_YET_DUE = "not_yet_due", _("Not yet due")


# The one rule for which task reports count (completeness, a task's status, the official
# report): submitted or accepted. A draft is unfinished and a returned report has been sent
# back for revision: neither counts until the agency submits again.
COUNTED_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)


class ImportMode(models.TextChoices):
    """What importing a task table does to a plan that already has one."""

    APPEND = "append", _("Append: the table's sections after the plan's last one")
    UPDATE = "update", _("Update: rows with the same TT in the same section are overwritten")
    REPLACE = "replace", _("Replace the plan's table: its current tasks leave it")
