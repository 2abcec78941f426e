"""Agency.list_key: the bodies' order from the country down (level of their place, place,
name, in Vietnamese order) as one indexed column, filled for the existing agencies. The
consolidated report's list of issuers sorted five hundred bodies in Python on each view of
the reports page."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from plans.models import agency_list_key  # the rule save() keeps: a function of three

    Agency = apps.get_model("plans", "Agency")
    agencies = list(
        Agency.objects.select_related("locality").only(
            "pk", "name", "locality__name", "locality__level"
        )
    )
    for agency in agencies:
        agency.list_key = agency_list_key(agency.locality.level, agency.locality.name, agency.name)
    Agency.objects.bulk_update(agencies, ["list_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0013_plan_list_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="list_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=561, verbose_name="list order"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
