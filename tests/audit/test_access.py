"""The access log of personal data: recording (never one's own data) and the retention purge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from audit.models import AccessKind, PersonalDataAccess
from audit.services import personal_data_access_purge, personal_data_access_record
from tests.factories import UserFactory, aware

pytestmark = pytest.mark.django_db

NOW = aware(2026, 6, 15, 12)


def test_a_look_at_somebody_elses_data_is_one_insert(django_assert_num_queries):
    viewer, subject = UserFactory(), UserFactory()
    with django_assert_num_queries(1):
        entry = personal_data_access_record(
            viewer=viewer,
            kind=AccessKind.REGISTRATION_PAGE,
            project_id=7,
            meeting_id=8,
            subject_id=subject.pk,
            people=1,
        )
    entry.refresh_from_db()
    assert (entry.viewer, entry.subject, entry.kind, entry.project_id, entry.meeting_id, entry.people) == (
        viewer,
        subject,
        "registration_page",
        7,
        8,
        1,
    )


def test_a_look_at_ones_own_data_is_not_logged(django_assert_num_queries):
    person = UserFactory()
    with django_assert_num_queries(0):
        assert (
            personal_data_access_record(
                viewer=person, kind=AccessKind.CHECK_IN_CARD, project_id=1, meeting_id=2, subject_id=person.pk
            )
            is None
        )
        assert (
            personal_data_access_record(viewer=AnonymousUser(), kind=AccessKind.ATTENDANCE_PAGE, project_id=1) is None
        )
    assert not PersonalDataAccess.objects.exists()


def test_the_database_refuses_what_the_log_must_not_hold():
    viewer = UserFactory()
    bad_rows = [
        {"kind": "gossip", "project_id": 1},
        {"kind": AccessKind.ATTENDANCE_CSV, "project_id": 1},  # which meeting?
        {"kind": AccessKind.COMMUNITY_MEMBERS, "project_id": 1},  # which community?
        {"kind": AccessKind.REGISTRATION_PAGE, "project_id": 1, "meeting_id": 2, "subject": viewer},  # own data
        {"kind": AccessKind.MEMBERSHIP_REQUESTS, "project_id": 1, "people": -1},
    ]
    for values in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            PersonalDataAccess.objects.create(viewer=viewer, **values)


def test_an_erased_account_leaves_its_entries():
    viewer, subject = UserFactory(), UserFactory()
    entry = personal_data_access_record(
        viewer=viewer, kind=AccessKind.CHECK_IN_CARD, project_id=1, meeting_id=2, subject_id=subject.pk
    )
    viewer.delete()
    subject.delete()
    entry.refresh_from_db()
    assert entry.viewer is None and entry.subject is None and entry.kind == "check_in_card"


def test_the_purge_deletes_what_is_older_than_the_retention_period(django_assert_num_queries):
    days = settings.PORTAL_RETENTION_LOGS_DAYS
    viewer = UserFactory()

    def entry(age: dt.timedelta) -> PersonalDataAccess:
        return PersonalDataAccess.objects.create(
            viewer=viewer, kind=AccessKind.MEMBERSHIP_REQUESTS, project_id=1, at=NOW - age
        )

    old = entry(dt.timedelta(days=days, seconds=1))
    older = entry(dt.timedelta(days=days + 400))
    kept = [entry(dt.timedelta(days=days)), entry(dt.timedelta(days=days - 1)), entry(dt.timedelta(0))]
    with django_assert_num_queries(1):
        assert personal_data_access_purge(now=NOW) == 2
    remaining = set(PersonalDataAccess.objects.values_list("pk", flat=True))
    assert remaining == {row.pk for row in kept}
    assert old.pk not in remaining and older.pk not in remaining
    assert personal_data_access_purge(now=NOW) == 0  # a second run changes nothing


def test_the_retention_period_is_a_setting(settings):
    settings.PORTAL_RETENTION_LOGS_DAYS = 10
    PersonalDataAccess.objects.create(
        viewer=UserFactory(), kind=AccessKind.MEMBERSHIP_REQUESTS, project_id=1, at=NOW - dt.timedelta(days=11)
    )
    assert personal_data_access_purge(now=NOW) == 1


def test_the_purge_runs_daily_from_the_beat_schedule():
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["audit-purge-personal-data-access"]
    assert entry["task"] == "audit.purge_personal_data_access"
    # Beat and the embedded scheduler (manage.py run_scheduler) find it among the app's tasks.
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_task_purges_with_the_current_time():
    from audit.tasks import purge_personal_data_access

    PersonalDataAccess.objects.create(
        viewer=UserFactory(), kind=AccessKind.MEMBERSHIP_REQUESTS, project_id=1, at=aware(2000, 1, 1)
    )
    assert purge_personal_data_access.apply().get() == 1
