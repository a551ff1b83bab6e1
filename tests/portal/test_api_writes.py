"""The API's writes (portal/api/writes.py): the browser's forms, services and permissions, as JSON.

A member registers and cancels; a coordinator schedules and changes meetings and
deliverables. Each write must do exactly what the browser's does: the same outbox message,
the same change-log entry, the same refusals (404 for who may not see, 403 for who may
see but not do), and form errors as problem+json 400 with the messages per field.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIRequestFactory, force_authenticate

from events.models import Meeting, Registration
from events.services.registrations import NOTICE_TASK, REGISTERED_TASK
from outbox.models import Message
from portal.api import views as api_views
from portal.api import writes
from portal.api.scopes import MANAGE, READ, REGISTER
from projects.models import Deliverable
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.worlds import built_once

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def world(django_db_blocker):
    with built_once(django_db_blocker):
        project = ProjectFactory(slug="writes-project", end_date=dt.date(2030, 12, 31))
        other = ProjectFactory(slug="writes-other")
        private = ProjectFactory(slug="writes-private", is_public=False)
        coordinator = ProjectRoleFactory(project=project).user
        other_coordinator = ProjectRoleFactory(project=other).user
        partner = ProjectRoleFactory(project=project, partner_staff=True)
        funder = ProjectRoleFactory(project=project, funder_officer=True).user
        soon = timezone.now() + dt.timedelta(days=10)
        meeting = MeetingFactory(project=project, capacity=1, starts_at=soon)
        twin = MeetingFactory(project=project, capacity=1, starts_at=soon)
        no_waitlist = MeetingFactory(project=project, capacity=1, starts_at=soon, waitlist_enabled=False)
        closed = MeetingFactory(
            project=project, starts_at=soon, registration_closes_at=timezone.now() - dt.timedelta(days=1)
        )
        members_community = CommunityFactory(project=project)
        members_only = MeetingFactory(
            project=project, community=members_community, audience=Meeting.Audience.MEMBERS, starts_at=soon
        )
        hidden = MeetingFactory(project=private, starts_at=soon)
        partners_only = MeetingFactory(project=project, audience=Meeting.Audience.PARTNERS, starts_at=soon)
        work_package = WorkPackageFactory(project=project, number=3)
        deliverable = DeliverableFactory(
            project=project, lead_organisation=partner.organisation, work_package=work_package
        )
        outsider_org = ParticipationFactory(project=other).organisation
        yield {
            "project": project,
            "other": other,
            "private": private,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "partner": partner.user,
            "partner_org": partner.organisation,
            "outsider_org": outsider_org,
            "funder": funder,
            "meeting": meeting,
            "twin": twin,
            "no_waitlist": no_waitlist,
            "closed": closed,
            "members_community": members_community,
            "members_only": members_only,
            "hidden": hidden,
            "partners_only": partners_only,
            "work_package": work_package,
            "deliverable": deliverable,
        }


def _send(client: Client, method: str, url: str, body: Any = None):
    if method == "get" or body is None:
        return getattr(client, method)(url)
    payload = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(client, method)(url, **payload)


def registration_url(meeting: Meeting) -> str:
    return reverse("api:meeting-registration", kwargs={"pk": meeting.pk})


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    return body


# --- Registering ------------------------------------------------------------------------------


def test_a_member_registers_and_sees_and_cancels_the_registration(db, client, world):
    member = UserFactory()
    client.force_login(member)
    url = registration_url(world["meeting"])
    response = _send(client, "post", url, {"sector": "arts", "consent_to_list": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["position"], body["sector"], body["consent_to_list"]) == (
        "confirmed",
        None,
        "arts",
        True,
    )
    registration = Registration.objects.get(pk=body["id"])
    assert registration.user == member and registration.meeting == world["meeting"]

    assert client.get(url).json()["id"] == registration.pk

    assert client.delete(url).status_code == 204
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    _problem(client.get(url), 404)
    _problem(client.delete(url), 404)


def test_a_full_meeting_puts_the_second_on_the_waiting_list_and_a_cancellation_moves_them_up(db, client, world):
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    url = registration_url(world["meeting"])
    answers = []
    for person in (first, second, third):
        client.force_login(person)
        answers.append(_send(client, "post", url, {}).json())
    assert [(a["status"], a["position"]) for a in answers] == [
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    client.force_login(first)
    assert client.delete(url).status_code == 204
    client.force_login(third)
    assert client.get(url).json()["position"] == 1
    assert Registration.objects.get(pk=answers[1]["id"]).status == Registration.Status.CONFIRMED


def test_registering_twice_is_a_conflict(db, client, world):
    client.force_login(UserFactory())
    url = registration_url(world["twin"])
    assert _send(client, "post", url, {}).status_code == 201
    body = _problem(_send(client, "post", url, {}), 409)
    assert body["detail"] == "You are already registered for this meeting."
    assert Registration.objects.filter(meeting=world["twin"]).count() == 1


def test_a_closed_or_full_meeting_refuses_with_the_services_message(db, client, world):
    client.force_login(UserFactory())
    body = _problem(_send(client, "post", registration_url(world["closed"]), {}), 409)
    assert body["detail"].startswith("Registration closed on")
    RegistrationFactory(meeting=world["no_waitlist"])
    body = _problem(_send(client, "post", registration_url(world["no_waitlist"]), {}), 409)
    assert body["detail"] == "This meeting is full and has no waiting list."
    assert not Registration.objects.filter(meeting__in=[world["closed"], world["no_waitlist"]], user__isnull=True)


def test_outside_the_audience_is_403_and_a_meeting_not_seen_is_404(db, client, world):
    # A funder officer sees the partners' meeting of the project, but is not among its partners.
    client.force_login(world["funder"])
    body = _problem(_send(client, "post", registration_url(world["partners_only"]), {}), 403)
    assert body["detail"] == "This meeting is for the project's partners only."
    client.force_login(UserFactory())
    # Members only, or a private project's: not seen, so not found (as the browser's register page).
    _problem(_send(client, "post", registration_url(world["members_only"]), {}), 404)
    _problem(_send(client, "post", registration_url(world["partners_only"]), {}), 404)
    _problem(_send(client, "post", registration_url(world["hidden"]), {}), 404)
    _problem(_send(client, "post", reverse("api:meeting-registration", kwargs={"pk": 10**9}), {}), 404)
    refused = [world["members_only"], world["hidden"], world["partners_only"]]
    assert not Registration.objects.filter(meeting__in=refused).exists()


def test_a_member_of_the_community_may_register_for_its_members_only_meeting(db, client, world):
    member = MembershipFactory(community=world["members_community"]).user
    client.force_login(member)
    assert _send(client, "post", registration_url(world["members_only"]), {}).status_code == 201


def test_the_registration_form_validates_as_in_the_browser(db, client, world):
    client.force_login(UserFactory())
    url = registration_url(world["meeting"])
    body = _problem(_send(client, "post", url, {"access_needs": "Step-free access"}), 400)
    assert body["errors"] == {
        "access_needs_consent": [
            "To store your access needs we need your consent: tick the box, or leave the access needs empty."
        ]
    }
    body = _problem(_send(client, "post", url, {"interpretation_language": "zzz", "sector": "nobody"}), 400)
    assert set(body["errors"]) == {"sector"}  # the type check first: "nobody" is not a sector
    body = _problem(_send(client, "post", url, {"interpretation_language": "zzz"}), 400)
    assert set(body["errors"]) == {"interpretation_language"}
    body = _problem(_send(client, "post", url, {"consent_to_list": "yes"}), 400)
    assert set(body["errors"]) == {"consent_to_list"}
    _problem(_send(client, "post", url, ["not", "an", "object"]), 400)
    assert not Registration.objects.filter(meeting=world["meeting"]).exists()


def test_access_needs_with_consent_are_stored(db, client, world):
    client.force_login(UserFactory())
    body = _send(
        client,
        "post",
        registration_url(world["meeting"]),
        {"access_needs": " Step-free access ", "access_needs_consent": True, "interpretation_language": "ukr"},
    ).json()
    registration = Registration.objects.get(pk=body["id"])
    assert registration.access_needs == "Step-free access"
    assert registration.access_needs_consent_at is not None
    assert registration.interpretation_language == "ukr"


def test_the_sector_defaults_to_the_profiles_as_on_the_browsers_form(db, client, world):
    member = UserFactory()
    if not hasattr(member, "sector"):
        pytest.skip("no sector in the profile")
    member.sector = Registration.Sector.ACADEMIC
    member.save(update_fields=["sector"])
    client.force_login(member)
    assert _send(client, "post", registration_url(world["meeting"]), {}).json()["sector"] == "academic"


def test_the_api_queues_the_same_e_mail_as_the_browser(db, client, world):
    """The same task with the same arguments: the e-mail is then the one the browser's registration sends."""
    browser_person, api_person = UserFactory(), UserFactory()
    client.force_login(browser_person)
    response = client.post(
        reverse("registrations:register", kwargs={"pk": world["meeting"].pk}),
        {"sector": "public", "access_needs": "", "interpretation_language": ""},
    )
    assert response.status_code == 302
    client.force_login(api_person)
    assert _send(client, "post", registration_url(world["twin"]), {"sector": "public"}).status_code == 201
    by_api = Registration.objects.get(user=api_person)
    messages = {
        row.args[1]: (row.task, row.args[0], row.kwargs)
        for row in Message.objects.filter(task=REGISTERED_TASK, args__1__in=[browser_person.pk, api_person.pk])
    }
    assert messages[browser_person.pk] == (REGISTERED_TASK, world["meeting"].pk, {})
    assert messages[api_person.pk] == (REGISTERED_TASK, world["twin"].pk, {})
    # And on cancelling, the same "cancelled" notice as the browser's cancel button.
    assert client.delete(registration_url(world["twin"])).status_code == 204
    assert Message.objects.filter(task=NOTICE_TASK, args=[by_api.pk, "cancelled"]).count() == 1


