"""python manage.py build_report --plan dak-nong --year 2025 --format pdf --output report.pdf

``--plan all --issuer ID`` builds the consolidated report of the places of the body ``ID``.
Exit status 2 for an unknown plan or year.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import Agency, Plan
from plans.years import consolidated_years, reporting_years
from reports.assembly import assemble_consolidated, consolidated_plans
from reports.services import (
    StoredReportDamaged,
    annual_report_for,
    consolidated_file,
    report_file,
)


class Command(BaseCommand):
    help = "Build a plan's annual report (or the consolidated one) as PDF or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="a plan's slug, or 'all'")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["pdf", "docx", "xlsx"], default="pdf")
        parser.add_argument(
            "--issuer", type=int, help="with --plan all: the id of the body that issues it"
        )
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, plan, year, format, output, issuer=None, **options):
        if plan == "all":
            body = Agency.objects.filter(pk=issuer).first() if issuer else None
            if body is None:
                raise CommandError(
                    "Give --issuer: the id of the body that issues it.", returncode=2
                )
            plans = consolidated_plans(
                issuer=body,
                year=year,
                plans=list(
                    Plan.objects.select_related("locality", "issuing_body").order_by("slug")
                ),
            )
            if not plans or year not in consolidated_years(plans):
                raise CommandError(f"No report for year {year}.", returncode=2)
            content = assemble_consolidated(plans=plans, year=year, issuer=body)
            data = consolidated_file(content, kind=format)
        else:
            found = Plan.objects.filter(slug=plan).first()
            if found is None:
                known = ", ".join(Plan.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"Unknown plan {plan!r}. Known: {known}, all.", returncode=2)
            years = reporting_years(found)
            if year not in years:
                raise CommandError(
                    f"No report for {plan} in {year}: years {years[0]}–{years[-1]}.",
                    returncode=2,
                )
            report = annual_report_for(plan=found, year=year)
            try:
                data = report_file(
                    plan=found, year=year, report=report if report.pk else None, kind=format
                )
            except StoredReportDamaged as exc:
                raise CommandError(
                    f"The stored {format} of the final report {plan} {year} is {exc.problem}: "
                    "restore it from a backup, or reopen and finalise the report again.",
                    returncode=1,
                ) from exc
        output.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{output} ({len(data):,} bytes)"))
