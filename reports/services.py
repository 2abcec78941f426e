"""Writing, finalising and reopening annual reports. A finalised report stores the exact
PDF and XLSX (with SHA-256) and makes the year final (:mod:`plans.years`): figures, task
reports, reviews and the report's own text are locked until an administrator reopens it."""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.years import YearIsFinal, plan_year_close, plan_year_reopen, year_ensure_open

from .assembly import assemble_plan_report
from .choices import ReportStatus
from .docx import render_consolidated_docx, render_plan_docx
from .models import AnnualReport
from .pdf import render_pdf
from .xlsx import render_consolidated_xlsx, render_plan_xlsx

logger = logging.getLogger(__name__)


class StoredReportDamaged(Exception):
    """A finalised report's stored file is missing or no longer matches its SHA-256."""

    def __init__(self, report: AnnualReport, kind: str, problem: str):
        super().__init__(f"{report.plan.slug} {report.year} {kind}: {problem}")
        self.report, self.kind, self.problem = report, kind, problem


def annual_report_for(*, plan, year) -> AnnualReport:
    report = (
        AnnualReport.objects.filter(plan=plan, year=year).select_related("reporting_body").first()
    )
    return report or AnnualReport(plan=plan, year=year)


def _stored(report: AnnualReport, kind: str) -> bytes:
    field, expected = getattr(report, kind), getattr(report, f"{kind}_sha256")
    try:
        with field.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError, OSError) as exc:
        logger.error(
            "Stored report file missing: %s %s %s (%s)", report.plan.slug, report.year, kind, exc
        )
        raise StoredReportDamaged(report, kind, "missing") from exc
    if hashlib.sha256(content).hexdigest() != expected:
        logger.error(
            "Stored report file altered: %s %s %s (SHA-256 mismatch)",
            report.plan.slug,
            report.year,
            kind,
        )
        raise StoredReportDamaged(report, kind, "altered")
    return content


def report_file(*, plan, year, report=None, kind: str) -> bytes:
    """One file of the report: for a final report the stored PDF and XLSX, checked against
    their SHA-256 (:class:`StoredReportDamaged` otherwise); the Word file (the editable
    copy, not stored) and every file of a draft, freshly rendered. A final year is locked,
    so its Word file says what the stored PDF says."""
    if report is not None and report.is_final and kind in ("pdf", "xlsx"):
        return _stored(report, kind)
    content = assemble_plan_report(plan=plan, year=year, report=report)
    return render_plan_file(content, kind=kind)


def render_plan_file(content, *, kind: str) -> bytes:
    """A plan's report (``assemble_plan_report``) as PDF, Word or Excel."""
    if kind == "pdf":
        return render_pdf("reports/plan_report.html", {"r": content})
    if kind == "docx":
        return render_plan_docx(content)
    return render_plan_xlsx(content)


def consolidated_file(content, *, kind: str) -> bytes:
    """A consolidated report (``assemble_consolidated``) as PDF, Word or Excel."""
    if kind == "pdf":
        return render_pdf("reports/consolidated_report.html", {"c": content})
    if kind == "docx":
        return render_consolidated_docx(content)
    return render_consolidated_xlsx(content)


def annual_report_save(*, plan, year, data: dict, user, finalise: bool = False) -> AnnualReport:
    """Save the parts staff write and, if asked, finalise: render and store the exact PDF
    and XLSX with their SHA-256 and make the year final. One transaction: of two
    simultaneous finalisations one wins and the other gets :class:`YearIsFinal`; files
    written by a transaction that does not commit are removed."""
    written = []
    try:
        with transaction.atomic():
            year_ensure_open(plan=plan, year=year)
            AnnualReport.objects.get_or_create(plan=plan, year=year)
            report = AnnualReport.objects.select_for_update().get(plan=plan, year=year)
            for name in AnnualReport.WRITTEN_FIELDS:
                if name in data:
                    setattr(report, name, data[name])
            report.full_clean()
            report._history_user = user
            report.save()
            if finalise:
                _finalise(report, user, written)
        return report
    except BaseException:
        for field in written:
            field.storage.delete(field.name)
        raise


def _finalise(report: AnnualReport, user, written: list) -> None:
    report.report_date = timezone.localdate()  # the final file bears the day it was finalised
    report.status = ReportStatus.FINAL
    content = assemble_plan_report(plan=report.plan, year=report.year, report=report)
    pdf = render_pdf("reports/plan_report.html", {"r": content})
    xlsx = render_plan_xlsx(content)
    name = f"bao-cao-{report.plan.slug}-{report.year}"
    report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    written.append(report.pdf)
    report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
    written.append(report.xlsx)
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
    report.finalised_at = timezone.now()
    report.finalised_by = user
    report._history_user = user
    report._change_reason = _("Finalised")
    report.save()
    plan_year_close(
        plan=report.plan,
        year=report.year,
        user=user,
        reason=_("Report %(year)s finalised") % {"year": report.year},
    )


def annual_report_finalise(*, report: AnnualReport, user) -> AnnualReport:
    """Finalise a report as it stands (the batch paths and tests)."""
    return annual_report_save(plan=report.plan, year=report.year, data={}, user=user, finalise=True)


@transaction.atomic
def annual_report_reopen(*, report: AnnualReport, user, reason: str) -> AnnualReport:
    """An administrator reopens a finalised report, giving a reason: the report, the year's
    figures and its task reports become editable together; the history keeps who, when,
    why and the names of the files that had been sent."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."))
    # The year's row first, as every writer of the year locks it (no lock-order inversion).
    plan_year_reopen(plan=report.plan, year=report.year, user=user, reason=reason)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    report.status = ReportStatus.DRAFT
    report.pdf_sha256 = report.xlsx_sha256 = ""
    report.pdf = report.xlsx = ""
    report.finalised_at = None
    report._history_user = user
    report._change_reason = reason.strip()
    report.save()
    return report


__all__ = [
    "StoredReportDamaged",
    "YearIsFinal",
    "annual_report_finalise",
    "annual_report_for",
    "annual_report_reopen",
    "annual_report_save",
    "consolidated_file",
    "render_plan_file",
    "report_file",
]
