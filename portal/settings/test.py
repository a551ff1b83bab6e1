"""Settings for the test suite: the embedded default with what tests need changed.

The root ``conftest.py`` names this module. It starts the throwaway PostgreSQL and Redis
servers first and points DATABASE_URL, REDIS_URL and PORTAL_DATA_DIR at them and at a
temporary directory, because the embedded settings read those variables when this module
imports them.
"""

from .embedded import *  # noqa: F403

# Hashing passwords properly costs ~0.3 s per user; tests need no protection against cracking.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A task that fails in a test (Celery runs them in the request) fails the test.
CELERY_TASK_EAGER_PROPAGATES = True
