"""schema.org JSON-LD on the meeting, project and organisation pages (portal/jsonld.py).

Validated against a small hand-written list of the properties each schema.org type must
(for search engines' rich results) and should carry, without the network.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from events.models import Meeting
from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA = "https://schema.org"
# Type → (required, expected) properties. Required: what Google's Event rich result and the
# schema.org definitions need to make sense of the thing; expected: what the page knows.
PROPERTIES = {
    "Event": (
        {"name", "startDate", "location"},
        {"endDate", "eventStatus", "eventAttendanceMode", "organizer", "offers", "url"},
    ),
    "Project": ({"name", "url"}, {"alternateName", "foundingDate", "dissolutionDate", "funder", "member"}),
    "Organization": ({"name", "url"}, {"address", "memberOf"}),
    "Place": ({"address"}, {"name"}),
    "VirtualLocation": ({"url"}, set()),
    "PostalAddress": ({"addressCountry"}, {"addressLocality"}),
    "Offer": ({"availability"}, {"url"}),
}
EVENT_STATUSES = {f"{SCHEMA}/EventScheduled", f"{SCHEMA}/EventCancelled"}
ATTENDANCE_MODES = {
    f"{SCHEMA}/OfflineEventAttendanceMode",
    f"{SCHEMA}/OnlineEventAttendanceMode",
    f"{SCHEMA}/MixedEventAttendanceMode",
}
AVAILABILITIES = {f"{SCHEMA}/InStock", f"{SCHEMA}/SoldOut"}
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def validate(node: dict, expected_type: str) -> None:
    """Each typed node has its required and expected properties, recursively."""
    assert node["@type"] == expected_type
    required, expected = PROPERTIES[expected_type]
    missing = (required | expected) - set(node)
    assert not missing, f"{expected_type} lacks {missing}"
    for value in node.values():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict) and child.get("@type") in PROPERTIES and child is not node:
                validate_loose(child)


def validate_loose(node: dict) -> None:
    """Nested nodes: the required properties only (a member organisation may have no page)."""
    required, _expected = PROPERTIES[node["@type"]]
    if node["@type"] in {"Organization", "Project"}:
        required = {"name"}
    missing = required - set(node)
    assert not missing, f"{node['@type']} lacks {missing}"


def json_ld(response) -> dict:
    assert response.status_code == 200
    [block] = BLOCK.findall(response.content.decode())
    data = json.loads(block)
    assert data["@context"] == SCHEMA
    return data


def test_a_meeting_is_an_event_with_place_times_organiser_and_seats(client):
    meeting = MeetingFactory(title="Open forum", capacity=2)
    RegistrationFactory(meeting=meeting)
    data = json_ld(client.get(reverse("calendar:meeting", args=[meeting.pk])))
    validate(data, "Event")
    assert data["name"] == "Open forum"
    assert data["startDate"] == "2025-05-14T10:00:00+02:00"
    assert data["eventStatus"] == f"{SCHEMA}/EventScheduled"
    assert data["eventAttendanceMode"] == f"{SCHEMA}/OfflineEventAttendanceMode"
    validate(data["location"], "Place")
    assert data["location"]["address"]["addressLocality"] == "Berlin"
    assert data["organizer"]["alternateName"] == meeting.project.acronym
    assert data["offers"]["availability"] == f"{SCHEMA}/InStock"
    assert data["offers"]["inventoryLevel"]["value"] == 1


def test_a_full_meeting_is_sold_out_and_a_cancelled_one_says_so(client):
    meeting = MeetingFactory(capacity=1, status=Meeting.Status.CANCELLED)
    RegistrationFactory(meeting=meeting)
    data = json_ld(client.get(reverse("calendar:meeting", args=[meeting.pk])))
    assert data["offers"]["availability"] == f"{SCHEMA}/SoldOut"
    assert data["eventStatus"] == f"{SCHEMA}/EventCancelled"


@pytest.mark.parametrize(
    ("meeting_format", "mode", "locations"),
    [
        ("online", "OnlineEventAttendanceMode", ["VirtualLocation"]),
        ("hybrid", "MixedEventAttendanceMode", ["Place", "VirtualLocation"]),
    ],
)
def test_online_and_hybrid_meetings_have_a_virtual_location_without_the_join_link(
    client, meeting_format, mode, locations
):
    meeting = MeetingFactory(format=meeting_format, online_link="https://meet.example/secret-room")
    response = client.get(reverse("calendar:meeting", args=[meeting.pk]))
    data = json_ld(response)
    assert data["eventAttendanceMode"] == f"{SCHEMA}/{mode}"
    found = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert [node["@type"] for node in found] == locations
    for node in found:
        validate(node, node["@type"])
    assert "secret-room" not in json.dumps(data)


def test_an_unlimited_meeting_is_in_stock(client):
    data = json_ld(client.get(reverse("calendar:meeting", args=[MeetingFactory(capacity=None).pk])))
    assert data["offers"] == {"@type": "Offer", "url": data["url"], "availability": f"{SCHEMA}/InStock"}


def test_a_project_page_describes_a_project_with_its_consortium(client):
    project = ProjectFactory(acronym="OPEN", website="https://open.example.org/")
    ParticipationFactory(project=project, organisation=OrganisationFactory(name="Stadt Ravenna"), role="coordinator")
    data = json_ld(client.get(reverse("catalogue:detail", args=[project.slug])))
    validate(data, "Project")
    assert data["alternateName"] == "OPEN"
    assert data["foundingDate"] == "2025-01-01" and data["dissolutionDate"] == "2027-12-31"
    assert data["sameAs"] == "https://open.example.org/"
    assert [member["name"] for member in data["member"]] == ["Stadt Ravenna"]
    assert data["member"][0]["url"].endswith(
        reverse("directory:detail", args=[project.participations.get().organisation_id])
    )


def test_an_organisation_page_describes_an_organization(client):
    organisation = OrganisationFactory(name="Stadt Ravenna", city="Ravenna", country="IT")
    ParticipationFactory(organisation=organisation, project=ProjectFactory(acronym="OPEN"))
    ParticipationFactory(organisation=organisation, project=ProjectFactory(acronym="HIDDEN", is_public=False))
    data = json_ld(client.get(reverse("directory:detail", args=[organisation.pk])))
    validate(data, "Organization")
    assert data["address"] == {"@type": "PostalAddress", "addressLocality": "Ravenna", "addressCountry": "IT"}
    assert [project["name"] for project in data["memberOf"]] == ["OPEN"]


def test_a_script_end_tag_in_a_title_cannot_leave_the_block(client):
    meeting = MeetingFactory(title='</script><script>alert("x")</script><!--')
    content = client.get(reverse("calendar:meeting", args=[meeting.pk])).content.decode()
    [block] = BLOCK.findall(content)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["name"] == '</script><script>alert("x")</script><!--'


def test_the_block_is_a_data_block_the_policy_does_not_need_to_allow(client):
    """CSP's script-src governs scripts that run; a type="application/ld+json" block is data.

    Browsers neither run it nor check it against the policy, so it carries no nonce and
    the policy stays without 'unsafe-inline' (tests/browser/test_csp.py loads these pages
    in Chromium and sees no violation).
    """
    meeting = MeetingFactory()
    response = client.get(reverse("calendar:meeting", args=[meeting.pk]))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert '<script type="application/ld+json">' in response.content.decode()
