"""Retention (GDPR Art. 5(1)(e)): personal data of meetings is kept only as long as needed.

Run daily by celery beat (events/tasks.py; the embedded default's ``run_scheduler`` runs the
same schedule). Both are plain UPDATEs that touch only rows still holding the data, so a
repeated, late or overlapping run does nothing twice. ``now`` is a parameter so the tests
can freeze the clock.

- Access needs (possibly health data) and interpretation languages are for preparing the
  meeting: deleted ``PORTAL_RETENTION_ACCESS_NEEDS_DAYS`` days after it ends.
- Names and organisations on registrations (and so on the attendance sheets printed from
  them) are the funder's audit evidence: kept until the project's end plus
  ``PORTAL_AUDIT_RETENTION_YEARS`` years, then the rows are anonymised. The rows stay, so
  every count, figure by sector and report as of a period keeps its numbers; the
  memberships of the project's communities are anonymised at the same time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..models import Membership, Registration


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def access_needs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the access needs and interpretation languages of meetings that ended more than
    PORTAL_RETENTION_ACCESS_NEEDS_DAYS days ago. Returns how many registrations were cleared."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.PORTAL_RETENTION_ACCESS_NEEDS_DAYS)
    holding = ~Q(access_needs="") | ~Q(interpretation_language="") | Q(access_needs_consent_at__isnull=False)
    return (
        Registration.objects.filter(meeting__ends_at__lt=cutoff)
        .filter(holding)
        .update(access_needs="", access_needs_consent_at=None, interpretation_language="")
    )


def audit_retention_end(*, now: dt.datetime | None = None) -> dt.date:
    """Projects that ended before this day are past their audit retention."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return _years_before(today, settings.PORTAL_AUDIT_RETENTION_YEARS)


@dataclass(frozen=True)
class AnonymisedCounts:
    registrations: int
    memberships: int


def registrations_anonymise_after_audit(*, now: dt.datetime | None = None) -> AnonymisedCounts:
    """Anonymise the registrations and memberships of projects whose audit retention ended
    (the project's end plus PORTAL_AUDIT_RETENTION_YEARS years)."""
    now = now or timezone.now()
    before = audit_retention_end(now=now)
    registrations = Registration.objects.filter(user__isnull=False, meeting__project__end_date__lt=before).update(
        user=None,
        access_needs="",
        access_needs_consent_at=None,
        interpretation_language="",
        consent_to_list=False,
        anonymised_at=now,
    )
    ended = Membership.objects.filter(user__isnull=False, community__project__end_date__lt=before)
    # Requests never granted counted nowhere: they go rather than wait nameless in a list.
    ended.filter(joined_at__isnull=True).delete()
    memberships = ended.update(user=None, anonymised_at=now)
    return AnonymisedCounts(registrations=registrations, memberships=memberships)
