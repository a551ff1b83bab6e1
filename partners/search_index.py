"""A GIN index that exists on PostgreSQL only.

The full-text indexes (``SearchVector`` expressions) mean nothing to SQLite, the embedded
default: ``GinIndex`` would emit ``USING gin (to_tsvector(...))`` there and fail, both in
the migration and whenever SQLite rebuilds the table for a later ``AlterField``. This
index renders as an SQL comment on other databases, so the model state stays the same
everywhere and ``makemigrations --check`` stays quiet.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db.backends.ddl_references import Statement


class PostgresOnlyGinIndex(GinIndex):
    def _skipped(self, schema_editor) -> Statement:
        # The schema editor executes whatever we return and cannot take None, so
        # a comment is the no-op that also reads well in ``sqlmigrate`` output.
        return Statement(
            "-- %(name)s: PostgreSQL full-text index, not created on %(vendor)s",
            name=self.name,
            vendor=schema_editor.connection.vendor,
        )

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._skipped(schema_editor)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._skipped(schema_editor)
        return super().remove_sql(model, schema_editor, **kwargs)
