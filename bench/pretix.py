"""pretix's public event page, served like the portal, as a yardstick for the signed-in pages.

pretix is installed from PyPI into its own virtual environment under the repository's
``var/`` (kept between runs; installed again only when the pinned version is missing),
with the same Python and the same major version of gunicorn as the portal. It gets the
benchmark's own PostgreSQL server (a separate database, ``pretix``) and Redis server (a
different database number, for its cache and sessions), DEBUG off, no Celery worker (its
tasks run eagerly), and one organizer with one live, public event in the future that
sells one free ticket from one quota. gunicorn then serves ``pretix.wsgi`` with the
settings ``stack.Gunicorn`` gives the portal.

Other benchmarks use it on their ``stack.Services``::

    pretix = Pretix(services, workers=3, threads=4)
    pretix.start()
    try:
        m = load.measure(pretix.event_target(), pretix.host, pretix.port, clients=20, warmup=2, duration=4)
    finally:
        pretix.stop()

``python bench/pretix.py`` does that on its own servers and prints the figures.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load, machine, stack  # noqa: E402  (needs ROOT on sys.path)

PRETIX_VERSION = "2026.8.0"
VENV = ROOT / "var" / "bench" / "pretix-venv"
DATABASE = "pretix"
REDIS_DB = 1  # the portal uses 0 on the same server
ORGANIZER = "bench"
EVENT = "conference"
ITEM = "Free ticket"

# The organizer, the event, the ticket and its quota, made with pretix's own models in its
# own interpreter (sys.argv: organizer slug, event slug, item name). Run again, it adds nothing.
SETUP_EVENT = """
import datetime as dt
import sys
from decimal import Decimal

import django

django.setup()

from django.conf import settings
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Event, Item, Organizer, Quota

organizer_slug, event_slug, item_name = sys.argv[1:4]
with scopes_disabled():
    organizer = Organizer.objects.filter(slug=organizer_slug).first()
    if organizer is None:
        organizer = Organizer.objects.create(slug=organizer_slug, name="Benchmark organizer")
    event = Event.objects.filter(organizer=organizer, slug=event_slug).first()
    if event is None:
        start = (now() + dt.timedelta(days=60)).replace(hour=9, minute=0, second=0, microsecond=0)
        event = Event.objects.create(
            organizer=organizer, slug=event_slug, name="Benchmark conference", currency="EUR",
            date_from=start, date_to=start + dt.timedelta(hours=8), location="Berlin",
            live=True, is_public=True,
        )
        # What pretix's own event wizard and API do for a new event.
        event.set_defaults()
        event.set_active_plugins([p for p in settings.PRETIX_PLUGINS_DEFAULT.split(",") if p])
        event.save(update_fields=["plugins"])
    item = event.items.first()
    if item is None:
        item = Item.objects.create(
            event=event, name=item_name, default_price=Decimal("0.00"), admission=True, active=True
        )
    if not event.quotas.exists():
        quota = Quota.objects.create(event=event, name="Seats", size=500)
        quota.items.add(item)
    print(f"organizer={organizer.slug} event={event.slug} items={event.items.count()} quotas={event.quotas.count()}")
"""


def _log(message: str) -> None:
    print(f"  · {message}", flush=True)


def _base_python() -> str:
    """The interpreter the portal's virtual environment was made from (its own Python 3.11)."""
    return getattr(sys, "_base_executable", "") or shutil.which("python3.11") or sys.executable


def _gunicorn_requirement() -> str:
    """gunicorn of the portal's major version, so both servers are the same program."""
    major = importlib.metadata.version("gunicorn").split(".")[0]
    return f"gunicorn=={major}.*"


def installed_versions(venv: Path = VENV) -> dict[str, str]:
    """Versions in pretix's environment ({} when it is missing or broken)."""
    python = venv / "bin" / "python"
    if not python.exists():
        return {}
    code = (
        "import importlib.metadata as m, platform\n"
        "for name in ('pretix', 'gunicorn', 'django'):\n"
        "    try: print(name, m.version(name))\n"
        "    except m.PackageNotFoundError: pass\n"
        "print('python', platform.python_version())"
    )
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=venv)
    if result.returncode != 0:
        return {}
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)


