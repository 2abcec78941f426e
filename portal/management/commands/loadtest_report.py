import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.loadtest import (
    FIGURE,
    TASK_REPORT,
    TOKEN_PREFIX,
    TOKEN_RE,
    WriteLog,
    stats_read,
    stats_table,
    writes_compare,
)
from targets.models import Figure
from tasks.models import TaskReport


def history_tokens() -> dict[str, list[str]]:
    """The load test's tokens in the history, one per history row: the reason of each
    figure change, the end of each task report version's text."""
    figures = Figure.history.model.objects.filter(history_change_reason__startswith=TOKEN_PREFIX)
    reports = TaskReport.history.model.objects.filter(done__contains=TOKEN_PREFIX)
    found: dict[str, list[str]] = {FIGURE: [], TASK_REPORT: []}
    for reason in figures.values_list("history_change_reason", flat=True):
        found[FIGURE] += TOKEN_RE.findall(reason)[-1:]
    for done in reports.values_list("done", flat=True):
        found[TASK_REPORT] += TOKEN_RE.findall(done)[-1:]
    return found


class Command(BaseCommand):
    help = (
        "After scripts/loadtest: the timings per page (locust's CSV) and every write the "
        "simulated users counted, looked up in the history. Fails on any request failure "
        "or a write missing, refused yet stored, or stored twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stats", type=Path, required=True, help="locust's *_stats.csv")
        parser.add_argument("--writes", type=Path, required=True, help="the users' write log")
        parser.add_argument("--failures", type=Path, help="locust's *_failures.csv")

    def handle(self, *args, stats, writes, failures, **options):
        if not stats.exists():
            raise CommandError(f"{stats} is missing: locust did not run (see its log)")
        rows = stats_read(stats)
        self.stdout.write(stats_table(rows))
        problems = []
        total = next((r for r in rows if r.name == "total"), None)
        if total is None or total.requests == 0:
            problems.append("no request was made")
        elif total.failures:
            problems.append(f"{total.failures} failed requests")
            if failures and failures.exists():
                with failures.open(encoding="utf-8", newline="") as handle:
                    for row in csv.DictReader(handle):
                        self.stdout.write(
                            f"  {row['Occurrences']}× {row['Method']} {row['Name']}: "
                            f"{row['Error'][:300]}"
                        )
        checks = writes_compare(WriteLog(writes).read(), history_tokens())
        counted = sum(c.saved for c in checks.values())
        stored = sum(c.in_database for c in checks.values())
        for check in checks.values():
            self.stdout.write(
                f"{check.kind}: {check.saved} saved, {check.in_database} of them in the "
                f"database; {check.stale} refused as stale"
            )
            for label, tokens in [
                ("counted as saved, not in the database", check.missing),
                ("refused as stale, yet in the database", check.stale_written),
                ("in the database, never counted", check.unexpected),
                ("stored more than once", check.duplicated),
            ]:
                if tokens:
                    problems.append(f"{check.kind}: {len(tokens)} {label}: {tokens[:5]}")
        self.stdout.write(f"writes: {counted} counted by client, {stored} in database")
        if counted == 0:
            problems.append("no write was made")
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS("load test passed: no errors, every write stored"))
