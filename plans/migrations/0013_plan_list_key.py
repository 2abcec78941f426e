"""Plan.list_key: the plans' default order (place in Vietnamese order, then slug) as one
indexed column, filled for the existing plans. At national scale each page of plans sorted
all 1 000 plans joined to their places and bodies (2.5 ms of the home page's 12)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from plans.models import plan_list_key  # the rule save() keeps: a function of two values

    Plan = apps.get_model("plans", "Plan")
    plans = list(Plan.objects.select_related("locality").only("pk", "slug", "locality__name"))
    for plan in plans:
        plan.list_key = plan_list_key(plan.locality.name, plan.slug)
    Plan.objects.bulk_update(plans, ["list_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0012_drop_unused_trigram_indexes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="plan",
            options={"ordering": ["list_key"], "verbose_name": "plan", "verbose_name_plural": "plans"},
        ),
        migrations.AddField(
            model_name="plan",
            name="list_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=280, verbose_name="list order"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
