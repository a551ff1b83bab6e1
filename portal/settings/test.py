"""Settings for the test suite: the embedded default with what tests need changed.

The root ``conftest.py`` names this module. It starts the throwaway PostgreSQL and Redis
servers first and points DATABASE_URL, REDIS_URL and PORTAL_DATA_DIR at them and at a
temporary directory, because the embedded settings read those variables when this module
imports them.
"""

import os

from .embedded import *  # noqa: F403

# Hashing passwords properly costs ~0.3 s per user; tests need no protection against cracking.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A task that fails in a test (Celery runs them in the request) fails the test.
CELERY_TASK_EAGER_PROPAGATES = True
# Hand-overs in line, where a test can see them (tests/outbox/test_outbox.py tests the thread).
OUTBOX_HAND_OVER_IN_BACKGROUND = False

# Under pytest-xdist (``make test`` runs two worker processes) the workers share the
# controller's PostgreSQL and Redis servers: pytest-django gives each worker a test database
# of its own (test_portal_gw0, ...), and here each gets a Redis database of its own, so their
# caches, locks and Celery queues never meet. The Celery workers some tests start inherit
# PYTEST_XDIST_WORKER and this settings module, and so land on the same database.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw") and REDIS_URL:  # noqa: F405
    REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/{int(_XDIST_WORKER[2:]) % 15 + 1}"  # noqa: F405
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL

# The API's rate limits would stop the schema tests' hundreds of requests from one address;
# tests/portal/test_api_resources.py sets a low limit where it tests the limit itself.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"address": "100000/minute", "person": "100000/minute", "token": "100000/minute"},
}
