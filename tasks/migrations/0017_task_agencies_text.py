"""Task.agencies_text: the search texts of each task's assigned agencies, filled for the
existing tasks, with a trigram index on PostgreSQL. The search found a task by its bodies'
names through an EXISTS over their assignments: for a common name ("hop tac xa", 74 bodies
at national scale) it hashed their 6 000 assignments twice a search page."""

from django.db import migrations, models

from common.search import analyze, trigram_indexes


def fill(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    TaskAssignment = apps.get_model("tasks", "TaskAssignment")
    texts: dict[int, list[str]] = {}
    rows = TaskAssignment.objects.order_by("task_id", "agency_id").values_list(
        "task_id", "agency__search_text"
    )
    for task_id, text in rows.iterator(chunk_size=5000):
        texts.setdefault(task_id, []).append(text)
    tasks = [Task(pk=pk, agencies_text="\n".join(found)) for pk, found in texts.items()]
    Task.objects.bulk_update(tasks, ["agencies_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0016_agency_search_text"),
        ("tasks", "0016_task_due_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="agencies_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="agencies' search text"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        trigram_indexes(("tasks_task_agencies_text_trgm", "tasks_task", "agencies_text"), folded=False),
        analyze("tasks_task"),
    ]
