"""The trigram indexes on the plans' number and title are no longer read: the search finds
plans by their stored folded text (``Plan.search_text``, its own trigram index). Unused,
they cost every write of a plan. PostgreSQL only."""

from django.db import migrations

from common.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("plans", "0011_plan_search_text")]

    operations = [
        trigram_indexes(
            ("plans_plan_number_fold_trgm", "plans_plan", "number"),
            ("plans_plan_title_fold_trgm", "plans_plan", "title"),
            removed=True,
        )
    ]
