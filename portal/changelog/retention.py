"""The scheduled deletion of change entries whose retention has ended (audit/retention.py).

audit knows no projects; this names each project's end date for it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from audit.retention import PurgeResult, change_entries_purge
from projects.models import Project


def change_log_purge(*, now: dt.datetime | None = None) -> PurgeResult:
    """Delete the change entries past their retention at ``now`` (default: now)."""
    project_ends = dict(Project.objects.values_list("pk", "end_date"))
    return change_entries_purge(now=now or timezone.now(), project_ends=project_ends)
