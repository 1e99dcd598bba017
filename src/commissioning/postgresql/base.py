"""Django's own PostgreSQL backend, with one change for server-side binding (ADR 0012).

Bound by the server, a statement carries at most 65,535 parameters. Django 5.2 sets no such
limit for PostgreSQL: a bulk insert or update, and the deletion collector's reads of the rows a
delete cascades to (``related_field IN (every deleted key)``), go in one statement however many
rows there are, and past the limit psycopg refuses it. Here those batches stay under it, and
``in_bulk`` splits its keys likewise. With client-side binding nothing changes.

A filter of a list (``pk__in=[...]``) is still one statement: a list that may exceed the limit
is to be given as a query instead (``pk__in=queryset``), which has no parameters of its own.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base, features, operations
from django.utils.functional import cached_property

#: PostgreSQL's limit on one statement's parameters (a 16-bit count in the protocol).
MAX_PARAMETERS = 65_535


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int | None:  # type: ignore[override]
        return MAX_PARAMETERS if self.uses_server_side_binding else None


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields: Any, objs: Any) -> int:
        if not self.connection.features.uses_server_side_binding:
            return super().bulk_batch_size(fields, objs)
        # Twice the fields: a bulk update names each key once in its WHERE and once per field
        # in its CASE, so it sends up to twice as many values as it names fields.
        per_row = 2 * max(len(fields), 1)
        return max(1, min(len(objs), MAX_PARAMETERS // per_row))


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
