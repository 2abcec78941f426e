"""Recompute what the portal keeps beside its data so that lists stay fast: each task's
lead state (``Task.lead_completed_year`` / ``lead_reported_years``), the list order of
tasks, plans and agencies (``Task.list_key``, ``Plan.list_key``, ``Agency.list_key``), the
folded search text of plans, tasks, agencies and targets (and of each task's agencies,
``Task.agencies_text``), and the plans' reporting rates
and targets' progress (cleared, computed again on the next page). The portal keeps them itself; run
this after writing to the database by other means (SQL, a script's bulk writes).

    python manage.py rebuild_stored           # recompute, say how many rows changed
    python manage.py rebuild_stored --check   # only say which are wrong (exit 1 if any)
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from common.search import searched_text
from plans.models import Agency, Plan, agency_list_key, plan_list_key, plan_search_text
from targets.models import ProgressSummary, Target
from tasks.models import (
    CompletenessSummary,
    Task,
    agencies_texts,
    due_columns,
    lead_states,
    list_key,
    task_search_text,
)

CHUNK = 1000


class Command(BaseCommand):
    help = "Recompute the stored lead states, list orders and search texts (rebuild_stored)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 if wrong.")

    def handle(self, *args, check, **options):
        wrong = {"plans": 0, "agencies": 0, "targets": 0, "tasks": 0}
        with transaction.atomic():
            plans = list(
                Plan.objects.select_related("locality").only(
                    "pk", "number", "title", "slug", "search_text", "list_key", "locality__name"
                )
            )
            changed = [p for p in plans if (p.search_text, p.list_key) != _plan_stored(p)]
            wrong["plans"] = len(changed)
            for plan in changed:
                plan.search_text, plan.list_key = _plan_stored(plan)
            agencies = list(
                Agency.objects.select_related("locality").only(
                    "pk",
                    *("name", "short_name", "list_key", "search_text"),
                    *("locality__name", "locality__level"),
                )
            )
            moved = [a for a in agencies if (a.list_key, a.search_text) != _agency_stored(a)]
            wrong["agencies"] = len(moved)
            for agency in moved:
                agency.list_key, agency.search_text = _agency_stored(agency)
            targets = [
                t
                for t in Target.objects.only("pk", "text", "search_text")
                if t.search_text != searched_text(t, Target.SEARCHED_FIELDS)
            ]
            wrong["targets"] = len(targets)
            for target in targets:
                target.search_text = searched_text(target, Target.SEARCHED_FIELDS)
            agency_texts = {a.pk: a.search_text for a in agencies}  # as corrected above
            ids = list(Task.objects.values_list("pk", flat=True).order_by("pk"))
            for start in range(0, len(ids), CHUNK):
                wrong["tasks"] += self._tasks(ids[start : start + CHUNK], agency_texts, check)
            if not check:
                Plan.objects.bulk_update(changed, ["search_text", "list_key"], batch_size=CHUNK)
                Agency.objects.bulk_update(moved, ["list_key", "search_text"], batch_size=CHUNK)
                Target.objects.bulk_update(targets, ["search_text"], batch_size=CHUNK)
                CompletenessSummary.objects.all().delete()
                ProgressSummary.objects.all().delete()
        done = "wrong" if check else "recomputed"
        self.stdout.write("; ".join(f"{name} {done}: {n}" for name, n in wrong.items()))
        if check and any(wrong.values()):
            raise CommandError("Stored values differ from the data: run rebuild_stored.")

    def _tasks(self, ids, agency_texts, check) -> int:
        states = lead_states(ids)
        assigned = agencies_texts(ids, agency_texts)
        changed = []
        tasks = Task.objects.filter(pk__in=ids).select_related("plan__locality", "section")
        for task in tasks:
            right = {
                "search_text": task_search_text(task),
                "agencies_text": assigned[task.pk],
                "list_key": list_key(
                    task.plan.locality.name, task.plan.slug, task.section.order, task.order
                ),
                "lead_completed_year": states[task.pk][0],
                "lead_reported_years": states[task.pk][1],
            }
            right["deadline_due"], right["yearly_due"] = due_columns(
                task.deadline, (task.plan.report_due_day, task.plan.report_due_month)
            )
            if any(getattr(task, name) != value for name, value in right.items()):
                for name, value in right.items():
                    setattr(task, name, value)
                changed.append(task)
        if not check:
            Task.objects.bulk_update(changed, list(STORED), batch_size=CHUNK)
        return len(changed)


STORED = (
    *("search_text", "agencies_text", "list_key", "lead_completed_year"),
    *("lead_reported_years", "deadline_due", "yearly_due"),
)


def _agency_stored(agency) -> tuple[str, str]:
    return (
        agency_list_key(agency.locality.level, agency.locality.name, agency.name),
        searched_text(agency, Agency.SEARCHED_FIELDS),
    )


def _plan_stored(plan) -> tuple[str, str]:
    return plan_search_text(plan), plan_list_key(plan.locality.name, plan.slug)