# --- Who may write at all ---------------------------------------------------------------------


def test_anonymous_writes_are_401_problems_with_a_challenge(db, client, world):
    for method, url in [
        ("post", registration_url(world["meeting"])),
        ("delete", registration_url(world["meeting"])),
        ("get", registration_url(world["meeting"])),
        ("post", reverse("api:meeting-list")),
        ("patch", reverse("api:meeting-detail", kwargs={"pk": world["meeting"].pk})),
        ("post", reverse("api:deliverable-list")),
        ("patch", reverse("api:deliverable-detail", kwargs={"pk": world["deliverable"].pk})),
    ]:
        response = _send(client, method, url, {})
        _problem(response, 401)
        assert response["WWW-Authenticate"]
    assert not Registration.objects.filter(meeting=world["meeting"]).exists()


def test_a_session_write_needs_the_csrf_token(db, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    url = registration_url(world["meeting"])
    body = _problem(_send(client, "post", url, {}), 403)
    assert "CSRF" in body["detail"]
    assert not Registration.objects.filter(meeting=world["meeting"]).exists()
    # With the token, as a page's script would send it (cookie and header).
    client.get(reverse("registrations:register", kwargs={"pk": world["meeting"].pk}))
    token = client.cookies["csrftoken"].value
    response = client.post(url, data="{}", content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content


class FakeToken:
    """What the personal token offers the API (portal/api/scopes.py): ``allows(scope)``."""

    def __init__(self, *scopes: str) -> None:
        self.scopes = set(scopes)

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


def _with_token(view, method: str, url: str, user, token: FakeToken, body: Any = None, **kwargs: Any):
    factory = APIRequestFactory()
    request = getattr(factory, method)(url, body if body is not None else {}, format="json")
    force_authenticate(request, user=user, token=token)
    return view(request, **kwargs).render()


def test_a_token_without_the_register_scope_cannot_register(db, world):
    view = writes.MeetingRegistrationView.as_view()
    url = registration_url(world["meeting"])
    member = UserFactory()
    response = _with_token(view, "post", url, member, FakeToken(READ, MANAGE), pk=world["meeting"].pk)
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not Registration.objects.filter(meeting=world["meeting"]).exists()
    response = _with_token(view, "post", url, member, FakeToken(REGISTER), pk=world["meeting"].pk)
    assert response.status_code == 201
    response = _with_token(view, "delete", url, member, FakeToken(READ), pk=world["meeting"].pk)
    assert response.status_code == 403
    # Reading it back: either scope (what the browser shows, or what a registering client needs).
    for token, status in [(FakeToken(READ), 200), (FakeToken(REGISTER), 200), (FakeToken(MANAGE), 403)]:
        assert _with_token(view, "get", url, member, token, pk=world["meeting"].pk).status_code == status
    assert Registration.objects.get(meeting=world["meeting"], user=member).status == "confirmed"


def test_a_token_without_the_manage_scope_cannot_schedule_or_change(db, world):
    create = api_views.MeetingViewSet.as_view({"post": "create"})
    change = api_views.DeliverableViewSet.as_view({"patch": "partial_update"})
    coordinator = world["coordinator"]
    body = {**MEETING, "project": world["project"].slug}
    response = _with_token(create, "post", "/api/v1/meetings/", coordinator, FakeToken(READ, REGISTER), body)
    assert response.status_code == 403
    assert not Meeting.objects.filter(title=MEETING["title"]).exists()
    deliverable = world["deliverable"]
    response = _with_token(
        change,
        "patch",
        f"/api/v1/deliverables/{deliverable.pk}/",
        coordinator,
        FakeToken(READ),
        {"title": "Changed"},
        pk=deliverable.pk,
    )
    assert response.status_code == 403
    response = _with_token(create, "post", "/api/v1/meetings/", coordinator, FakeToken(MANAGE), body)
    assert response.status_code == 201, response.data


# --- Meetings -----------------------------------------------------------------------------------

MEETING = {
    "title": "API workshop on housing",
    "kind": "workshop",
    "audience": "public",
    "starts_at": "2030-03-02T10:00:00+01:00",
    "ends_at": "2030-03-02T12:00:00+01:00",
    "timezone": "Europe/Berlin",
    "format": "online",
    "language": "en",
    "capacity": 10,
}


def test_a_coordinator_schedules_a_meeting_with_the_same_change_log_as_the_browser(db, client, world):
    client.force_login(world["coordinator"])
    response = _send(client, "post", reverse("api:meeting-list"), {**MEETING, "project": world["project"].slug})
    assert response.status_code == 201, response.content
    body = response.json()
    meeting = Meeting.objects.get(pk=body["id"])
    assert (body["title"], body["project"], body["free_seats"], body["status"]) == (
        MEETING["title"],
        "writes-project",
        10,
        "scheduled",
    )
    assert meeting.starts_at == dt.datetime(2030, 3, 2, 9, tzinfo=dt.UTC)
    [entry] = LogEntry.objects.filter(object_pk=str(meeting.pk), content_type__model="meeting")
    # The browser's form, the same values: the same entry but for the row's own id.
    client.post(
        reverse("workspace:meeting_create", kwargs={"slug": world["project"].slug}),
        {
            **MEETING,
            "title": "Browser workshop on housing",
            "starts_at": "2030-03-02T10:00",
            "ends_at": "2030-03-02T12:00",
            "waitlist_enabled": "on",
        },
    )
    browser = Meeting.objects.get(title="Browser workshop on housing")
    [browser_entry] = LogEntry.objects.filter(object_pk=str(browser.pk), content_type__model="meeting")
    assert (entry.action, entry.actor, entry.additional_data["project_id"]) == (
        browser_entry.action,
        browser_entry.actor,
        browser_entry.additional_data["project_id"],
    )
    differing = {key for key in entry.changes if entry.changes[key] != browser_entry.changes.get(key)} - {
        "id",
        "title",
        "created_at",
    }
    assert not differing, differing


def test_meeting_form_errors_are_problems_per_field_and_nothing_is_written(db, client, world):
    client.force_login(world["coordinator"])
    before = Meeting.objects.count()
    bad = {**MEETING, "project": world["project"].slug, "ends_at": "2030-03-02T09:00:00+01:00", "title": ""}
    body = _problem(_send(client, "post", reverse("api:meeting-list"), bad), 400)
    assert body["errors"]["ends_at"] == ["The meeting cannot end before it starts."]
    assert body["errors"]["title"] == ["Give the title in English, in German or in both."]
    body = _problem(_send(client, "post", reverse("api:meeting-list"), {**bad, "capacity": "ten", "kind": 3}), 400)
    assert {"capacity", "kind"} <= set(body["errors"])
    body = _problem(
        _send(client, "post", reverse("api:meeting-list"), {**MEETING, "project": "writes-project", "timezone": "X"}),
        400,
    )
    assert set(body["errors"]) == {"timezone"}
    body = _problem(
        _send(
            client,
            "post",
            reverse("api:meeting-list"),
            {**MEETING, "project": "writes-project", "community": "no-such-community"},
        ),
        400,
    )
    assert set(body["errors"]) == {"community"}
    assert Meeting.objects.count() == before


def test_scheduling_in_a_project_not_ones_own_is_refused_by_the_access_policy(db, client, world):
    before = Meeting.objects.count()
    client.force_login(world["other_coordinator"])
    _problem(_send(client, "post", reverse("api:meeting-list"), {**MEETING, "project": "writes-project"}), 403)
    _problem(_send(client, "post", reverse("api:meeting-list"), {**MEETING, "project": "writes-private"}), 404)
    _problem(_send(client, "post", reverse("api:meeting-list"), {**MEETING, "project": "no-such-project"}), 404)
    client.force_login(world["funder"])
    _problem(_send(client, "post", reverse("api:meeting-list"), {**MEETING, "project": "writes-project"}), 403)
    assert Meeting.objects.count() == before


def test_a_coordinator_changes_a_meeting_with_the_same_change_log_and_notices_as_the_browser(db, client, world):
    meeting = world["twin"]
    RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True)
    client.force_login(world["coordinator"])
    url = reverse("api:meeting-detail", kwargs={"pk": meeting.pk})
    response = _send(client, "patch", url, {"capacity": 2, "venue": "Rathaus"})
    assert response.status_code == 200, response.content
    assert (response.json()["capacity"], response.json()["venue"], response.json()["free_seats"]) == (2, "Rathaus", 0)
    meeting.refresh_from_db()
    assert (meeting.capacity, meeting.venue, meeting.title) == (2, "Rathaus", world["twin"].title)
    # More seats went to the waiting list, as in the browser.
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    [entry] = LogEntry.objects.filter(object_pk=str(meeting.pk), content_type__model="meeting")
    assert entry.actor == world["coordinator"]
    assert set(entry.changes) == {"capacity", "venue", "sequence"}
    assert entry.additional_data == {"project_id": world["project"].pk, "meeting_id": meeting.pk}
    # A change of place: the change notice to everyone registered (the service's own task).
    assert Message.objects.filter(task="events.send_meeting_notices", args__0=meeting.pk).count() == 1


def test_a_meeting_change_is_validated_by_the_browsers_form(db, client, world):
    meeting = world["meeting"]
    client.force_login(world["coordinator"])
    url = reverse("api:meeting-detail", kwargs={"pk": meeting.pk})
    body = _problem(_send(client, "patch", url, {"capacity": 0}), 400)
    assert set(body["errors"]) == {"capacity"}
    body = _problem(_send(client, "patch", url, {"ends_at": "2020-01-01T00:00:00Z"}), 400)
    assert set(body["errors"]) == {"ends_at"}
    _problem(_send(client, "put", url, {"capacity": 5}), 405)
    meeting.refresh_from_db()
    assert meeting.capacity == 1
    assert not LogEntry.objects.filter(object_pk=str(meeting.pk), content_type__model="meeting").exists()


def test_capacity_below_the_confirmed_seats_is_treated_as_the_browser_treats_it(db, client, world):
    """The browser's form and service let a coordinator lower the capacity below the seats already
    given (nobody loses a seat; newcomers wait): the API does the same, by the same form and service."""
    client.force_login(world["coordinator"])
    soon = timezone.now() + dt.timedelta(days=10)
    by_browser, by_api = (MeetingFactory(project=world["project"], capacity=2, starts_at=soon) for _ in range(2))
    for meeting in (by_browser, by_api):
        RegistrationFactory.create_batch(2, meeting=meeting)
    initial = writes.MeetingForm.initial_for(by_browser)
    form = {
        **{key: value for key, value in initial.items() if value is not None and key != "community"},
        "starts_at": timezone.localtime(by_browser.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(by_browser.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "waitlist_enabled": "on",
        "capacity": 1,
    }
    browser = client.post(reverse("workspace:meeting_edit", kwargs={"pk": by_browser.pk}), form)
    api = _send(client, "patch", reverse("api:meeting-detail", kwargs={"pk": by_api.pk}), {"capacity": 1})
    assert (browser.status_code, api.status_code) == (302, 200)
    assert api.json()["free_seats"] == 0
    for meeting in (by_browser, by_api):
        meeting.refresh_from_db()
        assert meeting.capacity == 1
        assert Registration.objects.filter(meeting=meeting, status="confirmed").count() == 2


def test_changing_a_meeting_is_refused_as_in_the_browser(db, client, world):
    url = reverse("api:meeting-detail", kwargs={"pk": world["meeting"].pk})
    for person, status in [
        (world["other_coordinator"], 403),  # a public project's meeting: seen, not managed
        (world["funder"], 403),
        (UserFactory(), 403),
    ]:
        client.force_login(person)
        _problem(_send(client, "patch", url, {"title": "Hijacked"}), status)
    client.force_login(world["coordinator"])
    _problem(_send(client, "patch", reverse("api:meeting-detail", kwargs={"pk": world["hidden"].pk}), {}), 404)
    assert not Meeting.objects.filter(title="Hijacked").exists()


# --- Deliverables ---------------------------------------------------------------------------------

DELIVERABLE = {"code": "D7.1", "title": "Toolkit for welcome desks", "kind": "toolkit", "dissemination": "public"}


def test_a_coordinator_adds_a_deliverable_with_its_status_history_and_change_log(db, client, world):
    client.force_login(world["coordinator"])
    response = _send(
        client,
        "post",
        reverse("api:deliverable-list"),
        {
            **DELIVERABLE,
            "project": "writes-project",
            "due_date": "2030-06-30",
            "work_package": 3,
            "lead_organisation": world["partner_org"].pk,
            "description": "For the desks.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["work_package"], body["lead_organisation"], body["status"]) == (
        "D7.1",
        3,
        world["partner_org"].pk,
        "planned",
    )
    deliverable = Deliverable.objects.get(pk=body["id"])
    assert deliverable.description == "For the desks."
    [entry] = LogEntry.objects.filter(object_pk=str(deliverable.pk), content_type__model="deliverable")
    assert (entry.action, entry.actor, entry.additional_data) == (
        LogEntry.Action.CREATE,
        world["coordinator"],
        {"project_id": world["project"].pk},
    )


def test_deliverable_rules_are_the_forms(db, client, world):
    client.force_login(world["coordinator"])
    before = Deliverable.objects.count()
    url = reverse("api:deliverable-list")
    base = {**DELIVERABLE, "project": "writes-project", "due_date": "2030-06-30"}
    # After the project's end: the form asks for the confirmation.
    body = _problem(_send(client, "post", url, {**base, "due_date": "2031-06-30"}), 400)
    assert set(body["errors"]) == {"due_date"}
    # Not a partner of the project; a work package it does not have; a code it already uses.
    body = _problem(_send(client, "post", url, {**base, "lead_organisation": world["outsider_org"].pk}), 400)
    assert set(body["errors"]) == {"lead_organisation"}
    body = _problem(_send(client, "post", url, {**base, "work_package": 99}), 400)
    assert set(body["errors"]) == {"work_package"}
    body = _problem(_send(client, "post", url, {**base, "code": world["deliverable"].code}), 400)
    assert set(body["errors"]) == {"code"}
    body = _problem(_send(client, "post", url, {"project": "writes-project"}), 400)
    assert {"code", "kind", "dissemination", "due_date"} <= set(body["errors"])
    assert Deliverable.objects.count() == before
    response = _send(client, "post", url, {**base, "due_date": "2031-06-30", "confirm_due_after_end": True})
    assert response.status_code == 201, response.content


def test_deliverable_progress_and_plan_as_in_the_browser(db, client, world):
    deliverable = world["deliverable"]
    url = reverse("api:deliverable-detail", kwargs={"pk": deliverable.pk})
    # The lead organisation's staff record progress, not the plan.
    client.force_login(world["partner"])
    _problem(_send(client, "patch", url, {"title": "Renamed"}), 403)
    body = _problem(_send(client, "patch", url, {"status": "submitted"}), 400)
    assert body["errors"] == {"submitted_on": ["A submitted or approved deliverable needs the date it was submitted."]}
    response = _send(client, "patch", url, {"status": "submitted", "submitted_on": "2026-01-10"})
    assert response.status_code == 200, response.content
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.title, deliverable.work_package_id) == (
        "submitted",
        world["deliverable"].title,
        world["work_package"].pk,
    )
    assert deliverable.status_changes.count() == 1
    [entry] = LogEntry.objects.filter(object_pk=str(deliverable.pk), content_type__model="deliverable")
    assert entry.actor == world["partner"] and set(entry.changes) >= {"status", "submitted_on"}
    # The coordinator changes the plan; the rest stays.
    client.force_login(world["coordinator"])
    response = _send(client, "patch", url, {"title": "Renamed", "work_package": None})
    assert response.status_code == 200, response.content
    deliverable.refresh_from_db()
    assert (deliverable.title, deliverable.work_package_id, deliverable.status) == ("Renamed", None, "submitted")
    # Others: 403 when they see it (a public deliverable of a public project), nothing changes.
    for person in (world["other_coordinator"], world["funder"]):
        client.force_login(person)
        _problem(_send(client, "patch", url, {"description": "Hijacked"}), 403)
    client.force_login(world["other_coordinator"])
    _problem(
        _send(
            client,
            "post",
            reverse("api:deliverable-list"),
            {**DELIVERABLE, "project": "writes-project", "due_date": "2030-06-30"},
        ),
        403,
    )
    deliverable.refresh_from_db()
    assert deliverable.description != "Hijacked"


def test_a_rule_only_the_service_knows_comes_back_per_field(db, client, world):
    """The same title at the same time: the database's rule, said by the service, next to the title."""
    client.force_login(world["coordinator"])
    body = {**MEETING, "project": "writes-project", "title": "Twice the same"}
    assert _send(client, "post", reverse("api:meeting-list"), body).status_code == 201
    problem = _problem(_send(client, "post", reverse("api:meeting-list"), body), 400)
    assert set(problem["errors"]) == {"title"}
    assert Meeting.objects.filter(title="Twice the same").count() == 1


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "-1", "0"])
def test_odd_ids_are_404_problems(db, client, world, pk):
    client.force_login(world["coordinator"])
    for method, url in [
        ("patch", f"/api/v1/meetings/{pk}/"),
        ("patch", f"/api/v1/deliverables/{pk}/"),
        ("post", f"/api/v1/meetings/{pk}/registration/"),
        ("delete", f"/api/v1/meetings/{pk}/registration/"),
    ]:
        _problem(_send(client, method, url, {}), 404)


def test_a_facilitator_changes_their_communitys_meeting_but_cannot_move_it_out(db, client, world):
    """As on the workspace's form: a facilitator manages their community's meetings, and must keep them in it."""
    community = world["members_community"]
    facilitator = MembershipFactory(community=community, role="facilitator").user
    meeting = world["members_only"]
    client.force_login(facilitator)
    url = reverse("api:meeting-detail", kwargs={"pk": meeting.pk})
    response = _send(client, "patch", url, {"agenda": "Welcome; housing; next steps"})
    assert response.status_code == 200, response.content
    body = _problem(_send(client, "patch", url, {"community": None}), 400)
    assert set(body["errors"]) == {"community"}
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.community_id) == ("Welcome; housing; next steps", community.pk)
    # Scheduling a meeting of the project is the coordinators' (can_create_meeting, as for the workspace's form).
    _problem(_send(client, "post", reverse("api:meeting-list"), {**MEETING, "project": "writes-project"}), 403)
