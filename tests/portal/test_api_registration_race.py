"""API registrations compete with browser registrations for the same seats, at the same moment.

Real PostgreSQL, each request in its own thread with its own connection, all released at once
(tests/events/test_registration_race.py's run_at_once). Half of the people register through
POST /api/v1/meetings/{id}/registration/, half through the browser's registration form: the
seats still go exactly once, the rest wait in the order they came, and everyone is told the
place the line really gives them.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Registration
from events.services.registrations import NOTICE_TASK
from tests.events.test_registration_race import future_meeting, line, run_at_once
from tests.factories import UserFactory
from tests.outbox_capture import capture

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PEOPLE = 40
SEATS = 10
ROUNDS = 3


@pytest.fixture(autouse=True)
def no_mail(monkeypatch) -> None:
    # The notices are tested elsewhere (tests/portal/test_api_writes.py compares them with the browser's).
    capture(monkeypatch, [], task=NOTICE_TASK)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # before the race: the login writes its own rows
    return client


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_api_and_browser_registrations_share_the_seats(round_):
    meeting = future_meeting(capacity=SEATS)
    api_url = reverse("api:meeting-registration", kwargs={"pk": meeting.pk})
    form_url = reverse("registrations:register", kwargs={"pk": meeting.pk})
    people = [UserFactory() for _ in range(PEOPLE)]
    by_api = {person.pk for person in people[::2]}

    def through_api(client: Client):
        return "api", client.post(api_url, data="{}", content_type="application/json")

    def through_browser(client: Client):
        return "browser", client.post(form_url, {"sector": "public", "access_needs": "", "interpretation_language": ""})

    clients = [(_signed_in(person), person.pk in by_api) for person in people]
    jobs = [(lambda c=client, api=api: through_api(c) if api else through_browser(c)) for client, api in clients]
    results, failures = run_at_once(jobs)
    assert failures == []
    statuses = sorted((way, response.status_code) for way, response in results)
    assert statuses == sorted([("api", 201)] * len(by_api) + [("browser", 302)] * (PEOPLE - len(by_api)))

    rows = line(meeting)
    assert len(rows) == PEOPLE
    # Exactly the first ten to get the meeting's lock hold seats, whichever way they came.
    assert [row.status for row in rows] == [Registration.Status.CONFIRMED] * SEATS + [
        Registration.Status.WAITLISTED
    ] * (PEOPLE - SEATS)
    assert [row.waitlist_position for row in rows[SEATS:]] == list(range(1, PEOPLE - SEATS + 1))
    # Both ways took part in the race for the seats and in the line.
    ways = {row.user_id in by_api for row in rows}
    assert ways == {True, False}
    # Each API caller was told the place the line gives them.
    told = {
        body["id"]: (body["status"], body["position"])
        for way, response in results
        if way == "api"
        for body in [json.loads(response.content)]
    }
    assert told == {row.pk: (row.status, row.waitlist_position) for row in rows if row.user_id in by_api}
