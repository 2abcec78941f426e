"""Measure the main pages' query count and server time with the seeded data and at
national scale (34 provinces, ~3 300 communes, ~1 000 plans, ~30 000 tasks, ~150 000 task
reports, ten years of figures: :mod:`portal.scale`), in the same run. A page passes when its
query count is the same at both sizes and its median time at scale is within 1.5× its time
with the seed plans.

On PostgreSQL it works in copies of the database (``CREATE DATABASE … TEMPLATE``), dropped
at the end: the seed stage in one, the national scale in a copy of that one; each stage's
data is committed and vacuumed before it is measured, as autovacuum keeps a database in use
(statistics, visibility map: an index-only scan needs it), and each page is requested on
the two in turn, so that a busy moment of the machine slows both sizes alike.
``--in-transaction`` measures instead inside one transaction that is rolled back, as on
SQLite: freshly written rows, never vacuumed, are read from the table itself; the seed
stage first, then the national one.

    python manage.py benchmark                    # seed plans, then national scale
    python manage.py benchmark --runs 20
    python manage.py benchmark --scale 0.1        # a tenth of the national sizes
    python manage.py benchmark --no-reports       # pages only
    python manage.py benchmark --in-transaction   # fresh rows, rolled back
"""

import contextlib
import os
import statistics
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from plans.models import Agency, Plan
from targets.models import Figure, FigureSheet
from tasks.models import Task, TaskReport

from ...scale import grow_national

BOUND = 1.5
"""A page's median time at scale may be at most this many times its time with the seeds."""


class Rollback(Exception):
    pass


@contextlib.contextmanager
def scratch_copy(connection):
    """Point ``connection`` at a copy of its PostgreSQL database for the block, then drop
    the copy. Copying needs the CREATEDB right and no other session on the database."""
    name = connection.settings_dict["NAME"]
    # PostgreSQL cuts names at 63 bytes: the copy's keeps its suffix, never the original's.
    copy = f"{name.encode()[:40].decode(errors='ignore')}_benchmark_{os.getpid()}"
    quote = connection.ops.quote_name
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [copy])
        if cursor.fetchone():
            raise CommandError(
                f"A copy named {copy} is left from a benchmark that was stopped: drop it"
                f' (DROP DATABASE "{copy}") and run again.'
            )
        try:
            cursor.execute(f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(name)}")
        except Exception as exc:
            raise CommandError(
                f"Cannot copy the database {name}: {exc}. The role needs the CREATEDB right,"
                " and no other session may be connected (stop the server and the worker);"
                " or measure with --in-transaction."
            ) from exc
    connection.settings_dict["NAME"] = copy
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        try:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(copy)}")
        except Exception as exc:
            raise CommandError(
                f"Could not drop the benchmark's copy {copy} ({exc}): drop it by hand"
                f' (DROP DATABASE "{copy}").'
            ) from exc


