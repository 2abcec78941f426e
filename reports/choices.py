from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Finalised")


class BuiltFileKind(models.TextChoices):
    PLAN = "plan", _("Plan report")
    CONSOLIDATED = "consolidated", _("Consolidated report")


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class BuildStep(models.TextChoices):
    WAITING = "waiting", _("Waiting for the worker")
    GATHERING = "gathering", _("Gathering the data")
    RENDERING = "rendering", _("Laying out the file")
    READY = "ready", _("Ready")
