"""No Docker engine runs here, so check the compose file's wiring instead."""

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def command_of(name: str) -> list[str]:
    command = SERVICES[name].get("command", [])
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_has_the_production_services():
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(SERVICES)


def test_named_volumes_are_declared_and_used():
    declared = set(COMPOSE["volumes"])
    used = {
        volume.split(":")[0]
        for service in SERVICES.values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/"))
    }
    assert used and used <= declared
    assert "pgdata" in used and "redisdata" in used


def test_redis_never_evicts_the_queue():
    command = command_of("redis")
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


def test_web_runs_gunicorn_on_the_real_wsgi_application():
    command = command_of("web")
    assert command[0] == "gunicorn"
    module, attr = next(arg for arg in command if re.fullmatch(r"[\w.]+:\w+", arg)).split(":")
    assert callable(getattr(importlib.import_module(module), attr))


@pytest.mark.parametrize("service, subcommand", [("worker", "worker"), ("beat", "beat")])
def test_celery_services_point_at_the_real_app(service, subcommand):
    command = command_of(service)
    assert command[0] == "celery" and subcommand in command
    app_module = command[command.index("-A") + 1]
    module = importlib.import_module(app_module)
    assert module.celery_app.main == "portal"


def test_manage_commands_in_compose_exist():
    commands = get_commands()
    for name in SERVICES:
        command = command_of(name)
        if "manage.py" in command:
            assert command[command.index("manage.py") + 1] in commands, name


def test_portal_services_run_production_settings_with_required_variables():
    for name in ("web", "worker", "beat"):
        env = SERVICES[name]["environment"]
        assert env["PORTAL_ENV"] == "production"
        for variable in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
            assert env[variable], (name, variable)
        assert env["DATABASE_URL"].startswith("postgres://")


def test_dockerfile_installs_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0"):
        assert package in dockerfile


def test_dockerfile_copies_every_project_app_and_the_backup_client():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for app in ("outbox", "partners", "projects", "events", "reports", "portal"):
        assert f"COPY {app} ./{app}" in dockerfile, app
    assert "postgresql-client" in dockerfile


def test_only_the_tls_proxy_is_published_and_gunicorn_is_reachable_through_it_only():
    published = {name for name, service in SERVICES.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {"80:80", "443:443"} <= set(SERVICES["proxy"]["ports"])
    assert SERVICES["web"]["expose"] == ["8000"]
    assert SERVICES["proxy"]["environment"]["PORTAL_UPSTREAM"] == "web:8000"
    assert SERVICES["proxy"]["environment"]["PORTAL_DOMAIN"] == "${PORTAL_DOMAIN:-localhost}"


def test_the_proxy_runs_the_repository_caddyfile_and_keeps_its_certificates():
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in SERVICES["proxy"]["volumes"]}
    assert (ROOT / mounts["/etc/caddy/Caddyfile"]).is_file()
    assert mounts["/data"] in COMPOSE["volumes"]
    # One proxy hop sets X-Forwarded-For: the portal believes exactly that one entry.
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
