"""Meeting titles and agendas, community names, work package and deliverable titles in two
languages: the page's language wins, the other fills in and is marked with ``lang``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Community, Meeting
from projects.models import Deliverable, WorkPackage
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    ProjectFactory,
    WorkPackageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    project = ProjectFactory(is_public=True, start_date=dt.date(2025, 1, 1), end_date=dt.date(2030, 12, 31))
    community = CommunityFactory(project=project, name="Neighbourhood CoP", name_de="Quartiers-CoP")
    german_only = CommunityFactory(project=project, name="", name_de="Runder Tisch Offenbach")
    wp = WorkPackageFactory(project=project, title="Dissemination", title_de="Verbreitung")
    DeliverableFactory(project=project, code="D1.1", title="Toolkit", title_de="Werkzeugkasten", work_package=wp)
    DeliverableFactory(project=project, code="D1.2", title="", title_de="Abschlussbericht")
    start = timezone.now() + dt.timedelta(days=20)
    meeting = MeetingFactory(
        project=project,
        community=community,
        title="Spring meeting",
        title_de="Frühjahrstreffen",
        agenda="1. Welcome",
        agenda_de="1. Begrüßung",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    english_only = MeetingFactory(
        project=project, title="Study visit", title_de="", agenda="", agenda_de="1. Rundgang", starts_at=start
    )
    return {
        "project": project,
        "community": community,
        "german_only": german_only,
        "meeting": meeting,
        "english_only": english_only,
    }


def page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "title", "agenda", "community"),
    [
        ("de", "Frühjahrstreffen", "1. Begrüßung", "Quartiers-CoP"),
        ("en", "Spring meeting", "1. Welcome", "Neighbourhood CoP"),
    ],
)
def test_the_meeting_page_shows_title_agenda_and_community_in_the_page_language(
    client, world, language, title, agenda, community
):
    body = page(client, reverse("calendar:meeting", args=[world["meeting"].pk]), language)
    assert f"<h1><span>{title}</span></h1>" in body
    assert agenda in body and community in body


def test_a_fallback_is_marked_with_its_language(client, world):
    body = page(client, reverse("calendar:meeting", args=[world["english_only"].pk]), "de")
    assert '<h1><span lang="en">Study visit</span></h1>' in body
    assert "1. Rundgang" in body  # the German agenda, in its own language: no mark
    body = page(client, reverse("calendar:community", args=[world["german_only"].slug]), "en")
    assert '<span lang="de">Runder Tisch Offenbach</span>' in body


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("de", ["Verbreitung", "Werkzeugkasten", "Abschlussbericht", "Quartiers-CoP"], ["Toolkit", "Dissemination"]),
        ("en", ["Dissemination", "Toolkit", "Neighbourhood CoP"], ["Werkzeugkasten", "Verbreitung"]),
    ],
)
def test_the_project_page_shows_work_packages_deliverables_and_communities_in_the_page_language(
    client, world, language, shown, hidden
):
    body = page(client, reverse("catalogue:detail", args=[world["project"].slug]), language)
    for text in shown:
        assert text in body, text
    for text in hidden:
        assert f">{text}<" not in body, text
    if language == "en":
        # No English title: the German one, marked as German (the tag may wrap before its attribute).
        assert re.search(r'<span\s+lang="de">Abschlussbericht</span>', body)


def test_the_calendar_lists_the_german_titles_on_the_german_page(client, world):
    body = page(client, reverse("calendar:list"), "de")
    assert "Frühjahrstreffen" in body and "Spring meeting" not in body


def test_str_and_display_follow_the_active_language(world):
    meeting, community = world["meeting"], world["community"]
    wp = WorkPackage.objects.get(project=world["project"])
    with translation.override("de"):
        assert str(meeting) == "Frühjahrstreffen" and meeting.display_agenda == "1. Begrüßung"
        assert str(community) == "Quartiers-CoP" and str(wp).endswith("Verbreitung")
        assert str(Deliverable.objects.get(code="D1.1")) == "D1.1 Werkzeugkasten"
    with translation.override("en"):
        assert str(meeting) == "Spring meeting" and community.display_name.lang == "en"
        assert str(Deliverable.objects.get(code="D1.2")) == "D1.2 Abschlussbericht"


def test_each_text_needs_at_least_one_language(world):
    project = world["project"]
    for build in (
        lambda: MeetingFactory(project=project, title="", title_de=""),
        lambda: CommunityFactory(project=project, name="", name_de=""),
        lambda: WorkPackageFactory(project=project, title="", title_de=""),
        lambda: DeliverableFactory(project=project, title="", title_de=""),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            build()


def test_german_only_names_and_titles_do_not_collide_on_the_empty_english_one(world):
    project, start = world["project"], world["meeting"].starts_at
    CommunityFactory(project=project, name="", name_de="Zweiter Runder Tisch")
    MeetingFactory(project=project, title="", title_de="Treffen A", starts_at=start)
    MeetingFactory(project=project, title="", title_de="Treffen B", starts_at=start)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityFactory(project=project, name="", name_de="Zweiter Runder Tisch")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(project=project, title="", title_de="Treffen A", starts_at=start)
    assert Community.objects.filter(project=project, name="").count() == 2
    assert Meeting.objects.filter(project=project, title="").count() == 2
