"""Trigram indexes on the folded text the search reads (common/search.py); PostgreSQL only."""

from django.db import migrations

from common.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0006_section_history_retire"),
        ("accounts", "0003_search_functions"),
    ]

    operations = [
        trigram_indexes(
            ("tasks_task_description_fold_trgm", "tasks_task", "description"),
            ("tasks_task_deliverable_fold_trgm", "tasks_task", "deliverable"),
            ("tasks_task_note_fold_trgm", "tasks_task", "note"),
        )
    ]
