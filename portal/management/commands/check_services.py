"""Check that the database, Redis, the Celery workers and the outbox answer.

Operators run it after a deploy (``docker compose run --rm web python manage.py
check_services``); it exits non-zero when any part is missing. /readyz/ gives the same
answers over HTTP (portal/readiness.py).
"""

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from portal import readiness


class Command(BaseCommand):
    help = "Check that the database, Redis, a Celery worker and the outbox answer."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for a worker.")

    def handle(self, *args, timeout: float, **options):
        problems = []
        for check in readiness.all_checks(worker_timeout=timeout):
            self.stdout.write(f"{check.name}: {'ok' if check.ok else 'FAILED'} ({check.detail})")
            if not check.ok:
                problems.append(f"{check.name}: {check.detail}")
        cache.set("portal:check_services", "ok", 30)
        if cache.get("portal:check_services") != "ok":
            problems.append("cache: it did not return what was stored")
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS("all services answer"))
