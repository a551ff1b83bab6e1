"""Fragments on the public pages (portal/fragments.py): the calendar, a meeting, a community,
a project, the home page, the catalogue and the directory.

The rest of the suite runs with fragments off; here they are on (and the anonymous page
cache off, so every request goes through the view). A write shows on the next request
once it commits, readers with different visibility never share a fragment, and what is
personal (one's registration, the forms with their CSRF token) is rendered per reader.
"""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting, Registration
from portal import page_cache
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.kept_answers import kept
from tests.query_counts import get_with_queries

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEATS_LEFT = re.compile(r"Seats left</dt>\s*<dd>(\d+)</dd>")


@pytest.fixture(autouse=True)
def fragments_on(settings):
    with kept(settings, fragment_seconds=60):
        yield


def soon(days: int = 3) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def running_project(**kwargs):
    today = timezone.localdate()
    return ProjectFactory(start_date=today - dt.timedelta(days=100), end_date=today + dt.timedelta(days=300), **kwargs)


def signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory())
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


# --- A write shows on the next request ----------------------------------------------------


# Committed for real: a write bumps the version after its commit, and a test transaction
# holding an earlier write's pending bump would swallow the next one.
@pytest.mark.django_db(transaction=True)
def test_a_new_meeting_appears_on_the_calendar_month_and_home():
    project = running_project()
    MeetingFactory(project=project, title="First gathering", starts_at=soon(3))
    start = soon(3)
    urls = [reverse("calendar:list"), reverse("calendar:month", args=[start.year, start.month]), reverse("home")]
    member = signed_in()
    for client in (Client(), member):
        for url in urls:
            assert "First gathering" in page(client, url)
    # A hit reads nothing the fragment alone needs: no count, no rows.
    assert get_with_queries(Client(), reverse("calendar:list"))[1] == 0

    MeetingFactory(project=project, title="Second gathering", starts_at=start + dt.timedelta(minutes=5))
    for client in (Client(), member):
        for url in urls:
            assert "Second gathering" in page(client, url), url


def test_the_meeting_page_shows_the_seats_a_registration_took(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(project=running_project(), starts_at=soon(), capacity=5)
    url = reverse("calendar:meeting", args=[meeting.pk])
    reader, registrant = signed_in(), UserFactory()
    assert SEATS_LEFT.search(page(reader, url)).group(1) == "5"
    assert SEATS_LEFT.search(page(Client(), url)).group(1) == "5"

    with django_capture_on_commit_callbacks(execute=True):
        RegistrationFactory(meeting=meeting, user=registrant)
    assert SEATS_LEFT.search(page(reader, url)).group(1) == "4"
    assert SEATS_LEFT.search(page(Client(), url)).group(1) == "4"
    # The registrant's own status is theirs alone, around the shared facts.
    own = page(signed_in(registrant), url)
    assert "Your registration:" in own and SEATS_LEFT.search(own).group(1) == "4"
    assert "Your registration:" not in page(reader, url)


@pytest.mark.django_db(transaction=True)
def test_a_new_meeting_shows_on_its_projects_page():
    project = running_project(acronym="BEFORE")
    url = reverse("catalogue:detail", args=[project.slug])
    assert "BEFORE" in page(Client(), url)
    # On a hit nothing is read: the project's row is kept too (portal/access.py).
    assert get_with_queries(Client(), url)[1] == 0
    MeetingFactory(project=project, title="Announced later", starts_at=soon())
    assert "Announced later" in page(Client(), url)


def test_a_page_number_out_of_range_is_still_404():
    MeetingFactory(project=running_project(), starts_at=soon())
    for url in (reverse("calendar:list"), reverse("directory:list"), reverse("catalogue:list")):
        assert Client().get(url, {"page": 99}).status_code == 404
        assert Client().get(url, {"page": "x"}).status_code == 404
        assert Client().get(url).status_code == 200


# --- No fragment crosses from one visibility to another -----------------------------------


def test_a_private_communitys_meetings_are_shown_to_its_members_only():
    project = running_project()
    circle = CommunityFactory(project=project, name="Inner circle", visibility=Community.Visibility.MEMBERS)
    meeting = MeetingFactory(
        project=project,
        community=circle,
        title="Members gathering",
        audience=Meeting.Audience.MEMBERS,
        starts_at=soon(),
    )
    insider = MembershipFactory(community=circle).user
    start = meeting.starts_at
    urls = [
        reverse("calendar:list"),
        reverse("calendar:month", args=[start.year, start.month]),
        reverse("catalogue:detail", args=[project.slug]),
        reverse("home"),
    ]
    # The member fills every fragment first; the others must not be served it.
    for url in urls:
        assert "Members gathering" in page(signed_in(insider), url), url
    for client in (signed_in(), Client()):
        for url in urls:
            assert "Members gathering" not in page(client, url), url
        assert client.get(reverse("calendar:meeting", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("calendar:community", args=[circle.slug])).status_code == 404
    # And the other way round: a stranger's fragment, filled first, is not the member's.
    caches[page_cache.PAGES_CACHE].clear()
    for url in urls:
        assert "Members gathering" not in page(signed_in(), url)
        assert "Members gathering" in page(signed_in(insider), url)
    community_page = page(signed_in(insider), reverse("calendar:community", args=[circle.slug]))
    assert "Members gathering" in community_page and "You are a member of this community." in community_page


def test_the_online_link_follows_its_own_rule_inside_the_shared_facts(django_capture_on_commit_callbacks):
    project = running_project()
    community = CommunityFactory(project=project)
    meeting = MeetingFactory(
        project=project,
        community=community,
        starts_at=soon(),
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/room-42",
    )
    url = reverse("calendar:meeting", args=[meeting.pk])
    attendee = UserFactory()
    RegistrationFactory(meeting=meeting, user=attendee, status=Registration.Status.CONFIRMED)
    # Same visibility (no roles, no memberships), different answers: one holds a seat.
    assert "room-42" in page(signed_in(attendee), url)
    assert "room-42" not in page(signed_in(), url)
    assert "room-42" not in page(Client(), url)


# --- Forms: each reader's own token --------------------------------------------------------


def test_each_reader_gets_a_working_csrf_token_of_their_own():
    community = CommunityFactory(project=running_project(), membership_policy=Community.Policy.OPEN)
    url = reverse("calendar:community", args=[community.slug])
    tokens = []
    for user in (UserFactory(), UserFactory()):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        html = page(client, url)  # the second reader is served the first one's fragments
        token = TOKEN.search(html).group(1)
        tokens.append(token)
        response = client.post(
            reverse("registrations:community_join", args=[community.slug]), {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]
    assert community.memberships.filter(status="active").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_registration_forms_kept_meeting_follows_the_meeting_not_the_registrations(django_assert_num_queries):
    """The form's meeting row (portal.calendar.selectors.meeting_for_form) outlives
    registrations, so a burst of POSTs finds it kept, and follows every change of the meeting."""
    from portal.calendar.selectors import meeting_for_form

    meeting = MeetingFactory(starts_at=soon(), ends_at=soon() + dt.timedelta(hours=2), capacity=5)
    meeting_for_form(meeting.pk)
    RegistrationFactory(meeting=meeting)
    with django_assert_num_queries(0):
        assert meeting_for_form(meeting.pk).pk == meeting.pk
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    assert meeting_for_form(meeting.pk).status == Meeting.Status.CANCELLED
