"""A member's pages (portal/registrations): join and leave, register, the outcome, My meetings, cancel."""

from __future__ import annotations

import datetime as dt

import pytest
import segno
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from events.checkin_codes import checkin_code
from events.models import Community, Meeting, Membership, Registration
from events.services.registrations import NOTICE_TASK
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.outbox_capture import capture
from tests.portal.test_html_validity import check_ids, parse_strictly
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def notices(monkeypatch) -> list[tuple[int, str]]:
    sent: list[tuple[int, str]] = []
    return capture(monkeypatch, sent, task=NOTICE_TASK, args_only=True)


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def soon(days: float = 7) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def upcoming(**kwargs) -> Meeting:
    kwargs.setdefault("starts_at", soon())
    return MeetingFactory(**kwargs)


def register_url(meeting: Meeting) -> str:
    return reverse("registrations:register", args=[meeting.pk])


def registration_url(registration: Registration) -> str:
    return reverse("registrations:registration", args=[registration.pk])


def meeting_url(meeting: Meeting) -> str:
    return reverse("calendar:meeting", args=[meeting.pk])


FORM = {
    "sector": "arts",
    "access_needs": "Sign language",
    "access_needs_consent": "on",
    "interpretation_language": "ukr",
}


def valid_html(response, where: str) -> str:
    body = response.content.decode()
    check_ids(parse_strictly(body, where), where)
    return body


# --- Communities -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "policy, status, message",
    [
        (Community.Policy.OPEN, Membership.Status.ACTIVE, "you are now a member"),
        (Community.Policy.APPROVAL, Membership.Status.PENDING, "request to join"),
    ],
)
def test_joining_from_the_community_page(client, policy, status, message):
    community = CommunityFactory(membership_policy=policy)
    # A coordinator of the project may approve requests (none: no request, see below).
    ProjectRoleFactory(project=community.project)
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("calendar:community", args=[community.slug])).content.decode()
    assert reverse("registrations:community_join", args=[community.slug]) in page
    response = client.post(reverse("registrations:community_join", args=[community.slug]))
    assert response.status_code == 302
    assert Membership.objects.get(user=user, community=community).status == status
    assert message in flash(response)[0]


def test_an_invitation_community_explains_and_refuses(client):
    community = CommunityFactory(membership_policy=Community.Policy.INVITATION)
    client.force_login(UserFactory())
    page = client.get(reverse("calendar:community", args=[community.slug])).content.decode()
    assert "by invitation only" in page
    assert reverse("registrations:community_join", args=[community.slug]) not in page
    response = client.post(reverse("registrations:community_join", args=[community.slug]))
    assert "by invitation only" in flash(response)[0]
    assert not Membership.objects.exists()


