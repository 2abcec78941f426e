"""Task.list_key computed again: place names now sort word by word ("Hà Giang" before
"Hải Dương"), a space before every letter (common.formatting.vn_sort_key)."""

from django.db import migrations


def refill(apps, schema_editor):
    from tasks.models import list_key  # the rule save() keeps: a function of four values

    Task = apps.get_model("tasks", "Task")
    tasks = list(
        Task.objects.select_related("plan__locality", "section").only(
            "pk", "order", "plan__slug", "plan__locality__name", "section__order"
        )
    )
    for task in tasks:
        task.list_key = list_key(
            task.plan.locality.name, task.plan.slug, task.section.order, task.order
        )
    Task.objects.bulk_update(tasks, ["list_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0015_list_keys_word_by_word"),
        ("tasks", "0014_review_queue_covering"),
    ]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop, elidable=False)]
