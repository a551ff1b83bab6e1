"""The migration that starts the deliverable status history seeds it from what is known."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import DeliverableFactory, ProjectFactory

BEFORE = [("projects", "0005_plausible_dates")]
AFTER = [("projects", "0006_deliverable_status_history")]


@pytest.mark.django_db(transaction=True)
def test_each_existing_deliverable_gets_one_row_from_its_submission_date_or_last_change():
    project = ProjectFactory()
    delivered = DeliverableFactory(project=project, code="D1", approved=True, due_date=dt.date(2025, 3, 31))
    open_one = DeliverableFactory(project=project, code="D2", status="in_progress")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    try:
        from projects.models import DeliverableStatusChange

        rows = {row.deliverable_id: (row.status, row.changed_at) for row in DeliverableStatusChange.objects.all()}
        midnight = dt.datetime.combine(dt.date(2025, 3, 31), dt.time.min, tzinfo=timezone.get_default_timezone())
        # Only the columns that exist at this migration (later ones add fields, e.g. title_de).
        open_one.refresh_from_db(fields=["updated_at"])
        assert rows == {delivered.pk: ("approved", midnight), open_one.pk: ("in_progress", open_one.updated_at)}
    finally:
        # Back to the current schema, for the tests that run after this one.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
