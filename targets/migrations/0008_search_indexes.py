"""Trigram index on the folded text the search reads (common/search.py); PostgreSQL only."""

from django.db import migrations

from common.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0007_figures_by_place_finish"),
        ("accounts", "0003_search_functions"),
    ]

    operations = [trigram_indexes(("targets_target_text_fold_trgm", "targets_target", "text"))]
