"""The API's list endpoints read as many rows in the same number of queries: 1 row or 50."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    MeetingFactory,
    ParticipationFactory,
    ProjectFactory,
    RegistrationFactory,
    UpdateFactory,
)
from tests.query_counts import assert_no_more_queries, queries

pytestmark = pytest.mark.django_db


def _project_with_partner() -> None:
    ParticipationFactory(project=ProjectFactory())


def _meeting() -> None:
    meeting = MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=3), community=CommunityFactory())
    RegistrationFactory(meeting=meeting)


BUILDERS: dict[str, Callable[[], object]] = {
    "/api/v1/programmes/?page_size=100": FundingProgrammeFactory,
    "/api/v1/projects/?page_size=100": _project_with_partner,
    "/api/v1/projects/?country=DE&page_size=100": _project_with_partner,
    "/api/v1/organisations/?page_size=100": _project_with_partner,
    "/api/v1/participations/?page_size=100": _project_with_partner,
    "/api/v1/communities/?page_size=100": CommunityFactory,
    "/api/v1/meetings/?page_size=100": _meeting,
    "/api/v1/deliverables/?page_size=100": DeliverableFactory,
    "/api/v1/news/?page_size=100": UpdateFactory,
}


@pytest.mark.parametrize("url", list(BUILDERS))
def test_list_queries_do_not_grow_with_the_rows(client, url):
    build = BUILDERS[url]
    build()
    with queries() as few:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    for _ in range(49):
        build()
    with queries() as many:
        response = client.get(url)
    assert len(response.json()["results"]) == 50
    assert_no_more_queries(few, many)
