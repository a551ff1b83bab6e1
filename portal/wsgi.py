import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# Import the URL configuration, and with it every view, while the worker boots rather than
# in the first request it serves: about 0.2 s that a visitor would otherwise wait for
# after each deployment or worker restart.
get_resolver().url_patterns  # noqa: B018 - the access loads the patterns
