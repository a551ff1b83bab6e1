"""The suite really runs on PostgreSQL and Redis, and a real Celery worker answers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from tests.servers import IN_CI

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_database_is_postgresql_in_ci():
    if IN_CI:
        assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.services
def test_cache_is_redis():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "portal.resilient_cache.ResilientRedisCache"
    cache.set("portal-test", {"answer": 42}, 10)
    assert cache.get("portal-test") == {"answer": 42}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_answers_through_redis(settings):
    """Start a worker process on the real broker and round-trip a task through it."""
    from portal.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"],
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        result = app.send_task("portal.health_check")
        answer = result.get(timeout=60)
        assert answer["database"] == "postgresql"
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "Traceback" not in output, output


@pytest.mark.django_db
def test_check_services_command_in_embedded_mode(capsys):
    call_command("check_services")
    out = capsys.readouterr().out
    assert "database:" in out and "all services answer" in out
