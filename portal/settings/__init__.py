"""Settings entry point.

``PORTAL_ENV=production`` (or ``DJANGO_SETTINGS_MODULE=portal.settings.production``)
selects production settings; anything else runs the embedded default, which needs
no configuration at all: SQLite, eager Celery, console e-mail and local media.
"""

import os

if os.environ.get("PORTAL_ENV", "").strip().lower() == "production":
    from .production import *  # noqa: F403
else:
    from .embedded import *  # noqa: F403
