from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import limits
from plans.models import Agency, Plan

from .choices import BuildStatus, BuildStep, BuiltFileKind, ReportStatus


def report_path(instance, filename):
    return f"reports/{instance.plan.slug}/{instance.year}/{filename}"


class AnnualReport(models.Model):
    """A plan's yearly progress report: the parts staff write, and once finalised the exact
    PDF and XLSX sent, with their SHA-256."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reporting_body = models.ForeignKey(
        Agency,
        verbose_name=_("reporting body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the plan's issuing body (or its successor)."),
    )
    number_suffix = models.CharField(
        _("number suffix"), max_length=40, blank=True, help_text=_('E.g. "BC-UBND".')
    )
    number = models.CharField(
        _("number"),
        max_length=20,
        blank=True,
        help_text=_("The number the office gives the report when it is issued; empty on a draft."),
    )
    addressees = models.TextField(
        _("addressed to"),
        blank=True,
        max_length=limits.NOTE,
        help_text=_("“Kính gửi”, one body per line. Empty: the plan's addressees."),
    )
    # The outline (see reports.outline): each section's text as staff keep it for the
    # year; empty means the text generated from the data.
    leadership = models.TextField(
        _("leadership and direction"), blank=True, max_length=limits.PARAGRAPH
    )
    targets_text = models.TextField(
        _("results against the targets"), blank=True, max_length=limits.PARAGRAPH
    )
    tasks_text = models.TextField(_("results of the tasks"), blank=True, max_length=limits.SECTION)
    assessment = models.TextField(_("results achieved"), blank=True, max_length=limits.PARAGRAPH)
    difficulties = models.TextField(
        _("shortcomings and their causes"), blank=True, max_length=limits.PARAGRAPH
    )
    next_year = models.TextField(
        _("direction and tasks for next year"), blank=True, max_length=limits.PARAGRAPH
    )
    proposals = models.TextField(_("proposals"), blank=True, max_length=limits.PARAGRAPH)
    sign_authority = models.CharField(_("signing on behalf of"), max_length=120, blank=True)
    sign_deputy = models.CharField(_("signing for"), max_length=120, blank=True)
    sign_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    extra_recipients = models.TextField(
        _("other recipients"),
        blank=True,
        max_length=limits.NOTE,
        help_text=_("One per line, for “Nơi nhận”."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    report_date = models.DateField(_("report date"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_path, blank=True)
    xlsx = models.FileField(_("Excel"), upload_to=report_path, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx_sha256 = models.CharField(_("Excel SHA-256"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    # What the plan's staff write (the form and the save service share the list).
    WRITTEN_FIELDS = [
        "reporting_body",
        "number",
        "number_suffix",
        "addressees",
        "leadership",
        "targets_text",
        "tasks_text",
        "assessment",
        "difficulties",
        "next_year",
        "proposals",
        "sign_authority",
        "sign_deputy",
        "sign_title",
        "signer_name",
        "extra_recipients",
    ]

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["plan", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="annualreport_unique_year"),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | ~models.Q(pdf_sha256="") & ~models.Q(xlsx_sha256=""),
                name="annualreport_final_has_files",
            ),
            *limits.length_constraints(
                "annualreport",
                addressees=limits.NOTE,
                leadership=limits.PARAGRAPH,
                targets_text=limits.PARAGRAPH,
                tasks_text=limits.SECTION,
                assessment=limits.PARAGRAPH,
                difficulties=limits.PARAGRAPH,
                next_year=limits.PARAGRAPH,
                proposals=limits.PARAGRAPH,
                extra_recipients=limits.NOTE,
            ),
        ]

    def __str__(self):
        return f"{self.plan.number} – {self.year}"

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL


def built_file_path(instance, filename):
    return f"reports/built/{instance.kind}/{instance.fingerprint[:2]}/{filename}"


class BuiltReportFile(models.Model):
    """A report file built by the background worker (``reports.builds``), kept while the
    data it was built from is unchanged: its ``fingerprint`` is the SHA-256 of that data
    and of the renderer, so a download whose data has changed asks for a new build."""

    kind = models.CharField(_("kind"), max_length=16, choices=BuiltFileKind.choices)
    format = models.CharField(_("format"), max_length=4)
    key = models.CharField(
        _("key"),
        max_length=64,
        db_index=True,
        help_text=_("SHA-256 of what was asked for (kind, format, plan or selection, year)."),
    )
    params = models.JSONField(_("parameters"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    step = models.CharField(
        _("step"), max_length=10, choices=BuildStep.choices, default=BuildStep.WAITING
    )
    file = models.FileField(_("file"), upload_to=built_file_path, blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    task_id = models.CharField(_("worker task"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    checked_at = models.DateTimeField(
        _("checked at"),
        null=True,
        blank=True,
        help_text=_("When the worker last found the file still matches its data."),
    )

    class Meta:
        verbose_name = _("built report file")
        verbose_name_plural = _("built report files")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=BuiltFileKind.values), name="builtreportfile_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=BuildStatus.values), name="builtreportfile_status"
            ),
            models.CheckConstraint(
                condition=models.Q(step__in=BuildStep.values), name="builtreportfile_step"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(file="") & ~models.Q(sha256=""),
                name="builtreportfile_done_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} {self.format} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING)
