"""Figures move from plans to places (plans.places): each figure goes to the place its
plan read that year (the plan's locality, or after a merger the successor's figures with
the former locality as the part). Where two plans of one place held values for the same
indicator and year, the latest entered is kept and the others become FigureConflict rows
for an administrator. History rows get the same place; a figure's plan is kept as
``entered_for``."""

import datetime

from django.db import migrations

STATISTICS = [
    "htx_count",
    "htx_new",
    "htx_members",
    "tht_count",
    "tht_new",
    "tht_members",
    "lhhtx_count",
    "lhhtx_new",
    "lhhtx_member_htx",
    "htx_good_fair_share",
    "htx_hightech",
]


def _successor(loc, date, localities):
    seen = set()
    while loc.successor_id and loc.successor_from and loc.successor_from <= date:
        if loc.pk in seen:
            break
        seen.add(loc.pk)
        loc = localities[loc.successor_id]
    return loc


def _host(loc, year, localities):
    date = datetime.date(year, 12, 31)
    current, seen = _successor(loc, date, localities), set()
    while current.dissolved_on and current.dissolved_on <= date and current.parent_id:
        if current.pk in seen:
            break
        seen.add(current.pk)
        current = _successor(localities[current.parent_id], date, localities)
    return current


def forwards(apps, schema_editor):
    Locality = apps.get_model("plans", "Locality")
    Plan = apps.get_model("plans", "Plan")
    Figure = apps.get_model("targets", "Figure")
    HistoricalFigure = apps.get_model("targets", "HistoricalFigure")
    FigureSheet = apps.get_model("targets", "FigureSheet")
    HistoricalFigureSheet = apps.get_model("targets", "HistoricalFigureSheet")
    FigureConflict = apps.get_model("targets", "FigureConflict")
    Indicator = apps.get_model("targets", "Indicator")

    Indicator.objects.filter(numerator__isnull=False).update(computation="share")
    Indicator.objects.filter(code__in=STATISTICS).update(in_statistics=True)

    localities = {loc.pk: loc for loc in Locality.objects.all()}
    plan_locality = dict(Plan.objects.values_list("pk", "locality_id"))

    def place(plan_id, year):
        own = localities[plan_locality[plan_id]]
        host = _host(own, year, localities)
        return host.pk, (None if host.pk == own.pk else own.pk)

    groups = {}
    for figure in Figure.objects.order_by("entered_at", "pk"):
        locality_id, area_id = place(figure.plan_id, figure.year)
        figure.locality_id, figure.area_id, figure.entered_for_id = locality_id, area_id, figure.plan_id
        figure.save(update_fields=["locality", "area", "entered_for"])
        key = (locality_id, area_id, figure.indicator_id, figure.year)
        groups.setdefault(key, []).append(figure)
    for figures in groups.values():
        kept = figures[-1]  # the latest entered
        for other in figures[:-1]:
            if other.value != kept.value:
                FigureConflict.objects.create(
                    locality_id=kept.locality_id,
                    area_id=kept.area_id,
                    indicator_id=kept.indicator_id,
                    year=kept.year,
                    plan_id=other.plan_id,
                    value=other.value,
                    kept_value=kept.value,
                    status=other.status,
                    note=other.note,
                    source=other.source,
                    entered_by_id=other.entered_by_id,
                    entered_at=other.entered_at,
                )
            other.delete()
    for record in HistoricalFigure.objects.filter(plan_id__in=plan_locality):
        record.locality_id, record.area_id = place(record.plan_id, record.year)
        record.entered_for_id = record.plan_id
        record.save(update_fields=["locality", "area", "entered_for"])

    sheets = {}
    for sheet in FigureSheet.objects.order_by("version", "pk"):
        locality_id, area_id = place(sheet.plan_id, sheet.year)
        sheet.locality_id, sheet.area_id = locality_id, area_id
        sheet.save(update_fields=["locality", "area"])
        sheets.setdefault((locality_id, area_id, sheet.year), []).append(sheet)
    for same in sheets.values():
        for other in same[:-1]:  # keep the highest version
            other.delete()
    for record in HistoricalFigureSheet.objects.filter(plan_id__in=plan_locality):
        record.locality_id, record.area_id = place(record.plan_id, record.year)
        record.save(update_fields=["locality", "area"])


def backwards(apps, schema_editor):
    """Back to figures per plan: each place's figure is copied to every plan reading it.
    The older schema knows computed shares only (averages lose their formula) and units of
    at most 20 characters."""
    Indicator = apps.get_model("targets", "Indicator")
    Indicator.objects.filter(computation="average").update(numerator=None, denominator=None)
    Indicator.objects.filter(unit="million_vnd_person_year").update(unit="million_vnd")
    Plan = apps.get_model("plans", "Plan")
    Figure = apps.get_model("targets", "Figure")
    FigureSheet = apps.get_model("targets", "FigureSheet")
    Locality = apps.get_model("plans", "Locality")
    localities = {loc.pk: loc for loc in Locality.objects.all()}
    plans = list(Plan.objects.all())
    for figure in list(Figure.objects.all()):
        readers = [
            p
            for p in plans
            if p.locality_id == (figure.area_id or figure.locality_id)
            and _host(localities[p.locality_id], figure.year, localities).pk == figure.locality_id
        ]
        if not readers:
            figure.delete()
            continue
        figure.plan_id = figure.entered_for_id if figure.entered_for_id in {p.pk for p in readers} else readers[0].pk
        figure.save(update_fields=["plan"])
        for plan in readers:
            if plan.pk != figure.plan_id:
                figure.pk = None
                figure.plan_id = plan.pk
                figure.save()
    for sheet in list(FigureSheet.objects.all()):
        readers = [p for p in plans if p.locality_id == (sheet.area_id or sheet.locality_id)]
        if not readers:
            sheet.delete()
            continue
        sheet.plan_id = readers[0].pk
        sheet.save(update_fields=["plan"])
        for plan in readers[1:]:
            sheet.pk = None
            sheet.plan_id = plan.pk
            sheet.save()


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0005_figures_by_place_schema"),
        ("plans", "0007_plan_base_year"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
