"""The servers a benchmark runs against: throwaway PostgreSQL and Redis, data, gunicorn.

PostgreSQL and Redis come from tests/servers.py (the machine's own binaries, thrown away
afterwards). The data is built with the project's own management commands under the
embedded settings, which read DATABASE_URL and REDIS_URL; gunicorn then serves the
same database with the production settings (DEBUG off, whitenoise, Redis cache).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402  (needs ROOT on sys.path)

# tests/servers.py makes a data folder for test runs when imported; the benchmark has its own.
shutil.rmtree(servers.TEST_DATA_DIR, ignore_errors=True)

PYTHON = sys.executable
HOST = "127.0.0.1"


def _log(message: str) -> None:
    print(f"  · {message}", flush=True)


@dataclass
class Services:
    """A throwaway PostgreSQL and Redis, started fresh for each scale."""

    postgres: servers.PostgresServer | None = None
    redis: servers.RedisServer | None = None

    def start(self) -> None:
        initdb, pg_ctl = servers._find_binary("initdb"), servers._find_binary("pg_ctl")
        redis_server = servers._find_binary("redis-server")
        missing = [
            name for name, path in (("initdb", initdb), ("pg_ctl", pg_ctl), ("redis-server", redis_server)) if not path
        ]
        if missing:
            raise SystemExit(
                f"The benchmark needs PostgreSQL and Redis server binaries; not found: {', '.join(missing)}"
            )
        self.postgres = servers.PostgresServer(initdb, pg_ctl)
        self.postgres.start()
        self.redis = servers.RedisServer(redis_server)
        self.redis.start()

    def stop(self) -> None:
        for server in (self.redis, self.postgres):
            if server:
                server.stop()

    def dsn(self) -> str:
        assert self.postgres
        return f"host={HOST} port={self.postgres.port} user=postgres dbname=portal"


@dataclass
class Site:
    """Environment shared by the set-up commands and gunicorn: one secret, one database."""

    services: Services
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="portal-bench-data-")))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    @property
    def static_root(self) -> Path:
        return self.data_dir / "staticfiles"

    def env(self, production: bool) -> dict[str, str]:
        assert self.services.postgres and self.services.redis
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PORTAL_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
        }
        env.update(
            DATABASE_URL=self.services.postgres.url,
            REDIS_URL=self.services.redis.url,
            DJANGO_SECRET_KEY=self.secret_key,
            PORTAL_DATA_DIR=str(self.data_dir),
            DJANGO_STATIC_ROOT=str(self.static_root),
            DJANGO_MEDIA_ROOT=str(self.data_dir / "media"),
            DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
            DJANGO_LOG_LEVEL="WARNING",
            DJANGO_LANGUAGE_CODE="en",
            PYTHONDONTWRITEBYTECODE="1",
        )
        if production:
            # Plain HTTP on the loopback, no TLS proxy: cookies without the Secure flag and no
            # redirect to HTTPS (production's proxy, deploy/Caddyfile, is not measured here).
            env.update(
                PORTAL_ENV="production",
                DJANGO_SECURE_COOKIES="false",
                DJANGO_SECURE_SSL_REDIRECT="false",
                DJANGO_CONN_MAX_AGE="60",
            )
        else:
            env.update(DJANGO_DEBUG="false")
        return env

    def manage(self, *args: str, production: bool = False) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(production), capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def build(self, scale: float) -> dict[str, float]:
        """Migrate, generate the volumes, load the demo projects and accounts; returns timings."""
        timings = {}
        for label, args in (
            ("migrate", ("migrate", "--noinput")),
            (f"make_dataset --scale {scale:g}", ("make_dataset", "--scale", f"{scale:g}")),
            ("load_demo --with-accounts", ("load_demo", "--with-accounts")),
            ("collectstatic", ("collectstatic", "--noinput")),
        ):
            started = time.perf_counter()
            # collectstatic under production settings: the manifest storage the pages will use.
            self.manage(*args, production=label == "collectstatic")
            timings[label] = time.perf_counter() - started
            _log(f"{label}: {timings[label]:.1f}s")
        started = time.perf_counter()
        self.analyze()
        timings["VACUUM ANALYZE"] = time.perf_counter() - started
        _log(f"VACUUM ANALYZE: {timings['VACUUM ANALYZE']:.1f}s")
        return timings

    def analyze(self) -> None:
        # Bulk inserts leave the planner without statistics until autovacuum comes by; a
        # running site has them, so the benchmark measures with them.
        import psycopg

        with psycopg.connect(self.services.dsn(), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")

    def session_cookie(self, email: str) -> tuple[str, str]:
        """(cookie name, value) of a logged-in session, made in-process by Django's own login.

        No login form is posted, so django-axes and the rate limits never see a flood of
        logins; the session lives in the database gunicorn reads, signed with the same secret.
        """
        code = (
            "from django.conf import settings; from django.contrib.auth import get_user_model; "
            "from django.test import Client; "
            f"user = get_user_model().objects.get(email={email!r}); client = Client(); "
            "client.force_login(user, backend='django.contrib.auth.backends.ModelBackend'); "
            "name = settings.SESSION_COOKIE_NAME; print(name, client.cookies[name].value)"
        )
        name, value = self.manage("shell", "-c", code, production=True).split()[-2:]
        return name, value

    def stop(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)


# One way to stop a server process, shared with the tests that start servers.
stop_process = servers.stop_process


@dataclass
class Gunicorn:
    """gunicorn with the production settings, the way docker-compose.yml runs it."""

    site: Site
    workers: int
    threads: int
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=servers._free_port)
    process: subprocess.Popen | None = None

    @property
    def command(self) -> list[str]:
        return [
            PYTHON,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--keep-alive",
            "5",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]

    def describe(self) -> str:
        return (
            f"gunicorn, {self.workers} workers × {self.threads} threads (gthread, keep-alive), "
            "PORTAL_ENV=production, DEBUG off, whitenoise"
        )

    def start(self) -> None:
        self.log = self.site.data_dir / "gunicorn.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env={**self.site.env(production=True), **self.extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/healthz/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise SystemExit(
            f"gunicorn did not answer /healthz/ within 60s:\n{self.log.read_text(errors='replace')[-3000:]}"
        )

    def stop(self) -> None:
        stop_process(self.process)
