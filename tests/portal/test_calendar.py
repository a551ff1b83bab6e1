"""Calendar pages: community, meeting list and month grid, meeting page and the update feeds."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UpdateFactory,
    UserFactory,
)
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def soon(days: int = 14, hour: int = 10) -> dt.datetime:
    """A moment in the future, so a meeting counts as upcoming whatever day the tests run."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def private_cop():
    project = ProjectFactory(acronym="CLOSEDPROJ", slug="closedproj", is_public=False)
    community = CommunityFactory(
        project=project, name="Secret Circle Graz", slug="secret-circle", visibility=Community.Visibility.MEMBERS
    )
    member = UserFactory(first_name="Mira", last_name="Membername")
    MembershipFactory(community=community, user=member)
    meeting = MeetingFactory(
        project=project,
        community=community,
        title="Closed circle meeting",
        audience=Meeting.Audience.MEMBERS,
        starts_at=soon(),
        format=Meeting.Format.ONLINE,
        online_link="https://meet.example.org/closed-room",
    )
    return {"project": project, "community": community, "member": member, "meeting": meeting}


# --- Community ------------------------------------------------------------------------------


def test_members_only_community_is_404_to_outsiders_and_200_to_a_member(client, private_cop):
    url = reverse("calendar:community", args=[private_cop["community"].slug])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    pending = UserFactory()
    MembershipFactory(community=private_cop["community"], user=pending, pending=True)
    client.force_login(pending)
    assert client.get(url).status_code == 404
    client.force_login(private_cop["member"])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Secret Circle Graz" in body and "Closed circle meeting" in body
    # Members see the count, not the names (only facilitators and coordinators do).
    assert response.context["community"].member_count == 1
    assert "Membername" not in body
    assert client.get(reverse("calendar:community", args=["no-such-cop"])).status_code == 404


def test_community_page_public_with_names_for_the_coordinator(client):
    community = CommunityFactory(name="Open Circle Gent", membership_policy=Community.Policy.OPEN)
    MembershipFactory(community=community, user=UserFactory(first_name="Ben", last_name="Visible-Member"))
    MembershipFactory(community=community, pending=True)
    MeetingFactory(
        project=community.project,
        community=community,
        title="Past gathering",
        starts_at=timezone.now() - dt.timedelta(days=30),
    )
    MeetingFactory(project=community.project, community=community, title="Next gathering", starts_at=soon())
    url = reverse("calendar:community", args=[community.slug])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 active member" in body and "Visible-Member" not in body
    assert "Open: anybody can join" in body
    assert f"/projects/{community.project.slug}/" in body
    assert [m.title for m in response.context["upcoming"]] == ["Next gathering"]
    assert [m.title for m in response.context["past"]] == ["Past gathering"]
    coordinator = UserFactory()
    ProjectRoleFactory(user=coordinator, project=community.project)
    client.force_login(coordinator)
    assert "Visible-Member" in client.get(url).content.decode()


# --- Meeting list and month grid ------------------------------------------------------------


def test_list_shows_upcoming_visible_meetings_by_default(client, private_cop):
    project = ProjectFactory(acronym="OPENCAL")
    MeetingFactory(project=project, title="Future public meeting", starts_at=soon())
    MeetingFactory(project=project, title="Old public meeting", starts_at=timezone.now() - dt.timedelta(days=60))
    body = client.get(reverse("calendar:list")).content.decode()
    assert "Future public meeting" in body
    assert "Old public meeting" not in body
    assert "Closed circle meeting" not in body and "CLOSEDPROJ" not in body
    client.force_login(private_cop["member"])
    assert "Closed circle meeting" in client.get(reverse("calendar:list")).content.decode()


def test_list_filters(client):
    a = ProjectFactory(acronym="ALPHACAL", slug="alphacal")
    b = ProjectFactory(acronym="BETACAL", slug="betacal")
    MeetingFactory(project=a, title="Alpha workshop", kind=Meeting.Kind.WORKSHOP, starts_at=soon(3))
    MeetingFactory(
        project=b,
        title="Beta online training",
        kind=Meeting.Kind.TRAINING,
        format=Meeting.Format.ONLINE,
        language="en",
        country="IT",
        city="Ravenna",
        starts_at=soon(40),
    )
    MeetingFactory(project=b, title="Beta past", starts_at=utc(2024, 3, 5, 9))

    def titles(**query):
        return {m.title for m in client.get(reverse("calendar:list"), query).context["meetings"]}

    assert titles() == {"Alpha workshop", "Beta online training"}
    assert titles(project="betacal") == {"Beta online training"}
    assert titles(kind="workshop") == {"Alpha workshop"}
    assert titles(format="online") == {"Beta online training"}
    assert titles(country="IT") == {"Beta online training"}
    assert titles(language="en") == {"Beta online training"}
    assert titles(date_from="2024-03-01", date_to="2024-03-31") == {"Beta past"}
    # A private project is never offered as a choice, and its slug filters nothing.
    ProjectFactory(acronym="HIDDENCAL", slug="hiddencal", is_public=False)
    response = client.get(reverse("calendar:list"), {"project": "hiddencal"})
    assert "HIDDENCAL" not in response.content.decode()
    assert '<option value="hiddencal"' not in response.content.decode()
    assert response.context["filter"].form.errors


