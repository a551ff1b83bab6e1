"""Fragments (portal/fragments.py): parts of pages kept for everybody with the same visibility.

The rest of the suite runs with fragments off; these tests turn them on and render a small
template through the real tag, with real requests, users, roles and memberships.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.template import engines
from django.test import RequestFactory

from events.models import Community
from portal import fragments, page_cache, viewer
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.kept_answers import kept

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TEMPLATE = (
    "{% load fragments %}[{% fragment 'probe' thing %}{{ shown }}"
    "<form method='post'>{% csrf_token %}</form>{% endfragment %}]"
)


@pytest.fixture(autouse=True)
def fragments_on(settings):
    with kept(settings, fragment_seconds=60):
        yield


def render(user, shown: str, thing: object = 1) -> tuple[str, object]:
    request = RequestFactory().get("/")
    request.user = user
    html = engines["django"].from_string(TEMPLATE).render({"shown": shown, "thing": thing}, request)
    return html, request


def test_a_fragment_is_rendered_once_for_the_same_key():
    user = UserFactory()
    first, _ = render(user, "first")
    second, _ = render(user, "second")
    assert "first" in first and "first" in second
    assert "second" in render(user, "second", thing=2)[0]  # another value given: another fragment


def test_readers_with_the_same_visibility_share_it_others_do_not():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    member, other_member, outsider = MembershipFactory(community=community).user, UserFactory(), UserFactory()
    MembershipFactory(community=community, user=other_member)
    assert fragments.viewer_key(member) == fragments.viewer_key(other_member) != fragments.viewer_key(outsider)
    assert "members view" in render(member, "members view")[0]
    assert "members view" in render(other_member, "another")[0]
    assert "outsider view" in render(outsider, "outsider view")[0]
    assert "anonymous view" in render(AnonymousUser(), "anonymous view")[0]


def test_a_role_changes_the_key():
    user = UserFactory()
    before = fragments.viewer_key(user)
    role = ProjectRoleFactory(user=user)
    fresh = type(user).objects.get(pk=user.pk)  # roles are read once per request
    assert fragments.viewer_key(fresh) != before
    role.delete()
    assert fragments.viewer_key(type(user).objects.get(pk=user.pk)) == before


def test_no_reader_gets_another_readers_csrf_token():
    first_user, second_user = UserFactory(), UserFactory()
    MembershipFactory(user=first_user)
    MembershipFactory(community=first_user.memberships.get().community, user=second_user)
    first_html, first_request = render(first_user, "x")
    second_html, second_request = render(second_user, "x")
    secrets = {_unmask_cipher_token(TOKEN.search(html)[1]) for html in (first_html, second_html)}
    assert secrets == {first_request.META["CSRF_COOKIE"], second_request.META["CSRF_COOKIE"]}
    assert len(secrets) == 2
    stored = list(caches[page_cache.PAGES_CACHE]._cache.values())
    assert stored and all(page_cache.csrf_placeholder().encode() in value for value in stored)


def test_a_registration_makes_counted_fragments_stale_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    assert "before" in render(user, "before")[0]
    with django_capture_on_commit_callbacks(execute=True):
        RegistrationFactory()
    assert "after" in render(user, "after")[0]


def test_a_content_change_makes_them_stale_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    assert "before" in render(user, "before")[0]
    with django_capture_on_commit_callbacks(execute=True):
        CommunityFactory()
    assert "after" in render(user, "after")[0]


def test_off_when_the_setting_is_zero(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    user = UserFactory()
    assert "first" in render(user, "first")[0]
    assert "second" in render(user, "second")[0]


def test_without_the_shared_cache_every_fragment_is_rendered(monkeypatch):
    # What portal/resilient_cache.py answers while Redis is away: no version.
    monkeypatch.setattr(page_cache.ACTIVITY, "current", lambda: None)
    user = UserFactory()
    assert "first" in render(user, "first")[0]
    assert "second" in render(user, "second")[0]


def test_cached_values_follow_the_same_keys(django_capture_on_commit_callbacks):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert fragments.cached("figure", (1,), compute) == 1
    assert fragments.cached("figure", (1,), compute) == 1
    assert fragments.cached("figure", (2,), compute) == 2
    with django_capture_on_commit_callbacks(execute=True):
        RegistrationFactory()
    assert fragments.cached("figure", (1,), compute) == 3


# --- Roles and memberships kept between requests (portal/viewer.py) ------------------


def _fresh(user):
    return viewer.with_kept_roles(type(user).objects.get(pk=user.pk))


@pytest.mark.django_db(transaction=True)
def test_kept_roles_follow_a_new_role_and_a_deleted_membership():
    from events.permissions import memberships_by_community
    from projects.permissions import roles_by_project

    # Every write commits (transaction=True), as in requests: within one test transaction a
    # bump still waiting would stand in for the later ones (one bump per transaction).
    membership = MembershipFactory()
    user = membership.user
    assert roles_by_project(_fresh(user)) == {}
    assert membership.community_id in memberships_by_community(_fresh(user))
    role = ProjectRoleFactory(user=user)
    assert role.project_id in roles_by_project(_fresh(user))
    type(membership).objects.filter(pk=membership.pk).delete()
    assert memberships_by_community(_fresh(user)) == {}


@pytest.mark.django_db(transaction=True)
def test_a_registration_leaves_the_kept_roles_kept_and_a_new_membership_does_not(django_assert_num_queries):
    from events.permissions import memberships_by_community

    # In a burst every registration commits: if each made the registrants' kept roles stale,
    # each of their POSTs would read roles and memberships again.
    membership = MembershipFactory()
    user = membership.user
    meeting = MeetingFactory()  # made first: a new meeting is new content, which does make them stale
    _fresh(user)
    RegistrationFactory(user=user, meeting=meeting)
    again = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        memberships_by_community(viewer.with_kept_roles(again))
    other = MembershipFactory(user=user)
    assert other.community_id in memberships_by_community(_fresh(user))


def test_a_kept_copy_costs_no_query(django_assert_num_queries):
    from events.permissions import memberships_by_community
    from projects.permissions import roles_by_project

    user = MembershipFactory().user
    _fresh(user)
    again = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        viewer.with_kept_roles(again)
        roles_by_project(again), memberships_by_community(again)


def test_another_worker_finds_the_kept_roles_and_the_forms_meeting(django_assert_num_queries):
    """Shared between the workers (fragments.kept): the form is served by one, its POST often by another."""
    from events.permissions import memberships_by_community
    from portal.calendar.selectors import meeting_for_form

    user = MembershipFactory().user
    meeting = MeetingFactory()
    _fresh(user)
    meeting_for_form(meeting.pk)
    caches[page_cache.PAGES_CACHE].clear()  # another worker: nothing in its own memory
    again = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        memberships_by_community(viewer.with_kept_roles(again))
        assert meeting_for_form(meeting.pk).project.pk == meeting.project_id


def test_rendered_fragments_stay_in_the_workers_memory():
    reader = UserFactory()
    assert render(reader, "first")[0].startswith("[first")
    caches[page_cache.PAGES_CACHE].clear()
    assert render(reader, "second")[0].startswith("[second")  # rendered again, not read from Redis


def test_nothing_is_kept_when_fragments_are_off(settings, django_assert_num_queries):
    from events.permissions import memberships_by_community

    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 0
    user = MembershipFactory().user
    _fresh(user)
    again = viewer.with_kept_roles(type(user).objects.get(pk=user.pk))
    with django_assert_num_queries(1):
        memberships_by_community(again)


# --- The user row kept between requests (portal/viewer.kept_user) --------------------


@pytest.mark.django_db(transaction=True)
def test_a_kept_user_row_still_ends_sessions_on_a_new_password_and_a_deactivation(client):
    from django.urls import reverse

    for change in ("password", "deactivate"):
        user = UserFactory()
        client.force_login(user)
        dashboard = reverse("workspace:dashboard")
        assert client.get(dashboard).status_code == 200
        assert client.get(dashboard).status_code == 200  # served with the kept row
        if change == "password":
            user.set_password("a completely new passphrase")
        else:
            user.is_active = False
        user.save()
        assert client.get(dashboard).status_code == 302, change  # signed out: to the login page


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_served_from_what_is_kept_asks_the_database_nothing(client):
    from django.urls import reverse

    from tests.query_counts import get_with_queries

    client.force_login(UserFactory())
    dashboard = reverse("workspace:dashboard")
    assert client.get(dashboard).status_code == 200
    response, count = get_with_queries(client, dashboard)
    assert response.status_code == 200 and count == 0
