"""Times show in Europe/Berlin unless the signed-in person chose another zone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

# 08:00 UTC on 14 May 2025: 10:00 in Berlin (CEST), 04:00 in New York (EDT).
STARTS = dt.datetime(2025, 5, 14, 8, 0, tzinfo=dt.UTC)


def meeting_page(client, meeting) -> str:
    response = client.get(reverse("calendar:meeting", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def public_meeting():
    return MeetingFactory(
        project=ProjectFactory(is_public=True),
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
        timezone="Europe/Berlin",
    )


def test_visitors_see_berlin_time(client):
    body = meeting_page(client, public_meeting())
    assert "10:00" in body and "Europe/Berlin" in body


def test_a_person_who_chose_a_zone_sees_times_there_and_the_local_time_too(client):
    meeting = public_meeting()
    client.force_login(UserFactory(time_zone="America/New_York"))
    body = meeting_page(client, meeting)
    assert "4:00" in body or "04:00" in body
    assert "America/New_York" in body
    # The time at the venue stays visible for travellers.
    assert "Local time at the meeting" in body and "Europe/Berlin" in body
    # The next request in this thread is nobody's: it is back on the portal's zone.
    assert timezone.get_current_timezone_name() == "Europe/Berlin"


def test_an_unknown_stored_zone_falls_back_to_berlin(client):
    meeting = public_meeting()
    client.force_login(UserFactory(time_zone="Mars/Olympus_Mons"))
    body = meeting_page(client, meeting)
    assert "10:00" in body


def test_profile_saves_a_time_zone_and_refuses_an_unknown_one(client):
    user = UserFactory(time_zone="")
    client.force_login(user)
    data = {
        "first_name": "Anna",
        "last_name": "Rossi",
        "organisation": "",
        "organisation_name": "",
        "preferred_language": "en",
        "sector": "",
    }
    response = client.post(reverse("account_profile"), {**data, "time_zone": "Europe/Rome"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Europe/Rome"

    response = client.post(
        reverse("account_profile"), {**data, "time_zone": "Europe/Atlantis"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "Europe/Rome"
