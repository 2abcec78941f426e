"""Agency.search_text: the folded name and short name the search reads, filled for the
existing bodies, with a trigram index on PostgreSQL in place of the two on
``kttt_fold(name)`` and ``kttt_fold(short_name)``. A search folded every body it found, and
the task search every body again to find their tasks: kttt_fold is not inlined (unaccent is
only STABLE), 1.5 ms a query for the 74 bodies of "hop tac xa" at national scale, planning
1 ms more."""

from django.db import migrations, models

from common.search import analyze, fold_vn, trigram_indexes

FIELDS = ("name", "short_name")


def fill(apps, schema_editor):
    Agency = apps.get_model("plans", "Agency")
    agencies = list(Agency.objects.only("pk", *FIELDS))
    for agency in agencies:
        agency.search_text = fold_vn("\n".join(getattr(agency, name) or "" for name in FIELDS))
    Agency.objects.bulk_update(agencies, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0015_list_keys_word_by_word"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        trigram_indexes(
            ("plans_agency_search_text_trgm", "plans_agency", "search_text"), folded=False
        ),
        trigram_indexes(
            ("plans_agency_name_fold_trgm", "plans_agency", "name"),
            ("plans_agency_short_name_fold_trgm", "plans_agency", "short_name"),
            removed=True,
        ),
        # the new column's statistics at once: until autovacuum gathers them, the planner
        # guessed the matches of a search and read them all by the index (24 ms, not 1)
        analyze("plans_agency"),
    ]
