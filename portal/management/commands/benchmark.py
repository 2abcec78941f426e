"""Measure the main pages' query count and server time with the seeded data and with the
data grown a hundredfold. Everything it creates is rolled back.

    python manage.py benchmark                 # 5 plans, then 500 plans
    python manage.py benchmark --plans 5 500 --runs 20
"""

import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from plans.models import Plan
from targets.models import Figure, FigureSheet, Target


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Query counts and server times of the main pages at 1× and 100× data."

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, nargs="+", default=[5, 500])
        parser.add_argument("--runs", type=int, default=10)

    def handle(self, *args, plans, runs, **options):
        if not Plan.objects.filter(slug="dak-nong").exists():
            self.stderr.write("Seed the plans first: python manage.py seed_plans")
            return
        try:
            with transaction.atomic(), override_settings(ALLOWED_HOSTS=["testserver"]):
                self._run(plans, runs)
                raise Rollback
        except Rollback:
            pass

    def _run(self, sizes, runs):
        dak_nong = Plan.objects.get(slug="dak-nong")
        staff = User.objects.create_user("bench-staff", role="admin", is_superuser=True)
        staff.plans.add(dak_nong)
        self._figures(dak_nong)
        from plans.models import Agency
        from tasks.models import Task

        client = Client()
        client.force_login(staff)
        alliance = Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh")
        agency_user = User.objects.create_user("bench-agency", role="agency", agency=alliance)
        agency_client = Client()
        agency_client.force_login(agency_user)
        pages = {
            "home": (client, "/"),
            "plan page (dak-nong)": (client, dak_nong.get_absolute_url()),
            "figure entry (dak-nong 2024)": (client, "/so-lieu/dak-nong/2024/"),
            "figure entry (lam-dong 2025, part dak-nong)": (
                client,
                "/so-lieu/lam-dong/2025/phan/dak-nong/",
            ),
            "figure template xlsx": (client, "/so-lieu/lam-dong/2025/phan/dak-nong/mau.xlsx"),
            "task list (all tasks)": (client, "/nhiem-vu/"),
            "task list, text + status filter": (
                client,
                "/nhiem-vu/?q=h%E1%BB%A3p+t%C3%A1c&status=open",
            ),
            "task list, overdue, page 2": (client, "/nhiem-vu/?status=overdue&page=2"),
            "my tasks (Liên minh HTX)": (agency_client, "/nhiem-vu/cua-toi/"),
            "completeness (dak-nong 2025)": (
                client,
                "/nhiem-vu/ke-hoach/dak-nong/tinh-hinh-bao-cao/2025/",
            ),
        }
        self.stdout.write(f"database: {connection.vendor}; median of {runs} runs")
        self._reports(min(runs, 3))
        for size in sorted(sizes):
            self._grow_to(size, dak_nong)
            self.stdout.write(
                f"\n== {Plan.objects.count()} plans, "
                f"{Target.objects.count()} targets, "
                f"{Figure.objects.count()} figures, "
                f"{Task.objects.count()} tasks"
            )
            for name, (page_client, url) in pages.items():
                if "page=2" in url and Task.objects.count() < 200:
                    continue
                page_client.get(url)  # warm up
                times, queries = [], 0
                for _ in range(runs):
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        response = page_client.get(url)
                        times.append(time.perf_counter() - start)
                    queries = len(ctx.captured_queries)
                    assert response.status_code == 200, (url, response.status_code)
                self.stdout.write(
                    f"  {name:34} {queries:3d} queries  {statistics.median(times) * 1000:7.1f} ms"
                )

    def _reports(self, runs):
        """Report generation (assemble + render) with the seeded plans, and the portal's
        share of a PDF's time: assembling the tree and the HTML, apart from WeasyPrint's
        own layout and drawing."""
        from django.template.loader import render_to_string
        from weasyprint import HTML

        from plans.models import Agency
        from reports.assembly import (
            assemble_agency_report,
            assemble_consolidated,
            assemble_plan_report,
        )
        from reports.docx import (
            render_agency_docx,
            render_consolidated_docx,
            render_plan_docx,
        )
        from reports.pdf import STATIC_PREFIX, StaticOnlyFetcher, render_pdf
        from reports.xlsx import render_consolidated_xlsx, render_plan_xlsx

        plans = list(Plan.objects.select_related("locality", "issuing_body").order_by("slug"))
        plan = Plan.objects.get(slug="dak-nong")
        issuer = Agency.objects.filter(kind="central").first() or plan.issuing_body
        lead = plan.tasks.filter(assignments__role="lead").first().lead_agencies[0]

        def plan_tree():
            return assemble_plan_report(plan=plan, year=2025)

        def consolidated_tree():
            return assemble_consolidated(plans=plans, year=2025, issuer=issuer)

        jobs = {
            "report tree (dak-nong 2025)": plan_tree,
            "report PDF (dak-nong 2025)": lambda: render_pdf(
                "reports/plan_report.html", {"r": plan_tree()}
            ),
            "report DOCX (dak-nong 2025)": lambda: render_plan_docx(plan_tree()),
            "report XLSX (dak-nong 2025)": lambda: render_plan_xlsx(plan_tree()),
            "agency report DOCX (dak-nong 2025)": lambda: render_agency_docx(
                assemble_agency_report(plan=plan, agency=lead, year=2025)
            ),
            "consolidated PDF (5 plans 2025)": lambda: render_pdf(
                "reports/consolidated_report.html", {"c": consolidated_tree()}
            ),
            "consolidated DOCX (5 plans 2025)": lambda: render_consolidated_docx(
                consolidated_tree()
            ),
            "consolidated XLSX (5 plans 2025)": lambda: render_consolidated_xlsx(
                consolidated_tree()
            ),
        }
        jobs["report PDF (dak-nong 2025)"]()  # warm up fonts
        for name, job in jobs.items():
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                job()
                times.append(time.perf_counter() - start)
            self.stdout.write(f"  {name:34} {statistics.median(times):7.2f} s")
        portal, layout = [], []
        for _ in range(runs):
            start = time.perf_counter()
            html = render_to_string(
                "reports/plan_report.html", {"r": plan_tree(), "static_prefix": STATIC_PREFIX}
            )
            middle = time.perf_counter()
            HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticOnlyFetcher()).write_pdf()
            portal.append(middle - start)
            layout.append(time.perf_counter() - middle)
        ours, theirs = statistics.median(portal), statistics.median(layout)
        self.stdout.write(
            f"  PDF (dak-nong 2025): portal {ours:.2f} s (tree + HTML), WeasyPrint {theirs:.2f} s:"
            f" the portal's share {ours / (ours + theirs) * 100:.1f} %"
        )

    def _figures(self, plan):
        from plans.places import plan_place
        from targets.selectors import plan_indicators

        inputs = plan_indicators(plan=plan).inputs
        for year in (2023, 2024, 2025):
            place = plan_place(plan, year)
            where = {"locality": place.locality, "area": place.area, "year": year}
            FigureSheet.objects.get_or_create(**where)
            for n, indicator in enumerate(inputs):
                Figure.objects.update_or_create(
                    indicator=indicator,
                    **where,
                    defaults={"value": Decimal(10 + n + year % 10)},
                )

    def _grow_to(self, size, template):
        """Clone Đắk Nông (targets, tasks, three years of figures) until ``size`` plans."""
        from tasks.models import Task, TaskAssignment, TaskSection

        targets = list(template.targets.all())
        sections = list(template.task_sections.all())
        tasks = list(template.tasks.prefetch_related("assignments"))
        from plans.models import Locality
        from targets.selectors import plan_figures

        figures = list(plan_figures(plan=template).values())
        count = Plan.objects.count()
        while count < size:
            count += 1
            plan = Plan.objects.get(pk=template.pk)
            plan.pk = None
            plan.slug = f"bench-{count}"
            plan.number = f"{count}/KH-BENCH"
            # Each clone is the plan of a place of its own: figures belong to places.
            plan.locality = Locality.objects.create(
                code=f"bench-{count}", name=f"Bench {count}", level="province"
            )
            plan.save()
            mapping = {}
            for target in sorted(targets, key=lambda t: t.parent_id is not None):
                old = target.pk
                clone = Target.objects.get(pk=old)
                clone.pk = None
                clone.plan = plan
                clone.parent_id = mapping.get(clone.parent_id)
                clone.save()
                mapping[old] = clone.pk
            section_map = {}
            for section in sections:
                new = TaskSection.objects.create(
                    plan=plan, number=section.number, title=section.title, order=section.order
                )
                section_map[section.pk] = new
            for task in tasks:
                new = Task.objects.create(
                    plan=plan,
                    section=section_map[task.section_id],
                    number=task.number,
                    order=task.order,
                    description=task.description,
                    deliverable=task.deliverable,
                    deadline_text=task.deadline_text,
                    deadline_kind=task.deadline_kind,
                    deadline_year_from=task.deadline_year_from,
                    deadline_year_to=task.deadline_year_to,
                    deadline_quarter=task.deadline_quarter,
                    deadline_due_day=task.deadline_due_day,
                    deadline_due_month=task.deadline_due_month,
                )
                TaskAssignment.objects.bulk_create(
                    TaskAssignment(task=new, agency_id=a.agency_id, role=a.role, order=a.order)
                    for a in task.assignments.all()
                )
            Figure.objects.bulk_create(
                Figure(
                    locality=plan.locality, indicator_id=f.indicator_id, year=f.year, value=f.value
                )
                for f in figures
            )
