"""Search that finds Vietnamese as people type it (common/search.py): on PostgreSQL the
unaccent and pg_trgm extensions and the immutable ``kttt_fold`` function that the searched
columns' trigram indexes are built on. Nothing on SQLite: there ``kttt_fold`` is registered
on each connection."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from common.search import POSTGRES_FUNCTION, SQL_FUNCTION


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS public.{SQL_FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(create_function, drop_function, elidable=False),
    ]
