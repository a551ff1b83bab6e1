"""How long the change log is kept (settings.PORTAL_AUDIT_RETENTION_YEARS, default 5).

An entry about a project is kept until the project's audit retention ends: its end date
plus the retention years (the funder may audit a grant for years after it closed). An entry
about no project, or about a project deleted since, is kept the retention years after it
was written. The caller names each project's end date, as audit knows no projects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.db.models import Q


def years_after(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def audit_retention_ends(project_end: dt.date, *, years: int | None = None) -> dt.date:
    """The last day a project's change entries are kept."""
    return years_after(project_end, settings.PORTAL_AUDIT_RETENTION_YEARS if years is None else years)


@dataclass(frozen=True)
class PurgeResult:
    of_projects: int
    without_project: int


def change_entries_purge(*, now: dt.datetime, project_ends: Mapping[int, dt.date]) -> PurgeResult:
    """Delete the change entries whose retention has ended by ``now``.

    ``project_ends`` maps each existing project's id to its end date. Returns how many
    entries of projects, and of no (or a deleted) project, were deleted.
    """
    years = settings.PORTAL_AUDIT_RETENTION_YEARS
    today = now.date()
    expired = sorted(pid for pid, end in project_ends.items() if audit_retention_ends(end, years=years) < today)
    cutoff_day = years_after(today, -years)
    cutoff = now.replace(year=cutoff_day.year, month=cutoff_day.month, day=cutoff_day.day)
    with transaction.atomic():
        of_projects = 0
        if expired:
            of_projects, _ = LogEntry.objects.filter(additional_data__project_id__in=expired).delete()
        old = LogEntry.objects.filter(timestamp__lt=cutoff)
        no_project = Q(additional_data__isnull=True) | Q(additional_data__project_id__isnull=True)
        without, _ = old.filter(no_project).delete()
        # Projects deleted since: their end date is gone with them, so the entry's own age counts.
        named = set(old.order_by().values_list("additional_data__project_id", flat=True).distinct())
        orphans = sorted(pid for pid in named if isinstance(pid, int) and pid not in project_ends)
        if orphans:
            deleted, _ = old.filter(additional_data__project_id__in=orphans).delete()
            without += deleted
    return PurgeResult(of_projects=of_projects, without_project=without)