def test_leaving_from_the_community_page(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = client.get(reverse("calendar:community", args=[membership.community.slug])).content.decode()
    assert "Leave the community" in page
    response = client.post(reverse("registrations:community_leave", args=[membership.community.slug]))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.LEFT
    assert "You have left" in flash(response)[0]


def test_anonymous_visitors_are_asked_to_log_in(client):
    community = CommunityFactory(membership_policy=Community.Policy.OPEN)
    page = client.get(reverse("calendar:community", args=[community.slug])).content.decode()
    assert "Log in to join this community" in page
    response = client.post(reverse("registrations:community_join", args=[community.slug]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- Registering -----------------------------------------------------------------------------------


def test_register_from_the_meeting_page_and_see_the_qr_code(client):
    meeting = upcoming(capacity=5)
    user = UserFactory()
    client.force_login(user)
    page = client.get(meeting_url(meeting)).content.decode()
    assert register_url(meeting) in page
    form_page = client.get(register_url(meeting))
    body = valid_html(form_page, "register")
    # The consent box is there and not ticked.
    assert 'name="consent_to_list"' in body and "checked" not in body.split('name="consent_to_list"')[1].split(">")[0]
    response = client.post(register_url(meeting), FORM)
    registration = Registration.objects.get(user=user)
    assert response.status_code == 302 and response["Location"] == registration_url(registration)
    assert (registration.status, registration.sector, registration.consent_to_list) == ("confirmed", "arts", False)
    outcome = client.get(registration_url(registration))
    body = valid_html(outcome, "registration")
    assert "Confirmed" in body
    scan = "http://testserver" + reverse("attendance:scan", args=[checkin_code(registration)])
    expected = segno.make(scan, error="m").svg_inline(scale=4)
    path_data = expected.split(' d="')[1].split('"')[0]
    assert path_data in body  # the QR code encodes the absolute check-in address


def test_a_full_meeting_shows_the_position(client):
    meeting = upcoming(capacity=1)
    RegistrationFactory(meeting=meeting)
    user = UserFactory()
    client.force_login(user)
    assert "Join the waiting list" in client.get(meeting_url(meeting)).content.decode()
    response = client.post(register_url(meeting), FORM)
    assert "number 1 in line" in flash(response)[0]
    registration = Registration.objects.get(user=user)
    body = client.get(registration_url(registration)).content.decode()
    assert "number 1 in line" in body and "<svg" not in body
    assert "number 1 in line" in client.get(meeting_url(meeting)).content.decode()


def test_full_without_a_waitlist_says_so(client):
    meeting = upcoming(capacity=1, waitlist_enabled=False)
    RegistrationFactory(meeting=meeting)
    client.force_login(UserFactory())
    assert "full and has no waiting list" in client.get(meeting_url(meeting)).content.decode()
    response = client.post(register_url(meeting), FORM)
    assert response.status_code == 200
    assert "full and has no waiting list" in response.content.decode()
    assert Registration.objects.count() == 1


def test_registering_twice_leads_to_the_registration(client):
    meeting = upcoming()
    registration = RegistrationFactory(meeting=meeting)
    client.force_login(registration.user)
    response = client.post(register_url(meeting), FORM)
    assert response.status_code == 302 and response["Location"] == registration_url(registration)
    assert "already registered" in flash(response)[0]
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "meeting_kwargs, message",
    [
        ({"registration_closes_at": timezone.now() - dt.timedelta(hours=1)}, "Registration closed on"),
        ({"starts_at": timezone.now() - dt.timedelta(days=1)}, "already started or taken place"),
        ({"status": Meeting.Status.CANCELLED}, "This meeting has been cancelled."),
    ],
)
def test_closed_meetings_explain_and_write_nothing(client, meeting_kwargs, message):
    meeting = upcoming(**meeting_kwargs)
    client.force_login(UserFactory())
    assert message in client.get(meeting_url(meeting)).content.decode()
    response = client.post(register_url(meeting), FORM)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_members_meeting_tells_a_coordinator_why_not(client):
    community = CommunityFactory()
    meeting = upcoming(project=community.project, community=community, audience=Meeting.Audience.MEMBERS)
    client.force_login(ProjectRoleFactory(project=community.project).user)
    response = client.get(register_url(meeting))
    assert response.status_code == 200 and "Join the community to register" in response.content.decode()


def test_a_hidden_meeting_is_not_found(client):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    meeting = upcoming(project=community.project, community=community, audience=Meeting.Audience.MEMBERS)
    client.force_login(UserFactory())
    assert client.get(register_url(meeting)).status_code == 404
    assert client.post(register_url(meeting), FORM).status_code == 404


# --- Cancelling --------------------------------------------------------------------------------


def test_cancelling_gives_the_seat_to_the_next_in_line(client, notices, django_capture_on_commit_callbacks):
    meeting = upcoming(capacity=1)
    mine = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True)
    client.force_login(mine.user)
    assert "Cancel my registration" in client.get(meeting_url(meeting)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations:registration_cancel", args=[mine.pk]), {"next": meeting_url(meeting)}
        )
    assert response.status_code == 302 and response["Location"] == meeting_url(meeting)
    assert "The seat went to the next person on the waiting list." in flash(response)[0]
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert notices == [(mine.pk, "cancelled"), (waiting.pk, "promoted")]


def test_cancel_refuses_outside_redirects(client):
    mine = RegistrationFactory(meeting=upcoming())
    client.force_login(mine.user)
    response = client.post(
        reverse("registrations:registration_cancel", args=[mine.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("registrations:my_meetings")


def test_after_the_start_the_attendee_cannot_cancel(client):
    mine = RegistrationFactory(meeting=upcoming(starts_at=timezone.now() - dt.timedelta(minutes=10)))
    client.force_login(mine.user)
    assert "Cancel my registration" not in client.get(registration_url(mine)).content.decode()
    response = client.post(reverse("registrations:registration_cancel", args=[mine.pk]))
    assert "can no longer be cancelled" in flash(response)[0]
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED


def test_other_peoples_registrations_are_not_found(client):
    registration = RegistrationFactory(meeting=upcoming())
    client.force_login(UserFactory())
    assert client.get(registration_url(registration)).status_code == 404
    assert client.post(reverse("registrations:registration_cancel", args=[registration.pk])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_coordinator_sees_and_cancels_a_registration(client):
    registration = RegistrationFactory(meeting=upcoming())
    client.force_login(ProjectRoleFactory(project=registration.meeting.project).user)
    assert client.get(registration_url(registration)).status_code == 200
    client.post(reverse("registrations:registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


# --- The participant list ------------------------------------------------------------------------


def test_attendees_see_only_those_who_consented(client):
    meeting = upcoming()
    mine = RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, consent_to_list=True, user=UserFactory(last_name="Listed-Person"))
    RegistrationFactory(meeting=meeting, consent_to_list=False, user=UserFactory(last_name="Private-Person"))
    client.force_login(mine.user)
    body = client.get(meeting_url(meeting)).content.decode()
    assert "Listed-Person" in body and "Private-Person" not in body
    # Someone not taking part sees no list at all.
    client.force_login(UserFactory())
    body = client.get(meeting_url(meeting)).content.decode()
    assert "Listed-Person" not in body


# --- My meetings -------------------------------------------------------------------------------


def test_my_meetings_lists_upcoming_and_past(client):
    user = UserFactory()
    next_one = RegistrationFactory(user=user, meeting=upcoming(title="Next-Week Meeting"))
    RegistrationFactory(user=user, meeting=upcoming(title="Last-Year Meeting", starts_at=soon(-365)))
    full = upcoming(title="Full Meeting", capacity=1)
    RegistrationFactory(meeting=full)
    RegistrationFactory(meeting=full, user=user, waitlisted=True)
    RegistrationFactory(user=UserFactory(), meeting=upcoming(title="Somebody-Else Meeting"))
    client.force_login(user)
    response = client.get(reverse("registrations:my_meetings"))
    body = valid_html(response, "my meetings")
    upcoming_part, past_part = body.split('id="past-heading"')
    assert "Next-Week Meeting" in upcoming_part and "Full Meeting" in upcoming_part
    assert "Last-Year Meeting" in past_part
    assert "Somebody-Else Meeting" not in body
    assert "number 1 in line" in upcoming_part
    assert reverse("registrations:registration_cancel", args=[next_one.pk]) in upcoming_part
    assert reverse("registrations:my_meetings") in body  # in the navigation


def test_my_meetings_needs_a_login(client):
    response = client.get(reverse("registrations:my_meetings"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_pages_render_in_both_languages(client, language):
    registration = RegistrationFactory(meeting=upcoming())
    client.force_login(registration.user)
    client.cookies["django_language"] = language
    for url in (
        reverse("registrations:my_meetings"),
        registration_url(registration),
        register_url(upcoming()),
        meeting_url(registration.meeting),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


# --- Query counts: the same with 1 row and with 50 --------------------------------------------------


def test_query_counts_do_not_grow_with_rows(client):
    project = ProjectFactory()
    community = CommunityFactory(project=project)
    user = UserFactory()
    MembershipFactory(community=community, user=user)
    meeting = upcoming(project=project, community=community, capacity=2)
    mine = RegistrationFactory(meeting=meeting, user=user, consent_to_list=True)
    RegistrationFactory(meeting=meeting, consent_to_list=True)
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True)
    client.force_login(user)
    coordinator = ProjectRoleFactory(project=project).user

    def counts() -> list[int]:
        client.force_login(user)
        mine_counts = [
            count_queries(client, reverse("registrations:my_meetings")),
            count_queries(client, registration_url(mine)),
            count_queries(client, meeting_url(meeting)),
            count_queries(client, reverse("calendar:community", args=[community.slug])),
        ]
        client.force_login(coordinator)
        return mine_counts + [count_queries(client, registration_url(waiting))]

    few = counts()
    for n in range(49):
        other = upcoming(project=project, community=community, starts_at=soon(n + 1), capacity=1)
        RegistrationFactory(meeting=other, user=user, waitlisted=bool(n % 2))
        RegistrationFactory(meeting=meeting, consent_to_list=True)
        RegistrationFactory(meeting=meeting, waitlisted=True)
    many = counts()
    assert few == many
    assert max(many) <= MAX_QUERIES


# --- The waiting list switch in the workspace's meeting form ------------------------------------


def test_the_coordinator_switches_the_waiting_list_off(client):
    meeting = upcoming(capacity=1)
    client.force_login(ProjectRoleFactory(project=meeting.project).user)
    url = reverse("workspace:meeting_edit", args=[meeting.pk])
    assert 'name="waitlist_enabled"' in client.get(url).content.decode()
    local = timezone.localtime(meeting.starts_at)
    data = {
        "title": meeting.title,
        "kind": meeting.kind,
        "audience": meeting.audience,
        "status": meeting.status,
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "Europe/Berlin",
        "format": meeting.format,
        "language": "de",
        "capacity": "1",
        "city": "Berlin",
        "country": "DE",
    }
    response = client.post(url, data)  # the box unticked: no waiting list
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.waitlist_enabled is False
    client.post(url, {**data, "waitlist_enabled": "on"})
    meeting.refresh_from_db()
    assert meeting.waitlist_enabled is True


# --- The demo journey ------------------------------------------------------------------------------


def test_the_demo_member_joins_registers_cancels_and_the_next_moves_up(client):
    """What the issue asks of the demo: member@example.org joins a CoP, registers, cancels,
    and the seat goes to the next person in line (portal/demo/data)."""
    from django.contrib.auth import get_user_model

    from portal.demo.loader import load_demo

    load_demo(with_accounts=True)
    users = get_user_model().objects
    member = users.get(email="member@example.org")
    facilitator = users.get(email="facilitator@example.org")
    client.force_login(member)

    # Join: the VALUES CoP in Düsseldorf admits members on approval; its facilitator decides.
    join = reverse("registrations:community_join", args=["values-duesseldorf-cop"])
    assert Membership.objects.filter(
        user=facilitator, community__slug="values-duesseldorf-cop", role=Membership.Role.FACILITATOR
    ).exists()
    response = client.post(join)
    assert "request to join" in flash(response)[-1]
    assert Membership.objects.get(user=member, community__slug="values-duesseldorf-cop").status == "pending"

    # Register for an upcoming public meeting with free seats.
    meeting = (
        Meeting.objects.filter(project__slug="epic-up", audience="public", starts_at__gte=timezone.now())
        .exclude(capacity=2)
        .order_by("starts_at")
        .first()
    )
    response = client.post(register_url(meeting), FORM)
    assert Registration.objects.get(user=member, meeting=meeting).status == "confirmed", flash(response)

    # Cancel the seat in the full two-seat study circle: the facilitator, waiting, gets it.
    circle = Meeting.objects.get(project__slug="epic-up", capacity=2)
    mine = Registration.objects.get(user=member, meeting=circle, status="confirmed")
    assert Registration.objects.get(user=facilitator, meeting=circle).status == "waitlisted"
    response = client.post(reverse("registrations:registration_cancel", args=[mine.pk]))
    assert "The seat went to the next person on the waiting list." in flash(response)[-1]
    assert Registration.objects.get(user=facilitator, meeting=circle).status == "confirmed"


def test_the_platform_admin_opens_the_pages_of_a_private_project(client):
    """The IDOR matrix's control for these URLs: the platform admin gets 200 where outsiders get 404."""
    community = CommunityFactory(project=ProjectFactory(is_public=False), visibility=Community.Visibility.MEMBERS)
    meeting = upcoming(project=community.project, community=community, audience=Meeting.Audience.MEMBERS)
    registration = RegistrationFactory(meeting=meeting)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(register_url(meeting)).status_code == 200
    assert client.get(registration_url(registration)).status_code == 200
    client.force_login(UserFactory())
    assert client.get(register_url(meeting)).status_code == 404
    assert client.get(registration_url(registration)).status_code == 404


def test_the_form_starts_from_the_profile_sector(client):
    user = UserFactory(sector=Registration.Sector.ACADEMIC)
    client.force_login(user)
    form = client.get(register_url(upcoming())).context["form"]
    assert form["sector"].value() == "academic"
    assert form["consent_to_list"].value() is False


def test_a_members_meeting_refuses_a_sent_form_and_writes_nothing(client):
    community = CommunityFactory()
    meeting = upcoming(project=community.project, community=community, audience=Meeting.Audience.MEMBERS)
    client.force_login(ProjectRoleFactory(project=community.project).user)
    response = client.post(register_url(meeting), FORM)
    assert response.status_code == 200 and "Join the community to register" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_invalid_form_for_a_closed_meeting_explains_the_closure(client):
    meeting = upcoming(status=Meeting.Status.CANCELLED)
    client.force_login(UserFactory())
    response = client.post(register_url(meeting), {**FORM, "sector": "no such sector"})
    assert response.status_code == 200 and "This meeting has been cancelled." in response.content.decode()
    assert not Registration.objects.exists()


def test_sending_the_form_for_a_public_meeting_runs_few_queries(client, django_assert_num_queries):
    # The moment a popular meeting opens, everybody sends this form at once: the request
    # reads the person and the meeting, then locks the meeting and, in one statement,
    # counts its seats, checks the rules and writes the registration and its notice to the
    # outbox (events/services/seat_statement.py). No query for roles or an earlier
    # registration; the statement finds a duplicate under the lock. The notice is handed
    # over after the commit, outside this count (it is captured here).
    meeting = upcoming(capacity=5)
    client.force_login(UserFactory())
    with django_assert_num_queries(6):  # + the test's savepoint and its release
        response = client.post(register_url(meeting), FORM)
    assert response.status_code == 302
