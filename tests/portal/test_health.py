"""/healthz/: the load balancer's and the compose healthcheck's question "does the web process answer?"."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import resolve, reverse

from portal import views

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_as_plain_text_without_reading_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    # A cached "ok" would hide a dead process.
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_runs_through_the_middleware_stack(client):
    response = client.get(reverse("healthz"))
    # Set by SecurityMiddleware and XFrameOptionsMiddleware: the same stack as every page.
    assert response.has_header("X-Frame-Options")
    assert response.has_header("X-Content-Type-Options")


def test_healthz_answers_head_and_refuses_writes(client):
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405


def test_compose_web_healthcheck_asks_healthz():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    command = " ".join(test[1:])
    assert "http://127.0.0.1:8000/healthz/" in command
    assert resolve("/healthz/").func is views.healthz


@pytest.mark.parametrize(
    "allowed_hosts, exit_code", [("localhost,127.0.0.1", 0), (".localhost", 0), ("other.example", 1)]
)
def test_compose_healthcheck_command_sends_an_allowed_host(live_server, settings, allowed_hosts, exit_code):
    """The compose check, run against a live server: it passes only when Django accepts its Host header."""
    settings.ALLOWED_HOSTS = ["localhost"]
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    test = compose["services"]["web"]["healthcheck"]["test"]
    code = test[test.index("-c") + 1].replace("http://127.0.0.1:8000", live_server.url)
    result = subprocess.run(
        [sys.executable, "-c", code], env={"DJANGO_ALLOWED_HOSTS": allowed_hosts}, capture_output=True, timeout=30
    )
    assert result.returncode == exit_code, result.stderr.decode()


def test_a_booting_worker_loads_every_view_before_its_first_request():
    # gunicorn imports portal.wsgi when a worker boots; the URL configuration (and every
    # view module) is loaded then, not in the first visitor's request.
    code = (
        "import sys, portal.wsgi; "
        "from django.conf import settings; "
        "assert settings.ROOT_URLCONF in sys.modules; "
        "assert 'portal.registrations.views' in sys.modules"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr.decode()[-2000:]


@pytest.mark.django_db
def test_readyz_names_each_dependency_and_answers_from_its_last_look_for_a_few_seconds(client, monkeypatch):
    from portal import readiness

    monkeypatch.setattr(readiness, "_recent", (-readiness.RECENT_SECONDS, []))
    looks = []
    original = readiness.all_checks
    monkeypatch.setattr(readiness, "all_checks", lambda **kwargs: looks.append(1) or original(**kwargs))
    first = client.get("/readyz/")
    second = client.get("/readyz/")
    assert first.status_code == second.status_code
    assert set(first.json()["checks"]) == {"database", "redis", "workers", "outbox"}
    assert len(looks) == 1
