"""Calendar files and feeds in the browser and in calendar programs (portal/calendar/ics_views.py)."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import CalendarFeedToken, Community, Meeting
from events.services.calendar_feeds import (
    calendar_feed_token_create,
    calendar_feed_token_revoke,
    calendar_feed_token_rotate,
)
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.query_counts import queries

pytestmark = pytest.mark.django_db


def soon(days: int = 10) -> dict:
    start = timezone.now() + dt.timedelta(days=days)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}


def events_in(response) -> list[icalendar.Event]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).events


def titles(response) -> set[str]:
    return {str(event["summary"]) for event in events_in(response)}


# --- One meeting's .ics ----------------------------------------------------------------------------


def test_anyone_downloads_the_ics_of_a_public_meeting(client):
    meeting = MeetingFactory(title="Open forum", **soon())
    response = client.get(reverse("calendar:meeting_ics", args=[meeting.pk]))
    [event] = events_in(response)
    assert str(event["summary"]) == "Open forum"
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'


def test_a_members_only_meeting_file_is_for_members_only(client):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    meeting = MeetingFactory(
        project=community.project,
        community=community,
        audience=Meeting.Audience.MEMBERS,
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/members-room",
        **soon(),
    )
    url = reverse("calendar:meeting_ics", args=[meeting.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory(community=community).user)
    response = client.get(url)
    assert "members-room" in str(events_in(response)[0]["description"])
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(reverse("calendar:meeting_ics", args=[meeting.pk + 10_000])).status_code == 404


def test_the_meeting_page_links_its_ics(client):
    meeting = MeetingFactory(**soon())
    page = client.get(reverse("calendar:meeting", args=[meeting.pk])).content.decode()
    assert reverse("calendar:meeting_ics", args=[meeting.pk]) in page


# --- A community's feed ----------------------------------------------------------------------------


def test_the_community_feed_lists_what_the_reader_may_see(client):
    community = CommunityFactory(slug="cop-offenbach")
    MeetingFactory(project=community.project, community=community, title="Public session", **soon())
    MeetingFactory(
        project=community.project,
        community=community,
        title="Members session",
        audience=Meeting.Audience.MEMBERS,
        **soon(11),
    )
    MeetingFactory(project=community.project, title="Another community's", **soon())
    url = reverse("calendar:community_ics", args=["cop-offenbach"])
    response = client.get(url)
    assert titles(response) == {"Public session"}
    assert response["Content-Disposition"].startswith("inline")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == community.name
    client.force_login(MembershipFactory(community=community).user)
    assert titles(client.get(url)) == {"Public session", "Members session"}
    page = client.get(reverse("calendar:community", args=["cop-offenbach"])).content.decode()
    assert url in page


def test_a_members_only_community_has_no_public_feed(client):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS, slug="closed-cop")
    MeetingFactory(project=community.project, community=community, audience=Meeting.Audience.MEMBERS, **soon())
    url = reverse("calendar:community_ics", args=["closed-cop"])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(MembershipFactory(community=community).user)
    assert len(events_in(client.get(url))) == 1
    assert client.get(reverse("calendar:community_ics", args=["no-such-cop"])).status_code == 404


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_the_community_feed_query_count_is_constant(client, django_assert_num_queries, signed_in):
    small, large = CommunityFactory(), CommunityFactory()
    MeetingFactory(project=small.project, community=small, **soon())
    for n in range(50):
        MeetingFactory(project=large.project, community=large, **soon(n + 1))
    if signed_in:
        user = UserFactory()
        MembershipFactory(community=small, user=user)
        MembershipFactory(community=large, user=user)
        client.force_login(user)
    with queries() as one:
        assert len(events_in(client.get(reverse("calendar:community_ics", args=[small.slug])))) == 1
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(events_in(client.get(reverse("calendar:community_ics", args=[large.slug])))) == 50
    assert len(one.captured_queries) <= 15


def test_the_meeting_file_query_count(client, django_assert_max_num_queries):
    meeting = MeetingFactory(**soon())
    with django_assert_max_num_queries(15):
        events_in(client.get(reverse("calendar:meeting_ics", args=[meeting.pk])))


# --- The personal feed -------------------------------------------------------------------------------


@pytest.fixture
def member():
    return UserFactory(email="olena@example.org", preferred_language="en")


def feed_url(token: CalendarFeedToken) -> str:
    return reverse("calendar:personal_feed", args=[token.token])


def test_the_personal_feed_lists_the_confirmed_meetings_without_a_session(client, member):
    RegistrationFactory(user=member, meeting=MeetingFactory(title="Confirmed one", **soon()))
    RegistrationFactory(user=member, meeting=MeetingFactory(title="Cancelled meeting", status="cancelled", **soon()))
    RegistrationFactory(user=member, meeting=MeetingFactory(title="Waiting", **soon()), waitlisted=True)
    RegistrationFactory(user=member, meeting=MeetingFactory(title="Gave up", **soon()), cancelled=True)
    RegistrationFactory(meeting=MeetingFactory(title="Somebody else's", **soon()))
    RegistrationFactory(user=member, meeting=MeetingFactory(title="Long ago", **soon(-400)))
    token = calendar_feed_token_create(user=member)
    response = client.get(feed_url(token))  # no login: calendar programs have no session
    assert titles(response) == {"Confirmed one", "Cancelled meeting"}
    statuses = {str(e["summary"]): str(e["status"]) for e in events_in(response)}
    assert statuses["Cancelled meeting"] == "CANCELLED"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # Another person's session changes nothing: the token decides whose feed it is.
    client.force_login(UserFactory())
    assert titles(client.get(feed_url(token))) == {"Confirmed one", "Cancelled meeting"}


def test_the_personal_feed_is_in_the_owners_language(client, member):
    member.preferred_language = "de"
    member.save()
    RegistrationFactory(user=member, meeting=MeetingFactory(agenda="Begrüßung", **soon()))
    token = calendar_feed_token_create(user=member)
    [event] = events_in(client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Tagesordnung" in str(event["description"])


def test_renewing_and_revoking_the_token(client, member):
    RegistrationFactory(user=member, meeting=MeetingFactory(**soon()))
    first = calendar_feed_token_create(user=member)
    assert calendar_feed_token_create(user=member).token == first.token  # idempotent
    assert client.get(feed_url(first)).status_code == 200
    renewed = calendar_feed_token_rotate(user=member)
    assert renewed.token != first.token
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(renewed)).status_code == 200
    assert calendar_feed_token_revoke(user=member) is True
    assert calendar_feed_token_revoke(user=member) is False
    assert client.get(feed_url(renewed)).status_code == 404
    assert not CalendarFeedToken.objects.filter(user=member).exists()


def test_an_unknown_token_or_a_deactivated_owner_is_a_404(client, member):
    token = calendar_feed_token_create(user=member)
    assert client.get(reverse("calendar:personal_feed", args=["x" * 43])).status_code == 404
    member.is_active = False
    member.save()
    assert client.get(feed_url(token)).status_code == 404


def test_tokens_are_long_random_and_unique():
    tokens = {calendar_feed_token_create(user=UserFactory()).token for _ in range(5)}
    assert len(tokens) == 5
    assert all(len(token) >= 43 for token in tokens)


@pytest.mark.parametrize("member", [False, True], ids=["registrant", "community member"])
def test_the_personal_feed_query_count_is_constant(client, django_assert_num_queries, member):
    small, large = UserFactory(), UserFactory()
    community = CommunityFactory()
    if member:
        MembershipFactory(community=community, user=small)
        MembershipFactory(community=community, user=large)
    RegistrationFactory(user=small, meeting=MeetingFactory(project=community.project, community=community, **soon()))
    for n in range(50):
        in_community = MeetingFactory(project=community.project, community=community, **soon(n + 1))
        RegistrationFactory(user=large, meeting=in_community)
    small_token, large_token = calendar_feed_token_create(user=small), calendar_feed_token_create(user=large)
    with queries() as one:
        assert len(events_in(client.get(feed_url(small_token)))) == 1
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(feed_url(large_token))
    assert len(events_in(response)) == 50
    assert len(one.captured_queries) <= 15


def test_the_personal_feed_carries_the_join_link_the_owner_may_see(client):
    owner = UserFactory()
    community = CommunityFactory()
    public = MeetingFactory(
        project=community.project,
        community=community,
        title="Public online",
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/public-room",
        **soon(),
    )
    members_only = MeetingFactory(
        project=community.project,
        community=community,
        title="Members online",
        format=Meeting.Format.ONLINE,
        audience=Meeting.Audience.MEMBERS,
        online_link="https://meet.example.org/members-room",
        **soon(),
    )
    RegistrationFactory(user=owner, meeting=public)
    # Registered while a member, left since: the members-only link is no longer theirs.
    MembershipFactory(community=community, user=owner, left=True)
    RegistrationFactory(user=owner, meeting=members_only)
    events = {
        str(e["summary"]): str(e["description"])
        for e in events_in(client.get(feed_url(calendar_feed_token_create(user=owner))))
    }
    assert "public-room" in events["Public online"]
    assert "members-room" not in events["Members online"]


# --- The page that manages it ----------------------------------------------------------------------


def test_the_feed_page_needs_a_login(client):
    url = reverse("calendar:feed_settings")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.post(url, {"action": "create"}).status_code == 302
    assert not CalendarFeedToken.objects.exists()


def test_create_renew_and_revoke_from_the_page(client, member):
    client.force_login(member)
    url = reverse("calendar:feed_settings")
    page = client.get(url).content.decode()
    assert 'value="create"' in page
    response = client.post(url, {"action": "create"}, follow=True)
    token = CalendarFeedToken.objects.get(user=member)
    page = response.content.decode()
    assert f"http://testserver{feed_url(token)}" in page
    assert f"webcal://testserver{feed_url(token)}" in page
    assert 'value="renew"' in page and 'value="revoke"' in page
    client.post(url, {"action": "renew"})
    renewed = CalendarFeedToken.objects.get(user=member)
    assert renewed.token != token.token
    client.post(url, {"action": "revoke"})
    assert not CalendarFeedToken.objects.filter(user=member).exists()
    assert client.post(url, {"action": "steal"}).status_code == 400


def test_the_profile_links_the_feed_page(client, member):
    client.force_login(member)
    assert reverse("calendar:feed_settings") in client.get(reverse("account_profile")).content.decode()


def test_the_feed_page_shows_only_ones_own_address(client, member):
    other = UserFactory()
    other_token = calendar_feed_token_create(user=other)
    client.force_login(member)
    page = client.get(reverse("calendar:feed_settings")).content.decode()
    assert other_token.token not in page


def test_the_feed_page_query_count(client, member, django_assert_max_num_queries):
    calendar_feed_token_create(user=member)
    client.force_login(member)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("calendar:feed_settings")).status_code == 200


def test_a_private_project_meeting_is_not_in_a_public_feed(client):
    project = ProjectFactory(is_public=False)
    community = CommunityFactory(project=project)
    MeetingFactory(project=project, community=community, **soon())
    assert client.get(reverse("calendar:community_ics", args=[community.slug])).status_code == 404
