"""Schemathesis against the API's own OpenAPI schema, in-process on the test database.

Every operation, with generated input (valid and invalid): never a 5xx, and every answer
(status, content type, headers, body) conforms to the schema. Few examples per operation,
so the whole run takes a minute or two.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from portal.wsgi import application
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UpdateFactory,
)
from tests.worlds import built_once


def build_api_world() -> dict[str, Any]:
    """Some rows in every list, so the answers with bodies are checked too, not only the 404s;
    and for the signed-in run of the writes, the project's coordinator and meetings still ahead."""
    project = ProjectFactory(slug="schema-world")
    ParticipationFactory(project=project, organisation=OrganisationFactory(country="IT"))
    community = CommunityFactory(project=project)
    MeetingFactory(project=project, community=community)
    deliverable = DeliverableFactory(project=project)
    UpdateFactory(project=project)
    coordinator = ProjectRoleFactory(project=project).user
    ahead = timezone.now() + dt.timedelta(days=30)
    return {
        "coordinator": coordinator,
        # One meeting the generated changes go to, another one to register for (still open).
        "meeting": MeetingFactory(project=project, starts_at=ahead, capacity=2),
        "open_meeting": MeetingFactory(project=project, starts_at=ahead, capacity=2),
        "deliverable": deliverable,
    }


@pytest.fixture(scope="module")
def api_world(django_db_blocker):
    with built_once(django_db_blocker):
        yield build_api_world()


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
            response = case.call(**call)
            # A request line longer than gunicorn's limit (4,094 bytes) is refused by gunicorn
            # itself, before the portal sees it, with a 414: a rejection that schemathesis's
            # list of rejecting statuses leaves out.
            if response.status_code == 414:
                return
            case.validate_response(response, excluded_checks=[positive_data_acceptance], transport_kwargs=call or None)

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
    # 8 public resources, each a list and a detail; the reports (list, detail, download) and a
    # project's internal data (4); the writes: meetings and deliverables created and changed (4),
    # one's own registration read, made and cancelled (3). Anonymous here: 401.
    assert len(operations) == 16 + 4 + 7
    check_every_operation(operations, mode)


# --- The writes, signed in -------------------------------------------------------------------

WRITES = {"POST", "PATCH", "DELETE"}


def _signed_in(client, user) -> dict[str, dict[str, str]]:
    """A browser session's cookie and its CSRF token (cookie and header), as a page's script sends them."""
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    token = _get_new_csrf_string()
    return {
        "cookies": {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: token},
        "headers": {"X-CSRFToken": token},
    }


def _aimed(case, world, mode) -> None:
    """Valid input names the world's objects: random ids and slugs would only ever meet a 404.

    Only in the positive mode: a negative case's invalid part may be the very id or slug."""
    if mode != GenerationMode.POSITIVE:
        return
    path = case.operation.path
    if "{id}" in path:
        if path.startswith("/api/v1/deliverables/"):
            target = world["deliverable"]
        else:
            target = world["open_meeting"] if path.endswith("/registration/") else world["meeting"]
        case.path_parameters = {**(case.path_parameters or {}), "id": target.pk}
    if isinstance(case.body, dict) and case.operation.method.upper() == "POST" and "project" in case.body:
        case.body["project"] = "schema-world"
        if path == "/api/v1/meetings/":
            # The form's rules across fields, which a schema cannot say: a title, and the end after the start.
            case.body["title"] = case.body.get("title") or "Generated meeting"
            try:
                starts, ends = (dt.datetime.fromisoformat(case.body[name]) for name in ("starts_at", "ends_at"))
                if starts.tzinfo and ends.tzinfo and ends < starts:
                    case.body["starts_at"], case.body["ends_at"] = case.body["ends_at"], case.body["starts_at"]
            except (KeyError, TypeError, ValueError):
                pass


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_every_write_conforms_to_the_schema_when_signed_in(db, api_world, keep_connection, client, mode):
    """The coordinator of the world's project sends generated input to every write: never a 5xx,
    every answer as documented (201 and 200 with the object, 400 with the messages per field, 409)."""
    signed_in = _signed_in(client, api_world["coordinator"])
    operations = [
        operation
        for operation in _operations()
        if operation.method.upper() in WRITES or operation.path.endswith("/registration/")
    ]
    assert len(operations) == 7
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            if case.meta is not None and case.meta.is_negative_at(ParameterLocation.COOKIE):
                return  # an invalid session cookie, which the signed-in session below replaces
            _aimed(case, api_world, mode)
            # Always signed in on purpose: the anonymous run above checks the refusals.
            case.call_and_validate(**signed_in, excluded_checks=[positive_data_acceptance, ignored_auth])

        check()
