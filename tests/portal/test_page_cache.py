"""The page cache (portal/page_cache.py): public pages for anonymous visitors, never anyone's own.

The embedded default (and so the rest of the suite) runs without it; these tests turn it on.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Meeting
from portal import page_cache
from tests.factories import (
    MeetingFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.kept_answers import kept
from tests.query_counts import get_with_queries, queries

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROD = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
}

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    with kept(settings, page_seconds=60):
        yield


def running(**kwargs):
    today = timezone.localdate()
    return ProjectFactory(start_date=today - dt.timedelta(days=100), end_date=today + dt.timedelta(days=100), **kwargs)


PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'seconds': s.PORTAL_PAGE_CACHE_SECONDS, 'pages': s.CACHES['pages']}))"
)


@pytest.mark.parametrize(
    "env, seconds", [({}, 0), ({"PORTAL_ENV": "production", **PROD}, 60)], ids=["embedded", "production"]
)
def test_on_in_production_off_in_the_embedded_default_and_never_in_redis(tmp_path, env, seconds):
    import json
    import os
    import subprocess
    import sys

    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**keep, "DJANGO_SETTINGS_MODULE": "portal.settings", "PORTAL_DATA_DIR": str(tmp_path), **env},
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["seconds"] == seconds
    # Each process's own memory, bounded: invented query strings cannot fill Celery's Redis.
    assert values["pages"]["BACKEND"].endswith("LocMemCache")
    assert values["pages"]["OPTIONS"]["MAX_ENTRIES"] > 0


@pytest.mark.parametrize("url_name", ["home", "catalogue:list", "directory:list", "calendar:list"])
def test_second_anonymous_visit_reads_no_database(client, url_name):
    running(acronym="CACHED")
    first, first_queries = get_with_queries(client, reverse(url_name))
    second, second_queries = get_with_queries(Client(), reverse(url_name))
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    # The same page, but for the visitor's own CSRF token.
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())


def test_project_and_organisation_pages_are_cached_and_private_ones_answer_404(client):
    project = running(acronym="OPEN")
    private = running(acronym="CLOSED", is_public=False)
    url = reverse("catalogue:detail", args=[project.slug])
    assert get_with_queries(client, url)[1] > 0
    assert get_with_queries(Client(), url)[1] == 0
    hidden = reverse("catalogue:detail", args=[private.slug])
    assert client.get(hidden).status_code == 404
    assert client.get(hidden).status_code == 404  # never cached as a page


def test_every_visitor_gets_their_own_csrf_token_that_works():
    running()
    first = Client().get(reverse("home"))  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("home"))
    token = TOKEN.search(page.content.decode()).group(1)
    assert token != TOKEN.search(first.content.decode()).group(1)
    assert "csrftoken" in page.cookies
    response = visitor.post(reverse("set_language"), {"language": "de", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_signed_in_people_neither_get_nor_fill_the_cache(client):
    project = running(acronym="INSIDE")
    MeetingFactory(
        project=project,
        title="Partners only",
        starts_at=timezone.now() + dt.timedelta(days=2),
        audience=Meeting.Audience.PARTNERS,
    )
    anonymous = Client()
    assert "Partners only" not in anonymous.get(reverse("home")).content.decode()  # cached now

    insider = Client()
    insider.force_login(ProjectRoleFactory(project=project).user)
    response, query_count = get_with_queries(insider, reverse("home"))
    assert query_count > 0 and "Partners only" in response.content.decode()

    # The insider's page did not replace the anonymous one.
    assert "Partners only" not in Client().get(reverse("home")).content.decode()


# Committed for real (no test transaction around them), as the invalidation waits for the commit.
@pytest.mark.django_db(transaction=True)
def test_a_write_shows_at_once(client):
    running(acronym="FIRST")
    assert "SECOND" not in client.get(reverse("home")).content.decode()
    running(acronym="SECOND")
    assert "SECOND" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_registrations_do_not_invalidate():
    project = running()
    meeting = MeetingFactory(project=project, starts_at=timezone.now() + dt.timedelta(days=2))
    Client().get(reverse("home"))
    RegistrationFactory(meeting=meeting, user=UserFactory())
    assert get_with_queries(Client(), reverse("home"))[1] == 0


def test_languages_and_query_strings_are_cached_apart(client):
    running(acronym="BOTH")
    english = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en">' in english and '<html lang="de">' in german
    running_only = Client().get(reverse("catalogue:list") + "?status=running").content.decode()
    closed_only = Client().get(reverse("catalogue:list") + "?status=closed").content.decode()
    assert "BOTH" in running_only and "BOTH" not in closed_only


def test_a_waiting_message_is_shown_not_swallowed(client):
    running()
    Client().get(reverse("home"))  # cached without a message
    client.force_login(UserFactory())
    response = client.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain and "You have signed out." in response.content.decode()


def test_only_the_shown_models_invalidate_and_registrations_keep_the_fast_delete():
    """Receivers for every sender would cost Django's fast cascade delete for every model."""
    from events.models import Membership, Registration
    from projects.models import Project

    shown = page_cache.shown_models()
    assert Project in shown and Meeting in shown
    assert Registration not in shown and Membership not in shown

    meeting = MeetingFactory()
    for _ in range(3):
        RegistrationFactory(meeting=meeting, user=UserFactory())
    with queries() as captured:
        meeting.delete()
    # One DELETE for the registrations, never a SELECT of each to send signals.
    assert not [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "events_registration"')]


def test_a_transaction_invalidates_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(5):
            running(acronym=f"MANY-{n}")
    assert callbacks.count(page_cache.invalidate) == 1