class Command(BaseCommand):
    help = "Query counts and server times of the main pages with the seeds and at national scale."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Fraction of the national sizes (1.0)."
        )
        parser.add_argument("--no-reports", action="store_true", help="Pages only.")
        parser.add_argument(
            "--in-transaction",
            action="store_true",
            help="Measure in one transaction rolled back, not in a vacuumed copy (PostgreSQL).",
        )

    def handle(self, *args, runs, scale, no_reports, in_transaction, **options):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("Migrate the database first: python manage.py migrate")
        if not Plan.objects.filter(slug="dak-nong").exists():
            raise CommandError("Seed the plans first: python manage.py seed_plans")
        self.failures = []
        self.steady = connection.vendor == "postgresql" and not in_transaction
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            if self.steady:
                with scratch_copy(connection):
                    self._run(runs, scale, not no_reports)
            else:
                try:
                    with transaction.atomic():
                        self._run(runs, scale, not no_reports)
                        raise Rollback
                except Rollback:
                    pass
        if self.failures:
            raise CommandError("Outside the bound: " + "; ".join(self.failures))

    def _pages(self, dak_nong):
        staff = User.objects.create_user("bench-staff", role="admin", is_superuser=True)
        staff.plans.add(dak_nong)
        leader = User.objects.create_user("bench-leader", role="leadership")
        alliance = Agency.objects.get(locality__code="dak-nong", name="Liên minh Hợp tác xã tỉnh")
        agency_user = User.objects.create_user("bench-agency", role="agency", agency=alliance)
        clients = {"anonymous": Client()}
        for name, user in (("admin", staff), ("leadership", leader), ("agency", agency_user)):
            clients[name] = Client()
            clients[name].force_login(user)
        return [
            ("home", "anonymous", "/"),
            ("home (leadership landing)", "leadership", "/"),
            ("home (administrator)", "admin", "/"),
            # The same five rows as with the seeds: what the data's growth costs, apart
            # from a page of 25 plans instead of 5.
            ("home, 5 rows a page", "anonymous", "/?per_page=5"),
            ("home (leadership), 5 rows a page", "leadership", "/?per_page=5"),
            ("plan page (dak-nong)", "anonymous", dak_nong.get_absolute_url()),
            ("figure entry (dak-nong 2024)", "admin", "/so-lieu/dak-nong/2024/"),
            (
                "figure entry (lam-dong 2025, part)",
                "admin",
                "/so-lieu/lam-dong/2025/phan/dak-nong/",
            ),
            ("figure template xlsx", "admin", "/so-lieu/lam-dong/2025/phan/dak-nong/mau.xlsx"),
            ("task list (all tasks)", "leadership", "/nhiem-vu/"),
            (
                "task list, text + status",
                "leadership",
                "/nhiem-vu/?q=h%E1%BB%A3p+t%C3%A1c&status=open",
            ),
            ("task list, overdue", "leadership", "/nhiem-vu/?status=overdue"),
            ("task list, one plan", "leadership", f"/nhiem-vu/?plan={dak_nong.pk}"),
            ("my tasks (Liên minh HTX)", "agency", "/nhiem-vu/cua-toi/"),
            ("search 'hop tac xa'", "anonymous", "/tim-kiem/?q=hop+tac+xa"),
            ("search 'dak nong'", "anonymous", "/tim-kiem/?q=dak+nong"),
            (
                "completeness (dak-nong 2025)",
                "leadership",
                "/nhiem-vu/ke-hoach/dak-nong/tinh-hinh-bao-cao/2025/",
            ),
            ("report index", "leadership", "/bao-cao/"),
            ("review queue", "admin", "/nhiem-vu/cho-duyet/"),
        ], clients

    def _run(self, runs, scale, reports):
        dak_nong = Plan.objects.get(slug="dak-nong")
        self._figures(dak_nong)
        self._task_reports(dak_nong)
        pages, clients = self._pages(dak_nong)
        state = (
            f"a vacuumed copy ({connection.settings_dict['NAME']}), and a copy of it grown,"
            " measured in turn"
            if self.steady
            else "one transaction, rolled back"
        )
        self.stdout.write(f"database: {connection.vendor}, {state}; median of {runs} runs")
        if reports:
            self._reports(min(runs, 3))
        self._settle()
        self.stdout.write(f"\n== seed: {self._sizes()}")
        if self.steady:
            seed, national = self._side_by_side(pages, clients, runs, scale)
        else:
            [seed] = self._measure(pages, clients, runs)
            self._grow(scale)
            [national] = self._measure(pages, clients, runs)
        self.stdout.write(
            f"\n  {'page':36} {'queries':>15}  {'seed ms':>8} {'scale ms':>9} {'ratio':>6}"
        )
        for name, _who, _url in pages:
            (q1, t1), (q2, t2) = seed[name], national[name]
            ratio = t2 / t1 if t1 else 0
            ok = q1 == q2 and ratio <= BOUND
            if not ok:
                self.failures.append(f"{name}: {q1}→{q2} queries, ×{ratio:.2f}")
            self.stdout.write(
                f"  {name:36} {q1:6d} → {q2:6d}  {t1:8.1f} {t2:9.1f} {ratio:6.2f}"
                f"  {'ok' if ok else 'OUTSIDE'}"
            )

    def _grow(self, scale):
        start = time.perf_counter()
        added = grow_national(Plan.objects.get(slug="dak-nong"), scale=scale)
        self.stdout.write(
            f"\n== national scale (×{scale:g}): generated in {time.perf_counter() - start:.0f} s: "
            + ", ".join(f"{n} {name}" for name, n in added.items())
        )
        self.stdout.write(f"   {self._sizes()}")
        self._settle()

    def _side_by_side(self, pages, clients, runs, scale) -> tuple[dict, dict]:
        """Each page's times with the seeds and at national scale, taken in turn (seed,
        scale, seed, scale…) from two copies of the database, one of them grown: whatever
        slows the machine for a while slows both sizes alike. Measured one size after the
        other, a busy minute during the second made a ratio of it (×1.4 → ×1.7)."""
        seed_db = connections[DEFAULT_DB_ALIAS]
        scale_db = type(seed_db)({**seed_db.settings_dict}, DEFAULT_DB_ALIAS)
        seed_db.close()  # a database being read cannot be copied
        with scratch_copy(scale_db):
            connections[DEFAULT_DB_ALIAS] = scale_db
            try:
                self._grow(scale)
                return self._measure(pages, clients, runs, seed_db, scale_db)
            finally:
                scale_db.close()
                connections[DEFAULT_DB_ALIAS] = seed_db

    def _measure(self, pages, clients, runs, *databases) -> list[dict]:
        """Each page's query count and median time (ms) on each of ``databases`` (the
        default connection if none), after a request that warms up: a request on each in
        turn, each database on a connection of its own (no reconnection between them)."""
        databases = databases or (connections[DEFAULT_DB_ALIAS],)
        results = [{} for _ in databases]
        for name, who, url in pages:
            client = clients[who]
            times = [[] for _ in databases]
            queries = [0 for _ in databases]
            for n in range(runs + 1):  # the first request warms up
                for i, database in enumerate(databases):
                    connections[DEFAULT_DB_ALIAS] = database
                    with CaptureQueriesContext(database) as ctx:
                        start = time.perf_counter()
                        response = client.get(url)
                        took = time.perf_counter() - start
                    if n == 0 and response.status_code != 200:
                        raise CommandError(f"{url} ({who}): HTTP {response.status_code}")
                    if n:
                        times[i].append(took)
                        queries[i] = len(ctx.captured_queries)
            for i in range(len(databases)):
                results[i][name] = (queries[i], statistics.median(times[i]) * 1000)
        return results

    def _settle(self):
        """Fresh statistics, as a database that grew would have; in the copy, vacuumed too
        (VACUUM cannot run inside a transaction)."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if self.steady else "ANALYZE")

    def _sizes(self) -> str:
        return (
            f"{Plan.objects.count()} plans, {Task.objects.count()} tasks, "
            f"{TaskReport.objects.count()} task reports, {Figure.objects.count()} figures"
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

    def _task_reports(self, plan):
        """A year of reporting on the seed plan, as at scale: this year's lead reports
        submitted (the review queue and completeness have rows at both sizes)."""
        from django.utils import timezone

        from tasks.choices import AssignmentRole, ReportProgress, ReportState
        from tasks.models import CompletenessSummary, TaskAssignment, refresh_lead_state

        year, now = timezone.localdate().year, timezone.now()
        leads = TaskAssignment.objects.filter(task__plan=plan, role=AssignmentRole.LEAD)
        TaskReport.objects.bulk_create(
            [
                TaskReport(
                    task_id=a.task_id,
                    agency_id=a.agency_id,
                    year=year,
                    role=AssignmentRole.LEAD,
                    state=ReportState.SUBMITTED,
                    progress=ReportProgress.IN_PROGRESS,
                    submitted_at=now,
                )
                for a in leads
            ],
            ignore_conflicts=True,
        )
        # bulk writes send no signal: keep what the signals would have
        refresh_lead_state(leads.values_list("task_id", flat=True))
        CompletenessSummary.objects.filter(plan=plan).delete()

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
