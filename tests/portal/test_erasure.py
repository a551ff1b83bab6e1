"""Erasing an account (GDPR Art. 17): the person goes, the figures keep their numbers.

One world: a person who registered for a meeting held in May 2021 (checked in, with access
needs), holds a seat for a meeting next week that somebody is waiting for, is a member of a
community, has a request pending in another, an invitation, a project role, a report
download and sign-in records. Erasing them must leave every aggregate identical.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from events.models import CalendarFeedToken, Membership, Registration
from events.selectors.statistics import (
    community_attendance,
    community_members_over_time,
    meeting_statistics,
    registrations_by_sector,
)
from events.services.registrations import NOTICE_TASK
from portal.accounts.erasure_notice import ERASURE_NOTICE_TASK, erasure_confirmation_send
from portal.accounts.services import user_erase
from portal.models import Invitation, User
from projects.models import ProjectRole
from reports.content import report_content
from reports.models import ReportDownload
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
    aware,
)
from tests.outbox_capture import capture

pytestmark = pytest.mark.django_db

Q2_2021 = (dt.date(2021, 4, 1), dt.date(2021, 6, 30))


@pytest.fixture(autouse=True)
def notices(monkeypatch) -> list:
    sent: list = []
    return capture(monkeypatch, sent, task=NOTICE_TASK, args_only=True)


@pytest.fixture
def world():
    today = timezone.localdate()
    project = ProjectFactory(
        acronym="ERASE", slug="erase", start_date=dt.date(2021, 1, 1), end_date=today.replace(year=today.year + 1)
    )
    coordinator = ProjectRoleFactory(project=project).user
    person = UserFactory(email="erase.me@example.org", first_name="Erika", last_name="Mustermann")
    ProjectRoleFactory(project=project, user=person, partner_staff=True)
    community = CommunityFactory(project=project, name="CoP Erase")
    other_community = CommunityFactory(project=project, name="CoP Other")
    membership = MembershipFactory(community=community, user=person, joined_at=aware(2021, 2, 1, 10))
    MembershipFactory(community=community, joined_at=aware(2021, 3, 1, 10))
    MembershipFactory(community=other_community, user=person, pending=True)
    held = MeetingFactory(project=project, community=community, title="Held in May", starts_at=aware(2021, 5, 12))
    mine_held = RegistrationFactory(
        meeting=held,
        user=person,
        checked_in=True,
        sector=Registration.Sector.ARTS,
        access_needs="Wheelchair",
        interpretation_language="ukr",
        consent_to_list=True,
    )
    RegistrationFactory(meeting=held, checked_in=True)
    RegistrationFactory(meeting=held, sector=Registration.Sector.PUBLIC)
    next_week = MeetingFactory(
        project=project, title="Next week", starts_at=timezone.now() + dt.timedelta(days=7), capacity=1
    )
    mine_next = RegistrationFactory(meeting=next_week, user=person, created_at=timezone.now() - dt.timedelta(days=2))
    waiting = RegistrationFactory(meeting=next_week, waitlisted=True, created_at=timezone.now() - dt.timedelta(days=1))
    Invitation.objects.create(email=person.email, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    ReportDownload.objects.create(project=project, user=person, outcome=ReportDownload.Outcome.SERVED)
    AccessLog.objects.create(
        username=person.email, ip_address="192.0.2.1", user_agent="Firefox", http_accept="*/*", path_info="/"
    )
    AccessAttempt.objects.create(
        username=person.email,
        ip_address="192.0.2.1",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/",
        failures_since_start=1,
    )
    CalendarFeedToken.objects.create(user=person, token="a" * 40)
    return {
        "project": project,
        "coordinator": coordinator,
        "person": person,
        "community": community,
        "membership": membership,
        "held": held,
        "mine_held": mine_held,
        "next_week": next_week,
        "mine_next": mine_next,
        "waiting": waiting,
    }


def aggregates(world) -> dict:
    project, community, held = world["project"], world["community"], world["held"]
    report = ProgressReportFactory(project=project, period_start=Q2_2021[0], period_end=Q2_2021[1])
    with translation.override("en"):
        content = report_content(report=report, generated_at=timezone.now())
    report.delete()
    past = {
        meeting_id: rows
        for meeting_id, rows in registrations_by_sector(project=project).items()
        if meeting_id == held.pk
    }
    return {
        "by_sector": past,
        "by_sector_as_of": registrations_by_sector(project=project, as_of=aware(2021, 7, 1)),
        "meeting": dataclasses.asdict(meeting_statistics(held)) | {"meeting": held.pk},
        "members": community_members_over_time(community, months=12, until=dt.date(2021, 12, 31)),
        "attendance": community_attendance(community),
        "report_summary": content.summary,
        "report_meetings": content.meetings,
        "report_communities": content.communities,
        "report_annex": content.annex,
    }


def test_the_confirmation_goes_to_the_former_address_in_their_language(
    world, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    queued: list = []
    capture(monkeypatch, queued, task=ERASURE_NOTICE_TASK, args_only=True)
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=world["person"], erased_by=world["person"])
    ((email, language, token),) = queued
    assert (email, language) == ("erase.me@example.org", "de")
    assert erasure_confirmation_send(email=email, language=language, token=token) == 1
    assert erasure_confirmation_send(email=email, language=language, token=token) == 0  # once per erasure
    (message,) = mailoutbox
    assert message.to == ["erase.me@example.org"] and message.extra_headers["Content-Language"] == "de"


def test_erasure_keeps_every_aggregate(world):
    before = aggregates(world)
    # The figures are about the person too (not all zero, which would prove nothing).
    assert (before["report_summary"].registered, before["report_summary"].attended) == (3, 2)
    assert before["members"][-1].active == 2 and before["attendance"].attended == 2
    result = user_erase(user=world["person"], erased_by=world["person"])
    after = aggregates(world)
    assert after == before
    assert (result.registrations_anonymised, result.memberships_anonymised) == (2, 1)


def test_erasure_removes_the_person_and_anonymises_their_rows(world):
    person = world["person"]
    user_erase(user=person, erased_by=person)
    assert not User.objects.filter(email="erase.me@example.org").exists()
    held = Registration.objects.get(pk=world["mine_held"].pk)
    assert held.user is None and held.anonymised_at is not None
    assert (held.access_needs, held.access_needs_consent_at, held.interpretation_language, held.consent_to_list) == (
        "",
        None,
        "",
        False,
    )
    # What the figures need stays: status, sector, check-in.
    assert (held.status, held.sector, held.checked_in_at is not None) == ("confirmed", "arts", True)
    # The seat next week is given up and goes to the person waiting.
    next_week = Registration.objects.get(pk=world["mine_next"].pk)
    assert next_week.status == "cancelled" and next_week.user is None
    assert Registration.objects.get(pk=world["waiting"].pk).status == "confirmed"
    membership = Membership.objects.get(pk=world["membership"].pk)
    assert (membership.user, membership.status) == (None, "left") and membership.left_at is not None
    # The request never granted is gone; so are the role, invitation, sign-ins and feed.
    assert Membership.objects.filter(community__name="CoP Other").count() == 0
    assert not ProjectRole.objects.filter(role=ProjectRole.Role.PARTNER_STAFF).exists()
    assert not Invitation.objects.filter(email="erase.me@example.org").exists()
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()
    assert not CalendarFeedToken.objects.exists()
    # The download log keeps the row without the person.
    assert ReportDownload.objects.get().user is None


def test_the_sole_coordinator_is_told_to_hand_over_first_and_nothing_changes(world):
    coordinator = world["coordinator"]
    RegistrationFactory(meeting=world["held"], user=coordinator)
    with pytest.raises(ValidationError) as caught:
        user_erase(user=coordinator, erased_by=coordinator)
    assert "ERASE" in caught.value.messages[0] and "only coordinator" in caught.value.messages[0]
    assert User.objects.filter(pk=coordinator.pk).exists()
    assert Registration.objects.filter(user=coordinator).count() == 1
    # With a second coordinator the first may go.
    ProjectRoleFactory(project=world["project"])
    user_erase(user=coordinator, erased_by=coordinator)
    assert not User.objects.filter(pk=coordinator.pk).exists()


def test_a_closed_project_needs_no_hand_over():
    project = ProjectFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 12, 31))
    coordinator = ProjectRoleFactory(project=project).user
    user_erase(user=coordinator, erased_by=None)
    assert not User.objects.filter(pk=coordinator.pk).exists()


def test_the_profile_page_erases_after_the_password(client, world):
    person = world["person"]
    client.force_login(person)
    profile = client.get(reverse("account_profile")).content.decode()
    assert reverse("account_erase") in profile and reverse("account_data_download") in profile
    page = client.get(reverse("account_erase"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    wrong = client.post(reverse("account_erase"), {"password": "not-it"})
    assert wrong.status_code == 200 and "password" in wrong.context["form"].errors
    assert User.objects.filter(pk=person.pk).exists() and Registration.objects.filter(user=person).count() == 2
    done = client.post(reverse("account_erase"), {"password": "pw"})
    assert done.status_code == 302 and done["Location"] == reverse("account_erased")
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(pk=person.pk).exists()
    assert client.get(reverse("account_erased")).status_code == 200


def test_the_profile_page_refuses_the_sole_coordinator(client, world):
    coordinator = world["coordinator"]
    client.force_login(coordinator)
    page = client.get(reverse("account_erase")).content.decode()
    assert "only coordinator" in page and 'name="password"' not in page
    response = client.post(reverse("account_erase"), {"password": "pw"})
    assert response.status_code == 200 and User.objects.filter(pk=coordinator.pk).exists()


def test_the_admin_erases_a_request_received_by_letter(client, world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    person = world["person"]
    url = reverse("admin:portal_user_changelist")
    data = {"action": "erase_personal_data", "_selected_action": [person.pk]}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and "erase.me@example.org" in confirm.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    done = client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    assert Registration.objects.filter(pk=world["mine_held"].pk, user=None).exists()


def test_a_coordinator_cannot_use_the_admin_erasure(client, world):
    client.force_login(world["coordinator"])
    url = reverse("admin:portal_user_changelist")
    response = client.post(
        url, {"action": "erase_personal_data", "_selected_action": [world["person"].pk], "confirm": "yes"}
    )
    assert response.status_code in (302, 403, 404)
    assert User.objects.filter(pk=world["person"].pk).exists()


def test_the_admins_plain_delete_anonymises_the_rows_too(client, world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    person = world["person"]
    response = client.post(reverse("admin:portal_user_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=person.pk).exists()
    held = Registration.objects.get(pk=world["mine_held"].pk)
    assert held.user is None and held.anonymised_at is not None and held.access_needs == ""
    assert Membership.objects.get(pk=world["membership"].pk).status == "left"
