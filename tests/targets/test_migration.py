"""Figures move from plans to places without loss (targets migrations 0005–0007): each
figure goes to the place its plan read that year, two plans of one place that disagree
leave a conflict for an administrator, history rows follow."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("targets", "0004_alter_historicalfigure_history_change_reason_and_more")]
AFTER = [("targets", "0007_figures_by_place_finish")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_figures_move_to_their_places_and_disagreements_are_kept():
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE + [node for node in leaf if node[0] != "targets"])
    try:
        Locality = old.get_model("plans", "Locality")
        Agency = old.get_model("plans", "Agency")
        Plan = old.get_model("plans", "Plan")
        Indicator = old.get_model("targets", "Indicator")
        Figure = old.get_model("targets", "Figure")
        HistoricalFigure = old.get_model("targets", "HistoricalFigure")
        new_province = Locality.objects.create(code="mig-new", name="Mới", level="province")
        province = Locality.objects.create(
            code="mig-old",
            name="Cũ",
            level="province",
            successor=new_province,
            successor_from=datetime.date(2025, 7, 1),
        )
        body = Agency.objects.create(name="UBND", kind="ubnd", locality=province)
        plans = [
            Plan.objects.create(
                slug=f"mig-{n}",
                kind="ke_hoach",
                number=f"{n}/KH",
                title="Kế hoạch",
                issuing_body=body,
                level="province",
                locality=province,
                start_year=2023,
            )
            for n in (1, 2)
        ]
        htx = Indicator.objects.get_or_create(
            code="htx_count", defaults={"name": "Số hợp tác xã", "unit": "organisations"}
        )[0]
        same = [Figure.objects.create(plan=p, indicator=htx, year=2024, value=300) for p in plans]
        Figure.objects.create(plan=plans[0], indicator=htx, year=2025, value=310)
        Figure.objects.create(plan=plans[1], indicator=htx, year=2025, value=320)
        HistoricalFigure.objects.create(
            id=same[0].pk,
            plan=plans[0],
            indicator=htx,
            year=2024,
            value=300,
            status="estimated",
            is_demo=False,
            entered_at=datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC),
            history_date=datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC),
            history_type="+",
        )

        new = _migrate(AFTER + [node for node in leaf if node[0] != "targets"])
        Figure = new.get_model("targets", "Figure")
        FigureConflict = new.get_model("targets", "FigureConflict")
        HistoricalFigure = new.get_model("targets", "HistoricalFigure")
        kept_2024 = Figure.objects.get(locality__code="mig-old", year=2024)
        assert kept_2024.value == D(300) and kept_2024.area_id is None
        kept_2025 = Figure.objects.get(locality__code="mig-new", area__code="mig-old", year=2025)
        assert kept_2025.value == D(320)  # the latest entered
        conflict = FigureConflict.objects.get()
        assert (conflict.value, conflict.kept_value, conflict.plan.slug) == (
            D(310),
            D(320),
            "mig-1",
        )
        record = HistoricalFigure.objects.get(id=same[0].pk)
        assert record.locality.code == "mig-old" and record.entered_for.slug == "mig-1"
    finally:
        _migrate(leaf)
