"""Trigram indexes on the folded text the search reads (common/search.py); PostgreSQL only."""

from django.db import migrations

from common.search import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("plans", "0009_agency_members"), ("accounts", "0003_search_functions")]

    operations = [
        trigram_indexes(
            ("plans_plan_number_fold_trgm", "plans_plan", "number"),
            ("plans_plan_title_fold_trgm", "plans_plan", "title"),
            ("plans_locality_name_fold_trgm", "plans_locality", "name"),
            ("plans_agency_name_fold_trgm", "plans_agency", "name"),
            ("plans_agency_short_name_fold_trgm", "plans_agency", "short_name"),
        )
    ]
