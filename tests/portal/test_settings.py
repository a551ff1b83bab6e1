"""Settings come from the environment: the embedded default needs nothing, production fails fast."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
    "'cache': s.CACHES['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'email': s.EMAIL_BACKEND, 'media': str(s.MEDIA_ROOT), 'env': s.PORTAL_ENV, "
    "'broker': s.CELERY_BROKER_URL}))"
)
PROD = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def run_settings(env_overrides: dict[str, str], tmp_path: Path, settings_module: str = "portal.settings"):
    # A clean environment: nothing the developer or the test servers exported leaks in.
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SYSTEMROOT"}}
    env = {**keep, "DJANGO_SETTINGS_MODULE": settings_module, "PORTAL_DATA_DIR": str(tmp_path), **env_overrides}
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_embedded_default_needs_no_configuration(tmp_path):
    import json

    result = run_settings({}, tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["env"] == "embedded"
    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["media"].startswith(str(tmp_path))
    assert (tmp_path / "secret_key").exists(), "the embedded default keeps a generated key in its data dir"


@pytest.mark.parametrize("select", [{"PORTAL_ENV": "production"}, {}], ids=["PORTAL_ENV", "settings-module"])
@pytest.mark.parametrize("missing", sorted(PROD))
def test_production_fails_fast_without_required_variable(tmp_path, select, missing):
    env = {**PROD, **select}
    del env[missing]
    module = "portal.settings" if select else "portal.settings.production"
    result = run_settings(env, tmp_path, module)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is not set" in result.stderr


def test_production_refuses_a_short_secret(tmp_path):
    result = run_settings({**PROD, "PORTAL_ENV": "production", "DJANGO_SECRET_KEY": "short"}, tmp_path)
    assert result.returncode != 0
    assert "too short" in result.stderr


def test_production_uses_postgres_redis_and_real_celery(tmp_path):
    import json

    result = run_settings({**PROD, "PORTAL_ENV": "production"}, tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        **values,
        "env": "production",
        "debug": False,
        "engine": "django.db.backends.postgresql",
        "cache": "portal.resilient_cache.ResilientRedisCache",
        "eager": False,
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "broker": PROD["REDIS_URL"],
    }


def test_production_refuses_sqlite(tmp_path):
    result = run_settings({**PROD, "PORTAL_ENV": "production", "DATABASE_URL": "sqlite:///x.db"}, tmp_path)
    assert result.returncode != 0
    assert "must point at PostgreSQL" in result.stderr


def test_celery_configuration(settings):
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_RESULT_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    # Redis re-delivers unacknowledged tasks after this timeout: longer than any task may run.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


def test_celery_app_reads_django_settings():
    from portal.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.broker_transport_options["visibility_timeout"] > app.conf.task_time_limit