def test_month_grid_places_a_meeting_on_its_berlin_day(client):
    meeting = MeetingFactory(title="Late evening session", starts_at=utc(2025, 5, 5, 23, 30))
    response = client.get(reverse("calendar:month", args=[2025, 5]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    days = {cell["date"]: cell["meetings"] for week in response.context["weeks"] for cell in week}
    assert days[dt.date(2025, 5, 6)] == [meeting]
    assert days[dt.date(2025, 5, 5)] == []
    body = response.content.decode()
    assert "<caption>May 2025" in body
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in body
    assert reverse("calendar:month", args=[2025, 4]) in body and reverse("calendar:month", args=[2025, 6]) in body


def test_month_grid_in_german_and_with_filters(client):
    MeetingFactory(title="Workshop im Mai", kind=Meeting.Kind.WORKSHOP, starts_at=utc(2025, 5, 14, 8))
    MeetingFactory(title="Training im Mai", kind=Meeting.Kind.TRAINING, starts_at=utc(2025, 5, 15, 8))
    url = reverse("calendar:month", args=[2025, 5])
    response = client.get(url, {"kind": "workshop"}, HTTP_ACCEPT_LANGUAGE="de")
    body = response.content.decode()
    assert '<html lang="de">' in body
    assert "<caption>Mai 2025" in body and "Montag" in body
    assert "Workshop im Mai" in body and "Training im Mai" not in body
    assert "?kind=workshop" in body  # previous/next keep the filters
    assert client.get(reverse("calendar:month", args=[2025, 13])).status_code == 404


def test_month_grid_hides_members_only_meetings(client, private_cop):
    day = timezone.localtime(private_cop["meeting"].starts_at)
    url = reverse("calendar:month", args=[day.year, day.month])
    assert "Closed circle meeting" not in client.get(url).content.decode()


# --- Meeting page ---------------------------------------------------------------------------


def test_meeting_page_seats_left_and_facts(client):
    meeting = MeetingFactory(
        capacity=10,
        agenda="Welcome\nWorking groups",
        timezone="Europe/Lisbon",
        starts_at=utc(2025, 5, 14, 8),
        registration_opens_at=utc(2025, 4, 1, 8),
        registration_closes_at=utc(2025, 5, 10, 20),
    )
    RegistrationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory(meeting=meeting, waitlisted=True)
    RegistrationFactory(meeting=meeting, cancelled=True)
    response = client.get(reverse("calendar:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response.context["meeting"].seats_left == 7
    body = response.content.decode()
    assert "Welcome<br>Working groups" in body
    assert "14. Mai 2025, 10:00" in body  # 08:00 UTC is 10:00 in Berlin
    assert "14. Mai 2025 09:00" in body and "Europe/Lisbon" in body  # and 09:00 in Lisbon
    assert "Urbanstraße 21" in body
    for name in [r.user.last_name for r in meeting.registrations.all()]:
        assert name not in body


def test_meeting_page_no_limit_and_full(client):
    unlimited = MeetingFactory(capacity=None)
    RegistrationFactory(meeting=unlimited)
    response = client.get(reverse("calendar:meeting", args=[unlimited.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["meeting"].seats_left is None
    assert "No limit" in response.content.decode()
    full = MeetingFactory(capacity=1)
    RegistrationFactory.create_batch(2, meeting=full)  # overbooked by hand: never negative
    assert client.get(reverse("calendar:meeting", args=[full.pk])).context["meeting"].seats_left == 0


def test_online_link_visibility(client, private_cop):
    public = MeetingFactory(format=Meeting.Format.ONLINE, online_link="https://meet.example.org/public-room")
    url = reverse("calendar:meeting", args=[public.pk])
    assert "public-room" not in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert "public-room" in client.get(url).content.decode()

    closed = reverse("calendar:meeting", args=[private_cop["meeting"].pk])
    assert client.get(closed).status_code == 404  # an outsider, logged in
    client.force_login(private_cop["member"])
    response = client.get(closed)
    assert response.status_code == 200 and "closed-room" in response.content.decode()
    client.logout()
    assert client.get(closed).status_code == 404
    assert client.get(reverse("calendar:meeting", args=[999999])).status_code == 404


def test_funder_sees_members_only_meeting_but_not_its_link(client, private_cop):
    funder = UserFactory()
    ProjectRoleFactory(user=funder, project=private_cop["project"], funder_officer=True)
    client.force_login(funder)
    response = client.get(reverse("calendar:meeting", args=[private_cop["meeting"].pk]))
    assert response.status_code == 200
    assert "closed-room" not in response.content.decode()


# --- Feeds ----------------------------------------------------------------------------------


def test_feeds_parse_and_exclude_non_public_updates(client):
    project = ProjectFactory(acronym="FEEDPROJ", slug="feedproj")
    UpdateFactory(project=project, title="Public news item")
    UpdateFactory(project=project, title="Draft news item", is_public=False)
    UpdateFactory(project=ProjectFactory(is_public=False), title="News of a private project")
    for name, item_tag in (
        ("calendar:updates_rss", "channel/item"),
        ("calendar:updates_atom", "{http://www.w3.org/2005/Atom}entry"),
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        items = root.findall(item_tag)
        assert len(items) == 1, name
        text = response.content.decode()
        assert "Public news item" in text and "/projects/feedproj/" in text
        assert "Draft news item" not in text and "private project" not in text


@pytest.mark.parametrize(
    "name, item_tag, field",
    [
        ("calendar:updates_rss", "channel/item", "description"),
        ("calendar:updates_atom", "{http://www.w3.org/2005/Atom}entry", "{http://www.w3.org/2005/Atom}summary"),
    ],
)
def test_feeds_send_news_text_as_text_never_as_markup(client, name, item_tag, field):
    """Readers render a description as HTML: markup in a news text must arrive escaped (issue 15)."""
    attack = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    UpdateFactory(project=ProjectFactory(), title="Spring news", body=f"First line.\n\nSecond {attack}")
    root = ET.fromstring(client.get(reverse(name)).content)
    [item] = root.findall(item_tag)
    html = item.find(field).text  # the HTML a reader renders, after XML unescaping
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;" in html
    assert html.startswith("<p>First line.</p>")  # paragraphs survive as markup of our own


def test_feed_holds_the_twenty_latest(client):
    project = ProjectFactory()
    for day in range(1, 26):
        UpdateFactory(project=project, published_on=dt.date(2025, 3, day))
    root = ET.fromstring(client.get(reverse("calendar:updates_rss")).content)
    assert len(root.findall("channel/item")) == 20


# --- Query counts and language --------------------------------------------------------------


def test_query_counts_do_not_grow_with_rows(client):
    coordinator = UserFactory()
    project = ProjectFactory(is_public=False)
    ProjectRoleFactory(user=coordinator, project=project)
    community = CommunityFactory(project=project)
    client.force_login(coordinator)
    first = MeetingFactory(project=project, community=community, starts_at=soon(2))
    MembershipFactory(community=community)
    RegistrationFactory(meeting=first)
    day = timezone.localtime(first.starts_at)
    urls = [
        reverse("calendar:list"),
        reverse("calendar:month", args=[day.year, day.month]),
        reverse("calendar:community", args=[community.slug]),
        reverse("calendar:meeting", args=[first.pk]),
        reverse("calendar:updates_rss"),
        reverse("calendar:updates_atom"),
    ]
    UpdateFactory(project=ProjectFactory())
    few = [count_queries(client, url) for url in urls]
    for n in range(49):
        MeetingFactory(project=project, community=community, starts_at=first.starts_at + dt.timedelta(minutes=n + 1))
        MembershipFactory(community=community)
        RegistrationFactory(meeting=first)
        UpdateFactory(project=ProjectFactory())
    many = [count_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= MAX_QUERIES


def test_german_rendering(client, private_cop):
    client.force_login(private_cop["member"])
    for url in (
        reverse("calendar:list"),
        reverse("calendar:community", args=[private_cop["community"].slug]),
        reverse("calendar:meeting", args=[private_cop["meeting"].pk]),
    ):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        assert '<html lang="de">' in body, url


def test_community_choice_lists_the_chosen_projects_communities_only(client):
    """Thousands of communities would bury the calendar, so they are offered per project."""
    alpha = ProjectFactory(acronym="ALPHACOP", slug="alphacop")
    beta = ProjectFactory(acronym="BETACOP", slug="betacop")
    open_circle = CommunityFactory(project=alpha, name="Alpha open circle", slug="alpha-open")
    CommunityFactory(
        project=alpha, name="Alpha closed circle", slug="alpha-closed", visibility=Community.Visibility.MEMBERS
    )
    CommunityFactory(project=beta, name="Beta circle", slug="beta-circle")
    MeetingFactory(project=alpha, community=open_circle, title="In the circle", starts_at=soon(2))
    MeetingFactory(project=alpha, title="Outside any circle", starts_at=soon(3))

    body = client.get(reverse("calendar:list")).content.decode()
    assert 'name="community"' not in body and "Alpha open circle" not in body

    response = client.get(reverse("calendar:list"), {"project": "alphacop"})
    body = response.content.decode()
    assert '<option value="alpha-open"' in body
    assert "alpha-closed" not in body and "beta-circle" not in body  # another project's, or members only

    # A community given in the URL still filters, and brings its project's communities along.
    response = client.get(reverse("calendar:list"), {"community": "alpha-open"})
    assert {m.title for m in response.context["meetings"]} == {"In the circle"}
    body = response.content.decode()
    assert '<option value="alpha-open" selected' in body and "beta-circle" not in body
