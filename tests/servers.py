"""Throwaway PostgreSQL and Redis servers for the test suite.

The root ``conftest.py`` calls :func:`start_services` when pytest loads it, before
pytest-django reads the settings (DJANGO_SETTINGS_MODULE is set there, not in the ini,
for exactly this reason): it starts the servers from the machine's own binaries, then
points ``DATABASE_URL`` and ``REDIS_URL`` at them. The embedded
settings read those variables, so the suite runs on the same database and broker as
production.

- Servers missing and not in CI: the suite falls back to SQLite and eager Celery, and
  tests marked ``services`` are skipped, saying why.
- Servers missing with ``CI=true``: the run fails at once. CI must prove the real parts.
- ``DATABASE_URL``/``REDIS_URL`` already set: those servers are used as they are.
- ``PORTAL_TEST_SERVICES=0``: no servers, SQLite (a quick local run).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
SERVICES_WANTED = os.environ.get("PORTAL_TEST_SERVICES", "1").strip().lower() not in {"0", "false", "no"}


class ServiceUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian keeps PostgreSQL's server binaries off PATH, one folder per major version.
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _wait_for_port(port: int, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    raise ServiceUnavailable(f"{what} did not accept connections on port {port} within {timeout:.0f}s. {detail}")


def stop_process(process: subprocess.Popen | None) -> None:
    """Terminate a server process, killing it if it has not stopped after 20 s."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class PostgresServer:
    initdb: str
    pg_ctl: str
    port: int = field(default_factory=_free_port)
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="portal-test-pg-")))
    version: str = ""
    run_as: str | None = None

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def _cmd(self, *args: str) -> list[str]:
        # initdb refuses to run as root; run the server as the system's postgres user.
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    def start(self) -> None:
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ServiceUnavailable("running as root and there is no 'postgres' user to run PostgreSQL") from exc
            self.run_as = "postgres"
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        log = self.base / "server.log"
        # A UTF-8 locale, as in production, so LOWER() folds "MÜNCHEN" like "münchen".
        for locale in ("C.UTF-8", "C"):
            result = subprocess.run(
                self._cmd(
                    self.initdb,
                    "-D",
                    str(self.datadir),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    f"--locale={locale}",
                    "--no-sync",
                ),
                capture_output=True,
            )
            if result.returncode == 0:
                break
            shutil.rmtree(self.datadir, ignore_errors=True)
        result.check_returncode()
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.base}",
                # A throwaway database need not survive a power cut.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=300",
            ]
        )
        subprocess.run(
            self._cmd(self.pg_ctl, "-D", str(self.datadir), "-l", str(log), "-o", options, "-w", "-t", "60", "start"),
            check=True,
            capture_output=True,
        )
        _wait_for_port(self.port, 30, "PostgreSQL", log)
        out = subprocess.run(self._cmd(self.pg_ctl, "--version"), capture_output=True, text=True).stdout
        match = re.search(r"\(PostgreSQL\) (\S+)", out)
        self.version = match.group(1) if match else out.strip()
        # The suite's own database; pytest-django creates test_portal next to it.
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE portal")

    def restart(self) -> None:
        """Restart the server as an operator would (open connections break) on the same port.

        "fast", not "immediate": the throwaway server runs without fsync and synchronous
        commit, so a crash-like stop would lose the last commits, which a real server keeps.
        """
        # The server's output goes to its log: a pipe would stay open in the server, and
        # waiting for its end would wait for ever.
        subprocess.run(
            self._cmd(self.pg_ctl, "-D", str(self.datadir), "-l", str(self.base / "server.log"), "-m", "fast",
                      "-w", "restart"),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for_port(self.port, 30, "PostgreSQL", self.base / "server.log")

    def stop(self) -> None:
        if self.datadir.exists():
            subprocess.run(
                self._cmd(self.pg_ctl, "-D", str(self.datadir), "-m", "immediate", "-w", "stop"), capture_output=True
            )
        shutil.rmtree(self.base, ignore_errors=True)


@dataclass
class RedisServer:
    binary: str
    port: int = field(default_factory=_free_port)
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="portal-test-redis-")))
    process: subprocess.Popen | None = None
    version: str = ""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self._launch()
        import redis

        self.version = redis.Redis.from_url(self.url).info("server")["redis_version"]

    def pause(self) -> None:
        """Stop the server (a fault test): connections are refused until resume()."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def resume(self) -> None:
        """Start it again on the same port, empty: it keeps no data, as a Redis without persistence."""
        self._launch()

    def _launch(self) -> None:
        log = self.base / "redis.log"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory-policy",
                "noeviction",
                "--dir",
                str(self.base),
                "--logfile",
                str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, 20, "Redis", log)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.base, ignore_errors=True)


class Services:
    """What the suite runs against; read by the report header and by ``services`` tests."""

    def __init__(self) -> None:
        self.postgres: PostgresServer | None = None
        self.redis: RedisServer | None = None
        self.database = "SQLite (embedded default)"
        self.broker = "none: Celery runs eagerly"
        self.problems: list[str] = []

    @property
    def real(self) -> bool:
        return os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL", "").startswith(
            "redis"
        )

    def start(self) -> None:
        if not SERVICES_WANTED:
            self.problems.append("PORTAL_TEST_SERVICES=0")
            return
        if os.environ.get("DATABASE_URL"):
            self.database = f"{os.environ['DATABASE_URL'].split('@')[-1]} (given by DATABASE_URL)"
        else:
            initdb, pg_ctl = _find_binary("initdb"), _find_binary("pg_ctl")
            if not (initdb and pg_ctl):
                self.problems.append("PostgreSQL server binaries (initdb, pg_ctl) not found")
            else:
                try:
                    self.postgres = PostgresServer(initdb, pg_ctl)
                    self.postgres.start()
                    os.environ["DATABASE_URL"] = self.postgres.url
                    self.database = f"PostgreSQL {self.postgres.version} on 127.0.0.1:{self.postgres.port} (throwaway)"
                except (subprocess.CalledProcessError, ServiceUnavailable, OSError) as exc:
                    detail = getattr(exc, "stderr", b"") or b""
                    self.problems.append(f"PostgreSQL did not start: {exc} {detail.decode(errors='replace')[-500:]}")
                    if self.postgres:
                        self.postgres.stop()
                    self.postgres = None
        if os.environ.get("REDIS_URL"):
            self.broker = f"{os.environ['REDIS_URL'].split('@')[-1]} (given by REDIS_URL)"
        else:
            binary = _find_binary("redis-server")
            if not binary:
                self.problems.append("redis-server not found")
            else:
                try:
                    self.redis = RedisServer(binary)
                    self.redis.start()
                    os.environ["REDIS_URL"] = self.redis.url
                    self.broker = f"Redis {self.redis.version} on 127.0.0.1:{self.redis.port} (throwaway)"
                except (ServiceUnavailable, OSError) as exc:
                    self.problems.append(f"Redis did not start: {exc}")
                    if self.redis:
                        self.redis.stop()
                    self.redis = None

    def stop(self) -> None:
        for server in (self.redis, self.postgres):
            if server:
                server.stop()

    def describe(self) -> list[str]:
        lines = [f"database: {self.database}", f"cache and Celery broker: {self.broker}"]
        if self.problems:
            lines.append("not real: " + "; ".join(self.problems))
        return lines


SERVICES = Services()
# Media, sent mail and the embedded secret of a test run live here, never in var/.
TEST_DATA_DIR = tempfile.mkdtemp(prefix="portal-test-data-")


def start_services() -> None:
    """Start the servers and export their URLs; called before Django reads its settings."""
    SERVICES.start()
    if IN_CI and not SERVICES.real:
        SERVICES.stop()
        raise pytest.UsageError(
            "CI=true but the real PostgreSQL and Redis are not available: " + "; ".join(SERVICES.problems)
        )
