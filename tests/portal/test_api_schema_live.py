"""Schemathesis against the API of a real server: gunicorn with the production settings, over HTTP.

The in-process run (tests/portal/test_api_schema.py) goes through Django's WSGI handler;
this one goes through what production runs: gunicorn's workers and threads, the production
settings (DEBUG off, the Redis cache, the page cache and fragments on, as deployed) on the
suite's PostgreSQL and Redis servers. The schema is read over HTTP from /api/v1/schema/,
and every operation it lists (the write operations too, answering an anonymous caller's
401/403) is called with generated input, valid and invalid: never a 5xx, and every answer
conforms to the schema. The rows are committed (a transactional test), so the server sees them.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis

from tests.portal.test_api_schema import JSON_SCHEMA, MODES, SCHEMA_URL, build_api_world, check_every_operation
from tests.production_env import production_env
from tests.servers import _free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/healthz/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@pytest.fixture
def server() -> Iterator[str]:
    """gunicorn serving the portal with the production settings; yields its base URL."""
    base = Path(tempfile.mkdtemp(prefix="portal-test-api-live-"))
    port = _free_port()
    env = {
        **production_env(base),
        # Plain HTTP on the loopback, without the TLS proxy production has in front.
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "PORTAL_BASE_URL": f"http://{HOST}:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "TRUSTED_PROXY_COUNT": "0",
        # Every generated request comes from one address: the limits would answer 429 after 120.
        "PORTAL_API_RATE_PER_ADDRESS": "100000/minute",
        "PORTAL_API_RATE_PER_PERSON": "100000/minute",
    }
    log_path = base / "gunicorn.log"
    process = None
    try:
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"{HOST}:{port}",
                 "--workers", "2", "--worker-class", "gthread", "--threads", "2", "--timeout", "60"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not come up:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield f"http://{HOST}:{port}"
    finally:
        stop_process(process)
        # What the server logged (a traceback behind a 5xx) is shown with a failure.
        print(log_path.read_text(errors="replace")[-5000:] if log_path.exists() else "")
        shutil.rmtree(base, ignore_errors=True)


def test_every_operation_of_the_served_schema_conforms(server):
    build_api_world()
    schema = schemathesis.openapi.from_url(f"{server}{SCHEMA_URL}", headers=JSON_SCHEMA, timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16  # 8 resources, each a list and a detail, and whatever is added
    for mode in MODES:
        # Fewer examples than in-process: each is a real HTTP request (the run stays within about a minute).
        check_every_operation(operations, mode, examples=12, base_url=server)
