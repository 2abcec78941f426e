"""Target.search_text: the folded text the search reads, filled for the existing targets,
with a trigram index on PostgreSQL in place of the one on ``kttt_fold(text)``. A search of
a common phrase scanned the targets folding each text (kttt_fold is not inlined: 9 µs a
text, 2 ms to find the first hundred of "hop tac xa" at national scale)."""

from django.db import migrations, models

from common.search import analyze, fold_vn, trigram_indexes


def fill(apps, schema_editor):
    Target = apps.get_model("targets", "Target")
    targets = list(Target.objects.only("pk", "text"))
    for target in targets:
        target.search_text = fold_vn(target.text or "")
    Target.objects.bulk_update(targets, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0009_progress_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="target",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        trigram_indexes(
            ("targets_target_search_text_trgm", "targets_target", "search_text"), folded=False
        ),
        trigram_indexes(
            ("targets_target_text_fold_trgm", "targets_target", "text"), removed=True
        ),
        # the new column's statistics at once: until autovacuum gathers them, the planner
        # guessed the matches of a search and read them all by the index (24 ms, not 1)
        analyze("targets_target"),
    ]
