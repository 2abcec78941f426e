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
        client = Client()
        client.force_login(staff)
        pages = {
            "home": "/",
            "plan page (dak-nong)": dak_nong.get_absolute_url(),
            "figure entry (dak-nong 2025)": "/ke-hoach/dak-nong/so-lieu/2025/",
            "figure template xlsx": "/ke-hoach/dak-nong/so-lieu/2025/mau.xlsx",
        }
        self.stdout.write(f"database: {connection.vendor}; median of {runs} runs")
        for size in sorted(sizes):
            self._grow_to(size, dak_nong)
            self.stdout.write(
                f"\n== {Plan.objects.count()} plans, "
                f"{Target.objects.count()} targets, "
                f"{Figure.objects.count()} figures"
            )
            for name, url in pages.items():
                client.get(url)  # warm up
                times, queries = [], 0
                for _ in range(runs):
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        response = client.get(url)
                        times.append(time.perf_counter() - start)
                    queries = len(ctx.captured_queries)
                    assert response.status_code == 200, (url, response.status_code)
                self.stdout.write(
                    f"  {name:32} {queries:3d} queries  {statistics.median(times) * 1000:7.1f} ms"
                )

    def _figures(self, plan):
        from targets.selectors import plan_indicators

        inputs = plan_indicators(plan=plan).inputs
        for year in (2023, 2024, 2025):
            FigureSheet.objects.get_or_create(plan=plan, year=year)
            for n, indicator in enumerate(inputs):
                Figure.objects.update_or_create(
                    plan=plan,
                    indicator=indicator,
                    year=year,
                    defaults={"value": Decimal(10 + n + year % 10)},
                )

    def _grow_to(self, size, template):
        """Clone Đắk Nông (targets, tasks, three years of figures) until ``size`` plans."""
        from tasks.models import Task, TaskAssignment, TaskSection

        targets = list(template.targets.all())
        sections = list(template.task_sections.all())
        tasks = list(template.tasks.prefetch_related("assignments"))
        figures = list(template.figures.all())
        count = Plan.objects.count()
        while count < size:
            count += 1
            plan = Plan.objects.get(pk=template.pk)
            plan.pk = None
            plan.slug = f"bench-{count}"
            plan.number = f"{count}/KH-BENCH"
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
                )
                TaskAssignment.objects.bulk_create(
                    TaskAssignment(task=new, agency_id=a.agency_id, role=a.role, order=a.order)
                    for a in task.assignments.all()
                )
            Figure.objects.bulk_create(
                Figure(plan=plan, indicator_id=f.indicator_id, year=f.year, value=f.value)
                for f in figures
            )
