"""The trigram indexes on the tasks' description, deliverable and note are no longer read:
the task list and the search page find tasks by their stored folded text
(``Task.search_text``, its own trigram index). Unused, they cost every write of a task
(68 MB for 30 000 tasks). PostgreSQL only."""

from django.db import migrations

from common.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("tasks", "0012_task_active_state_index")]

    operations = [
        trigram_indexes(
            ("tasks_task_description_fold_trgm", "tasks_task", "description"),
            ("tasks_task_deliverable_fold_trgm", "tasks_task", "deliverable"),
            ("tasks_task_note_fold_trgm", "tasks_task", "note"),
            removed=True,
        )
    ]
