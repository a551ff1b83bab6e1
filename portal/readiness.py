"""What each dependency of the portal says right now: for /readyz/ and ``check_services``.

/healthz/ answers "ok" whenever the web process runs (the load balancer's question);
this module answers the operator's: is the database there, is Redis there, does a Celery
worker answer, and how long has the oldest outbox message been waiting?
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

# A message older than this means delivery has stalled (broker or workers away).
OUTBOX_STALLED_SECONDS = 300


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, f"{type(error).__name__}: {error}".strip())
    return Check("database", True, connection.vendor)


def redis() -> Check:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return Check("redis", True, "not used (embedded default)")
    import redis as redis_client

    try:
        client = redis_client.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1)
        started = time.monotonic()
        client.ping()
        return Check("redis", True, f"ping {1000 * (time.monotonic() - started):.1f} ms")
    except redis_client.RedisError as error:
        return Check("redis", False, f"{type(error).__name__}: {error}")


def workers(timeout: float = 1.0) -> Check:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Check("workers", True, "eager: tasks run in the web process (embedded default)")
    from portal.celery import app

    try:
        answers = app.control.ping(timeout=timeout) or []
    except Exception as error:  # any broker error means no worker can be asked
        return Check("workers", False, f"{type(error).__name__}: {error}")
    if not answers:
        return Check("workers", False, f"no worker answered within {timeout:g} s")
    return Check("workers", True, ", ".join(sorted(name for answer in answers for name in answer)))


def outbox() -> Check:
    from outbox.selectors import dead_count, oldest_unfinished_created_at

    try:
        oldest, dead = oldest_unfinished_created_at(), dead_count()
    except DatabaseError as error:
        return Check("outbox", False, f"{type(error).__name__}: {error}")
    waiting = 0 if oldest is None else int((timezone.now() - oldest).total_seconds())
    detail = f"oldest unfinished message waiting {waiting} s; {dead} dead"
    return Check("outbox", waiting < OUTBOX_STALLED_SECONDS, detail)


def all_checks(*, worker_timeout: float = 1.0) -> list[Check]:
    return [database(), redis(), workers(worker_timeout), outbox()]


# /readyz/ is public: asking the workers costs up to a second, so each process answers
# from its last look for a few seconds rather than letting a flood of requests ask again.
RECENT_SECONDS = 5.0
_recent: tuple[float, list[Check]] = (-RECENT_SECONDS, [])


def recent_checks() -> list[Check]:
    global _recent
    looked_at, checks = _recent
    if time.monotonic() - looked_at >= RECENT_SECONDS:
        checks = all_checks(worker_timeout=1.0)
        _recent = (time.monotonic(), checks)
    return checks
