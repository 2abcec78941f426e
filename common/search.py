"""Search that finds Vietnamese as people type it: without tone marks, without "đ", in any case.

``fold_vn`` is the one rule: "Hợp tác xã" and "HOP TAC XA" both become "hop tac xa", and
"Đắk Nông" becomes "dak nong". The database applies the same rule through an SQL function
named ``kttt_fold``, so a filter reads ``description__vnfold__contains=fold_vn(query)``:

- on SQLite, ``kttt_fold`` is ``fold_vn`` itself, registered on every new connection
  (``install``, called from ``AccountsConfig.ready``);
- on PostgreSQL, it is an immutable SQL function over the ``unaccent`` extension (whose
  default rules map đ/Đ to d/D) and ``lower``, created by ``accounts`` migration 0003; the
  searched columns carry trigram GIN indexes on ``kttt_fold(column)`` (``pg_trgm``), which
  serve ``LIKE '%…%'``, so the search does not read every row at scale.
"""

import re
import unicodedata

from django.db import models
from django.db.backends.signals import connection_created

SQL_FUNCTION = "kttt_fold"

# unaccent's default rules plus lower(); STRICT and IMMUTABLE so that it can be indexed.
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION public.{SQL_FUNCTION}(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, normalize($1, NFC))) $$
"""

# Vietnamese marks, once decomposed, are all Combining Diacritical Marks (U+0300-U+036F).
_MARKS = re.compile("[\u0300-\u036f]+")


def fold_vn(text: str | None) -> str | None:
    """Text without tone or vowel marks, with đ → d, in lower case ("Đắk Nông" → "dak nong").

    SQLite calls it once per row searched: regular expressions and ``str.replace`` keep it
    several times faster than a loop over characters or ``str.translate``."""
    if text is None:
        return None
    if text.isascii():
        return text.lower()
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D")).lower()


def searched_text(obj, fields) -> str:
    """What the search reads of ``obj``: its ``fields`` folded (:func:`fold_vn`), a line
    break apart, so that a search (its spaces collapsed) never matches across two fields.
    Models keep it in a ``search_text`` column, read with ``search_text__contains``: folding
    each row in the query (``__vnfold``) costs a call of ``kttt_fold`` a row on PostgreSQL
    (unaccent is not inlined: 9 µs a target's text, 2 ms for a search of the targets)."""
    return fold_vn("\n".join(getattr(obj, name) or "" for name in fields))


def with_search_text(obj, fields, update_fields):
    """Set ``obj.search_text`` from ``fields`` and return the ``update_fields`` a save()
    writes: with ``search_text`` added when one of ``fields`` is among them."""
    obj.search_text = searched_text(obj, fields)
    if update_fields is not None and set(update_fields) & set(fields):
        return {*update_fields, "search_text"}
    return update_fields


class VnFold(models.Transform):
    """``field__vnfold``: the column folded by ``fold_vn`` in the database."""

    lookup_name = "vnfold"
    function = SQL_FUNCTION
    output_field = models.TextField()


def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, fold_vn, deterministic=True)


def install() -> None:
    """Register the ``vnfold`` lookup and, on SQLite, the ``kttt_fold`` function."""
    models.CharField.register_lookup(VnFold)
    models.TextField.register_lookup(VnFold)
    connection_created.connect(_register_sqlite_function, dispatch_uid="kttt_fold")


def trigram_indexes(*indexes: tuple[str, str, str], removed: bool = False, folded: bool = True):
    """A migration operation creating (and dropping) trigram GIN indexes on
    ``kttt_fold(column)``, given as ``(index name, table, column)``; PostgreSQL only.
    ``folded=False``: on the column itself (a stored folded text, ``search_text``).
    ``removed``: the operation drops them instead (and creates them again backwards)."""
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, table, column in indexes:
                indexed = f'{SQL_FUNCTION}("{column}")' if folded else f'"{column}"'
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                    f"USING gin ({indexed} gin_trgm_ops)"
                )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, _table, _column in indexes:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    if removed:
        return migrations.RunPython(drop, create, elidable=False)
    return migrations.RunPython(create, drop, elidable=False)


def analyze(*tables: str):
    """A migration operation gathering the statistics of ``tables`` (PostgreSQL's
    ``ANALYZE``), as autovacuum would later: for a column the search reads, added and
    filled by the migration."""
    from django.db import migrations

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(f'ANALYZE "{table}"')

    return migrations.RunPython(run, migrations.RunPython.noop, elidable=False)