def install(venv: Path = VENV) -> float:
    """Install the pinned pretix and gunicorn unless they are there; returns the seconds it took (0 if nothing)."""
    versions = installed_versions(venv)
    wanted_gunicorn = _gunicorn_requirement().split("==")[1].rstrip("*")
    if versions.get("pretix") == PRETIX_VERSION and versions.get("gunicorn", "").startswith(wanted_gunicorn):
        return 0.0
    started = time.perf_counter()
    where = venv.relative_to(ROOT) if venv.is_relative_to(ROOT) else venv
    _log(f"installing pretix {PRETIX_VERSION} and {_gunicorn_requirement()} into {where}")
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([_base_python(), "-m", "venv", "--clear", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    for args in (
        ["install", "--upgrade", "pip"],
        ["install", f"pretix=={PRETIX_VERSION}", _gunicorn_requirement()],
    ):
        result = subprocess.run(
            [python, "-m", "pip", "--disable-pip-version-check", "-q", *args], capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"pip {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


@dataclass
class Pretix:
    """pretix on the benchmark's PostgreSQL and Redis, served by gunicorn like the portal."""

    services: stack.Services
    workers: int
    threads: int
    venv: Path = VENV
    port: int = field(default_factory=stack.servers._free_port)
    host: str = stack.HOST
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pretix-bench-data-")))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    process: subprocess.Popen | None = None
    timings: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def event_path(self) -> str:
        return f"/{ORGANIZER}/{EVENT}/"

    @property
    def version(self) -> str:
        return self.versions.get("pretix", PRETIX_VERSION)

    @property
    def config_file(self) -> Path:
        return self.data_dir / "pretix.cfg"

    def event_target(self) -> load.Target:
        """pretix's public event page; measure it on ``self.host`` and ``self.port``."""
        return load.Target(f"pretix {self.version}: event page", self.event_path)

    def describe(self) -> str:
        return (
            f"pretix {self.version} (PyPI, own virtual environment, Python {self.versions.get('python', '?')}, "
            f"Django {self.versions.get('django', '?')}), gunicorn {self.versions.get('gunicorn', '?')}, "
            f"{self.workers} workers × {self.threads} threads (gthread, keep-alive), DEBUG off; "
            f"the same PostgreSQL server (database `{DATABASE}`) and Redis server (db {REDIS_DB}: cache and "
            "sessions), no Celery worker (tasks eager); one live public event, one free ticket, one quota"
        )

    # Set-up

    def env(self) -> dict[str, str]:
        # Nothing of the portal's (or a developer's pretix) configuration leaks in: pretix reads
        # PRETIX_<SECTION>_<KEY> variables over its config file.
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PORTAL_", "PRETIX_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
            and key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        }
        env.update(PRETIX_CONFIG_FILE=str(self.config_file), DJANGO_SETTINGS_MODULE="pretix.settings")
        return env

    def write_config(self) -> None:
        assert self.services.postgres and self.services.redis
        self.config_file.write_text(
            "\n".join(
                [
                    "[pretix]",
                    "instance_name=pretix benchmark",
                    f"url=http://{self.host}:{self.port}",
                    f"datadir={self.data_dir}",
                    "currency=EUR",
                    "registration=off",
                    "ecb_rates=off",
                    "loglevel=WARNING",
                    "",
                    "[locale]",
                    "default=en",
                    "timezone=Europe/Berlin",
                    "",
                    "[django]",
                    f"secret={self.secret_key}",
                    "debug=off",
                    "",
                    "[database]",
                    "backend=postgresql",
                    f"name={DATABASE}",
                    "user=postgres",
                    f"host={stack.HOST}",
                    f"port={self.services.postgres.port}",
                    "",
                    "[mail]",
                    "from=pretix@localhost",
                    "",
                    # Cache and sessions in Redis, as pretix's production guide sets it up. No
                    # [celery] section: pretix then runs its tasks eagerly, and a page view sends none.
                    "[redis]",
                    f"location=redis://{stack.HOST}:{self.services.redis.port}/{REDIS_DB}",
                    "sessions=true",
                    "",
                ]
            )
        )

    def create_database(self) -> None:
        import psycopg

        assert self.services.postgres
        dsn = f"host={stack.HOST} port={self.services.postgres.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
                conn.execute(f"CREATE DATABASE {DATABASE}")

    @property
    def migrated_dump(self) -> Path:
        """pretix's freshly migrated database, kept beside the environment: its ~400 migrations take a minute."""
        assert self.services.postgres
        server_major = self.services.postgres.version.split(".")[0]
        return self.venv.parent / f"pretix-{self.version}-pg{server_major}-migrated.dump"

    def _pg(self, tool: str, *args: str) -> None:
        assert self.services.postgres
        binary = stack.servers._find_binary(tool)
        if not binary:
            raise FileNotFoundError(tool)
        subprocess.run(
            [binary, "-h", stack.HOST, "-p", str(self.services.postgres.port), "-U", "postgres", *args],
            check=True,
            capture_output=True,
        )

    def migrate(self) -> None:
        """Restore the kept migrated database if there is one, then `migrate` (a no-op then, a minute otherwise)."""
        dump = self.migrated_dump
        restored = False
        if dump.exists():
            try:
                self._pg("pg_restore", "--no-owner", "--exit-on-error", "-d", DATABASE, str(dump))
                restored = True
            except (FileNotFoundError, subprocess.CalledProcessError):
                # A dump this server cannot read: start again from an empty database.
                dump.unlink(missing_ok=True)
                self.drop_database()
                self.create_database()
        self.run("-m", "pretix", "migrate", "--noinput")
        if not restored:
            partial = dump.with_suffix(".partial")
            try:
                self._pg("pg_dump", "-Fc", "-d", DATABASE, "-f", str(partial))
                partial.replace(dump)
            except (FileNotFoundError, subprocess.CalledProcessError):
                partial.unlink(missing_ok=True)  # no pg_dump: every run migrates from scratch

    def drop_database(self) -> None:
        import psycopg

        assert self.services.postgres
        dsn = f"host={stack.HOST} port={self.services.postgres.port} user=postgres dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")

    def run(self, *args: str) -> str:
        """pretix's interpreter in its data folder (never in bench/, whose pretix.py would shadow pretix)."""
        python = str(self.venv / "bin" / "python")
        result = subprocess.run([python, *args], cwd=self.data_dir, env=self.env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"pretix {' '.join(args[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def _timed(self, label: str, action) -> None:
        started = time.perf_counter()
        action()
        self.timings[label] = time.perf_counter() - started
        _log(f"pretix {label}: {self.timings[label]:.1f}s")

    def setup(self) -> None:
        """Install if needed, then configure, migrate and create the event; timings in ``self.timings``."""
        self.timings["install"] = install(self.venv)
        if self.timings["install"]:
            _log(f"pretix install: {self.timings['install']:.1f}s")
        self.versions = installed_versions(self.venv)
        self.write_config()
        self._timed("create database", self.create_database)
        self._timed("migrate", self.migrate)
        # The wheel ships its static files collected and compressed offline (static.dist, with
        # django-compressor's manifest), so DEBUG off needs no `rebuild` step; check() proves it.
        self._timed("create event", lambda: self.run("-c", SETUP_EVENT, ORGANIZER, EVENT, ITEM))

    # Serving

    @property
    def command(self) -> list[str]:
        # Exactly the portal's gunicorn flags (stack.Gunicorn), with pretix's interpreter and app.
        portal = stack.Gunicorn(site=None, workers=self.workers, threads=self.threads, port=self.port).command  # type: ignore[arg-type]
        assert portal[:3] == [stack.PYTHON, "-m", "gunicorn"] and portal[3] == "portal.wsgi:application"
        return [str(self.venv / "bin" / "python"), "-m", "gunicorn", "pretix.wsgi:application", *portal[4:]]

    def serve(self) -> None:
        self.log = self.data_dir / "gunicorn.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=self.data_dir, env=self.env(), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"pretix's gunicorn stopped:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                status, _, _ = load.fetch(self.host, self.port, self.event_path)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"pretix did not answer within 90s:\n{self.log.read_text(errors='replace')[-3000:]}")

    def check(self) -> int:
        """The event page answers 200 with the ticket on it; returns its size in bytes."""
        status, body, headers = load.fetch(self.host, self.port, self.event_path)
        text = body.decode(errors="replace")
        if status != 200 or "text/html" not in headers.get("content-type", ""):
            raise SystemExit(f"pretix's event page answered {status} {headers.get('content-type')}:\n{text[:2000]}")
        if ITEM not in text or "Benchmark conference" not in text:
            raise SystemExit(f"pretix's event page does not show the event and its ticket:\n{text[:3000]}")
        stylesheet = re.search(r'<link[^>]+href="(/static/CACHE/css/[^"]+\.css)"', text)
        if not stylesheet:
            raise SystemExit("pretix's event page links no compressed stylesheet: its static files are not prepared")
        return len(body)

    def warm(self, rounds: int = 3) -> None:
        """Every worker thread renders the page a few times before anything is measured.

        gunicorn answers as soon as one worker is up; the others still import pretix and fill
        their template and URL caches on their first requests, which took seconds on a busy
        machine and showed as a first measurement at a fifth of the later ones. The portal's
        workers are warmed the same way by the floor measured before its pages.
        """
        connections = self.workers * self.threads
        with ThreadPoolExecutor(connections) as pool:
            for _ in range(rounds):
                statuses = list(
                    pool.map(lambda _: load.fetch(self.host, self.port, self.event_path)[0], range(connections))
                )
                if any(status != 200 for status in statuses):
                    raise SystemExit(f"pretix's event page answered {sorted(set(statuses))} while warming up")

    def start(self) -> None:
        """Everything: install if needed, configure, migrate, create the event, serve, warm up, check."""
        self.setup()
        self._timed("gunicorn start", self.serve)
        self._timed("warm-up", self.warm)
        self.page_bytes = self.check()

    def stop(self) -> None:
        stack.stop_process(self.process)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    cores = machine.usable_cores()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="concurrent keep-alive clients (default 20)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up (default 2)")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds measured (default 4)")
    parser.add_argument(
        "--workers", type=int, default=cores + 1, help=f"gunicorn worker processes (default cores + 1 = {cores + 1})"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    options = parser.parse_args(argv)

    services = stack.Services()
    pretix = Pretix(services, workers=options.workers, threads=options.threads)
    started = time.perf_counter()
    try:
        services.start()
        pretix.start()
        set_up = time.perf_counter() - started
        print(pretix.describe())
        result = load.measure(
            pretix.event_target(), pretix.host, pretix.port, options.clients, options.warmup, options.duration
        )
    finally:
        pretix.stop()
        services.stop()
    install_seconds = pretix.timings.get("install", 0.0)
    print(
        f"\nset-up {set_up:.1f}s (install {install_seconds:.1f}s"
        f"{'' if install_seconds else ': already there'}), {options.clients} clients, "
        f"{options.warmup:g}s warm-up + {options.duration:g}s"
    )
    print(f"{'page':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>6}  errors")
    print(
        f"{result.target.name:<34} {result.rps:>8.1f} {result.p50:>8.0f} {result.p95:>8.0f} "
        f"{pretix.page_bytes / 1024:>6.1f}  {result.errors or '-'}"
    )
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
