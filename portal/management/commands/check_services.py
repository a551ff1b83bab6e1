"""Check that the database, the cache and the Celery workers answer.

Operators run it after a deploy (``docker compose run --rm web python manage.py
check_services``); it exits non-zero when any part is missing.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.tasks import health_check


class Command(BaseCommand):
    help = "Check that the database, the cache and a Celery worker answer."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait for a worker.")

    def handle(self, *args, timeout: float, **options):
        problems = []
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        self.stdout.write(f"database: {connection.vendor} ok")

        cache.set("portal:check_services", "ok", 30)
        if cache.get("portal:check_services") != "ok":
            problems.append("the cache did not return what was stored")
        else:
            self.stdout.write(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} ok")

        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("celery: eager (embedded default), tasks run in this process")
        else:
            try:
                answer = health_check.delay().get(timeout=timeout)
                self.stdout.write(f"celery: worker {answer['worker']} answered")
            except Exception as exc:  # any broker or timeout error means "no worker"
                problems.append(f"no Celery worker answered within {timeout:.0f}s ({exc.__class__.__name__}: {exc})")
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS("all services answer"))
