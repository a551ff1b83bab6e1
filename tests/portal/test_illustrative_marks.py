"""Invented values carry their mark wherever they are shown (projects/illustrative.py).

One test per surface: the mark is there for a record with an ``illustrative_note`` and
absent for a sourced record.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from projects.illustrative import illustrative_text, with_illustrative_text
from tests.factories import (
    DeliverableFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    UpdateFactory,
    WorkPackageFactory,
)

pytestmark = pytest.mark.django_db

NOTE = "Exact time invented for the demo"
MARK = "Illustrative values:"


def soon() -> dict:
    start = timezone.now() + dt.timedelta(days=10)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_plain_text_mark_is_empty_for_a_sourced_record():
    assert illustrative_text(ProjectFactory.build(illustrative_note="")) == ""
    assert illustrative_text(ProjectFactory.build(illustrative_note=" Budget ")) == f"{MARK} Budget"
    assert with_illustrative_text("Body", object()) == "Body"


@pytest.mark.parametrize("note", [NOTE, ""])
def test_meeting_page_list_and_month_show_the_mark(client, note):
    meeting = MeetingFactory(title="Forum of the week", illustrative_note=note, **soon())
    local = timezone.localtime(meeting.starts_at)
    for url in (
        reverse("calendar:meeting", args=[meeting.pk]),
        reverse("calendar:list"),
        reverse("calendar:month", args=[local.year, local.month]),
        reverse("catalogue:detail", args=[meeting.project.slug]),
        reverse("home"),
    ):
        text = page(client, url)
        assert "Forum of the week" in text, url
        assert (NOTE in text) is bool(note), url


@pytest.mark.parametrize("note", ["City not given in the sources", ""])
def test_organisation_pages_show_the_mark(client, note):
    organisation = OrganisationFactory(name="Welcome Desk Ravenna", illustrative_note=note)
    ParticipationFactory(organisation=organisation, project=ProjectFactory())
    for url in (reverse("directory:detail", args=[organisation.pk]), reverse("directory:list")):
        text = page(client, url)
        assert "Welcome Desk Ravenna" in text, url
        assert ("City not given in the sources" in text) is bool(note), url


@pytest.mark.parametrize("note", ["Due day invented", ""])
def test_project_page_marks_its_work_packages_deliverables_and_updates(client, note):
    project = ProjectFactory(slug="marked", illustrative_note="")
    WorkPackageFactory(project=project, illustrative_note=note)
    DeliverableFactory(project=project, illustrative_note=note)
    UpdateFactory(project=project, illustrative_note=note)
    text = page(client, reverse("catalogue:detail", args=["marked"]))
    assert text.count("Due day invented") == (3 * 2 if note else 0)  # flag title and hidden text each


@pytest.mark.parametrize("note", ["Publication day invented", ""])
def test_updates_feeds_carry_the_note_in_the_description(client, note):
    UpdateFactory(title="Press mention", body="A newspaper wrote about us.", illustrative_note=note)
    for name, path, field in (
        ("calendar:updates_rss", "channel/item", "description"),
        ("calendar:updates_atom", "{http://www.w3.org/2005/Atom}entry", "{http://www.w3.org/2005/Atom}summary"),
    ):
        root = ET.fromstring(page(client, reverse(name)))
        [item] = root.findall(path)
        description = item.findtext(field)
        assert description.startswith("<p>A newspaper wrote about us.</p>"), name  # escaped text in paragraphs
        assert (f"{MARK} Publication day invented" in description) is bool(note), name


@pytest.mark.parametrize("note", [NOTE, ""])
def test_ics_description_carries_the_note(client, note):
    meeting = MeetingFactory(illustrative_note=note, **soon())
    response = client.get(reverse("calendar:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    [event] = icalendar.Calendar.from_ical(response.content).events
    assert (f"{MARK} {NOTE}" in str(event["description"])) is bool(note)
