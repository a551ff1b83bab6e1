"""Retention on schedule, with the clock frozen by passing ``now`` to the services.

Access needs go 30 days after the meeting ends; names stay on registrations until the
project's end plus the audit years, then the rows are anonymised (and keep counting);
sign-in records go after 90 days.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings

from events import tasks
from events.models import Membership, Registration
from events.selectors.statistics import registrations_by_sector
from events.services.retention import access_needs_purge, registrations_anonymise_after_audit
from portal import tasks as portal_tasks
from portal.accounts.retention import sign_in_records_purge
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    RegistrationFactory,
    aware,
)

pytestmark = pytest.mark.django_db


def needs(meeting):
    return RegistrationFactory(meeting=meeting, access_needs="Hearing loop", interpretation_language="ukr")


def test_access_needs_go_30_days_after_the_meeting_ends():
    meeting = MeetingFactory(starts_at=aware(2026, 3, 2, 10))
    registration = needs(meeting)
    ended = meeting.ends_at
    assert access_needs_purge(now=ended + dt.timedelta(days=30) - dt.timedelta(minutes=1)) == 0
    kept = Registration.objects.get(pk=registration.pk)
    assert (kept.access_needs, kept.interpretation_language) == ("Hearing loop", "ukr")
    assert access_needs_purge(now=ended + dt.timedelta(days=30, minutes=1)) == 1
    cleared = Registration.objects.get(pk=registration.pk)
    assert (cleared.access_needs, cleared.access_needs_consent_at, cleared.interpretation_language) == ("", None, "")
    # The rest of the registration (and who it is) stays; a second run has nothing to do.
    assert cleared.user_id == registration.user_id and cleared.sector == registration.sector
    assert access_needs_purge(now=ended + dt.timedelta(days=31)) == 0


def test_the_period_is_the_setting(settings):
    settings.PORTAL_RETENTION_ACCESS_NEEDS_DAYS = 7
    meeting = MeetingFactory(starts_at=aware(2026, 3, 2, 10))
    needs(meeting)
    assert access_needs_purge(now=meeting.ends_at + dt.timedelta(days=8)) == 1


def test_names_stay_until_the_audit_retention_ends_then_rows_are_anonymised():
    project = ProjectFactory(start_date=dt.date(2019, 1, 1), end_date=dt.date(2020, 12, 31))
    community = CommunityFactory(project=project)
    membership = MembershipFactory(community=community, joined_at=aware(2019, 2, 1))
    MembershipFactory(community=community, pending=True)
    meeting = MeetingFactory(project=project, community=community, starts_at=aware(2019, 5, 1, 10))
    registrations = [RegistrationFactory(meeting=meeting, checked_in=True), RegistrationFactory(meeting=meeting)]
    other = RegistrationFactory(meeting=MeetingFactory(starts_at=aware(2019, 5, 1, 10)))  # a project still in audit
    figures = registrations_by_sector(project=project)
    # Five years after the project's end (31 Dec 2025) the evidence is still needed …
    counts = registrations_anonymise_after_audit(now=aware(2025, 12, 31, 23))
    assert (counts.registrations, counts.memberships) == (0, 0)
    assert Registration.objects.filter(pk__in=[r.pk for r in registrations], user__isnull=False).count() == 2
    # … the next day it is not.
    counts = registrations_anonymise_after_audit(now=aware(2026, 1, 1, 9))
    assert (counts.registrations, counts.memberships) == (2, 1)
    assert not Registration.objects.filter(meeting=meeting, user__isnull=False).exists()
    assert Registration.objects.filter(meeting=meeting, anonymised_at__isnull=False).count() == 2
    assert Membership.objects.get(pk=membership.pk).user is None
    assert Membership.objects.filter(community=community).count() == 1  # the pending request went
    assert Registration.objects.get(pk=other.pk).user_id is not None
    assert registrations_by_sector(project=project) == figures
    assert registrations_anonymise_after_audit(now=aware(2026, 1, 2, 9)).registrations == 0


def test_sign_in_records_go_after_90_days():
    now = aware(2026, 6, 1, 12)
    common = {"user_agent": "Firefox", "ip_address": "192.0.2.1", "http_accept": "*/*", "path_info": "/"}
    for model, extra in ((AccessLog, {}), (AccessFailureLog, {}), (AccessAttempt, {"failures_since_start": 1})):
        old = model.objects.create(username="old@example.org", **common, **extra)
        new = model.objects.create(username="new@example.org", **common, **extra)
        # attempt_time is auto_now_add: set it afterwards.
        model.objects.filter(pk=old.pk).update(attempt_time=now - dt.timedelta(days=90, minutes=1))
        model.objects.filter(pk=new.pk).update(attempt_time=now - dt.timedelta(days=89))
    assert sign_in_records_purge(now=now) == 3
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["new@example.org"]


def test_celery_beat_runs_the_retention_jobs_daily():
    from portal.celery import app

    schedule = django_settings.CELERY_BEAT_SCHEDULE
    expected = {
        "events-purge-access-needs": tasks.purge_access_needs,
        "events-anonymise-after-audit-retention": tasks.anonymise_after_audit_retention,
        "portal-purge-sign-in-records": portal_tasks.purge_sign_in_records,
    }
    for key, task in expected.items():
        assert schedule[key]["task"] == task.name and task.name in app.tasks
        assert schedule[key]["schedule"].hour == {2}


def test_the_tasks_call_the_services():
    assert tasks.purge_access_needs() == 0
    assert tasks.anonymise_after_audit_retention() == {"registrations": 0, "memberships": 0}
    assert portal_tasks.purge_sign_in_records() == 0
