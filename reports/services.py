"""Finalising and reopening annual reports. A finalised report stores the exact PDF and
XLSX (with SHA-256) and locks the year's figures and task reports."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from targets.services import figure_sheet_set_lock

from .assembly import assemble_plan_report
from .choices import ReportStatus
from .models import AnnualReport
from .pdf import render_pdf
from .xlsx import render_plan_xlsx


def annual_report_for(*, plan, year) -> AnnualReport:
    report = (
        AnnualReport.objects.filter(plan=plan, year=year).select_related("reporting_body").first()
    )
    return report or AnnualReport(plan=plan, year=year)


def report_files(*, plan, year, report=None) -> tuple[bytes, bytes]:
    """Render the report (stored files for a final report, fresh ones for a draft)."""
    if report is not None and report.is_final:
        with report.pdf.open("rb") as pdf, report.xlsx.open("rb") as xlsx:
            return pdf.read(), xlsx.read()
    content = assemble_plan_report(plan=plan, year=year, report=report)
    return render_pdf("reports/plan_report.html", {"r": content}), render_plan_xlsx(content)


@transaction.atomic
def annual_report_finalise(*, report: AnnualReport, user) -> AnnualReport:
    if report.pk:
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.is_final:
        raise ValidationError(_("This report has already been finalised."))
    report.report_date = report.report_date or timezone.localdate()
    report.status = ReportStatus.FINAL
    content = assemble_plan_report(plan=report.plan, year=report.year, report=report)
    pdf = render_pdf("reports/plan_report.html", {"r": content})
    xlsx = render_plan_xlsx(content)
    name = f"bao-cao-{report.plan.slug}-{report.year}"
    report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
    report.finalised_at = timezone.now()
    report.finalised_by = user
    report._history_user = user
    report._change_reason = _("Finalised")
    report.save()
    figure_sheet_set_lock(
        plan=report.plan,
        year=report.year,
        locked=True,
        user=user,
        reason=_("Report %(year)s finalised") % {"year": report.year},
    )
    return report


@transaction.atomic
def annual_report_reopen(*, report: AnnualReport, user, reason: str) -> AnnualReport:
    """An administrator reopens a finalised report; the figures and task reports of the
    year become editable again. The stored files are kept in the history."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."))
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    report.status = ReportStatus.DRAFT
    report.pdf_sha256 = report.xlsx_sha256 = ""
    report.pdf = report.xlsx = ""
    report.finalised_at = None
    report._history_user = user
    report._change_reason = reason
    report.save()
    figure_sheet_set_lock(
        plan=report.plan, year=report.year, locked=False, user=user, reason=reason
    )
    return report


def year_is_final(*, plan, year) -> bool:
    return AnnualReport.objects.filter(plan=plan, year=year, status=ReportStatus.FINAL).exists()
