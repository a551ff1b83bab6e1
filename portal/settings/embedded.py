"""The embedded default: runs with nothing configured.

SQLite file, Celery tasks run eagerly in-process, e-mail to the console, media on
local disk, DEBUG on. Each of these can still be overridden by the same environment
variables production uses (the test suite points DATABASE_URL and REDIS_URL at
throwaway PostgreSQL and Redis servers this way).
"""

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import DATA_DIR, env

PORTAL_ENV = "embedded"
DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _embedded_secret_key() -> str:
    # A key kept in the data directory, so sessions survive a restart without
    # anybody having to configure one; production requires DJANGO_SECRET_KEY.
    if env.str("DJANGO_SECRET_KEY", default=""):
        return env.str("DJANGO_SECRET_KEY")
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = get_random_secret_key()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _embedded_secret_key()

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command (or the scheduler) writes.
    # A transaction takes the write lock when it begins, waiting up to 20 s for another
    # process's: a deferred one that read first would fail at once with "database is
    # locked" when it came to write after the other process had written.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL;", transaction_mode="IMMEDIATE", timeout=20
    )

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "portal.resilient_cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
CACHES["pages"] = PAGES_CACHE  # noqa: F405
# Off by default here, so development and the tests always see freshly rendered pages.
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=0)
PORTAL_FRAGMENT_CACHE_SECONDS = env.int("PORTAL_FRAGMENT_CACHE_SECONDS", default=0)

CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# A task that fails here (an e-mail that cannot be sent) is logged, as a worker would log
# it, instead of turning the request that queued it into an error page after its changes
# were saved. The test suite sets it to true, so a failing task fails its test.
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = str(DATA_DIR / "sent-mail")

# Demo accounts (password "demo-portal") are created by load_demo only here,
# or in production with an explicit flag.
PORTAL_DEMO_ACCOUNTS = True
