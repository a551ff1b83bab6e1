"""Schemathesis against the API's own OpenAPI schema, in-process on the test database.

Every operation, with generated input (valid and invalid): never a 5xx, and every answer
(status, content type, headers, body) conforms to the schema. Few examples per operation,
so the whole run takes a minute or two.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.wsgi import application
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    UpdateFactory,
)
from tests.worlds import built_once


def build_api_world() -> None:
    """Some rows in every list, so the answers with bodies are checked too, not only the 404s."""
    project = ProjectFactory(slug="schema-world")
    ParticipationFactory(project=project, organisation=OrganisationFactory(country="IT"))
    community = CommunityFactory(project=project)
    MeetingFactory(project=project, community=community)
    DeliverableFactory(project=project)
    UpdateFactory(project=project)


@pytest.fixture(scope="module")
def api_world(django_db_blocker):
    with built_once(django_db_blocker):
        build_api_world()
        yield


def _operations() -> list:
    return [
        result.ok()
        for result in schemathesis.openapi.from_wsgi(SCHEMA_URL, application, headers=JSON_SCHEMA).get_all_operations()
    ]


# One test per mode, each going through every operation (the schema is read in the test: it
# needs the database, which pytest's collection has not). A failure names its operation and a curl line.
SCHEMA_URL = "/api/v1/schema/"
JSON_SCHEMA = {"Accept": "application/vnd.oai.openapi+json"}
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
NO_INVALID_INPUT = {"GET /api/v1/projects/{slug}/", "GET /api/v1/communities/{slug}/"}
# Not checked: that any schema-valid value is accepted. The filters that choose an object by
# its slug (?project=, ?community=, ?programme=) answer 400 to a slug the caller cannot see,
# as the pages' filters do; the schema cannot list the valid ones without listing private ones.


def test_the_schema_is_openapi_3_1(db, client):
    response = client.get(SCHEMA_URL, headers=JSON_SCHEMA)
    assert response.status_code == 200
    assert json.loads(response.content)["openapi"] == "3.1.0"


@pytest.fixture
def keep_connection():
    """As Django's test client: the WSGI handler must not close the test's database connection after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def check_every_operation(operations: list, mode: GenerationMode, examples: int = 20, **call: Any) -> None:
    """Generated cases of every operation, each sent and its answer checked against the schema.

    ``call``: what ``call_and_validate`` needs besides the case (the live server's ``base_url``).
    """
    skipped: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            case.call_and_validate(excluded_checks=[positive_data_acceptance], **call)

        try:
            check()
        except Unsatisfiable:
            # Nothing schema-violating to send: an operation whose only input is a string path
            # parameter (a slug) has no invalid value. Everything else must have been tried.
            assert mode == GenerationMode.NEGATIVE, operation.label
            skipped.append(operation.label)
    assert set(skipped) <= NO_INVALID_INPUT, skipped


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_every_operation_conforms_to_the_schema(db, api_world, keep_connection, mode):
    operations = _operations()
    assert len(operations) == 16  # 8 resources, each a list and a detail
    check_every_operation(operations, mode)
