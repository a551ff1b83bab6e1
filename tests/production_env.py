"""The documented production variables (README, "Production"), pointed at the suite's servers.

For the tests that start the production settings in a subprocess: gunicorn behind Caddy
(tests/portal/test_proxy.py), ``check --deploy`` and the header probe
(tests/portal/test_production_headers.py). Call it inside a test or fixture that has the
test database: the URL names pytest-django's test database and this xdist worker's Redis.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings

HOST = "localhost"


def production_env(data_dir: Path) -> dict[str, str]:
    """The documented production variables (README, "Production"), pointed at the test's servers."""
    database = settings.DATABASES["default"]
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    return {
        **keep,
        "PORTAL_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "PORTAL_BASE_URL": f"https://{HOST}",
        "PORTAL_DATA_DIR": str(data_dir),
        "DJANGO_STATIC_ROOT": str(data_dir / "staticfiles"),
        "DJANGO_MEDIA_ROOT": str(data_dir / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
