"""Production: PostgreSQL + Redis + Celery worker and beat + gunicorn.

Select with ``PORTAL_ENV=production`` or ``DJANGO_SETTINGS_MODULE=portal.settings.production``.
DJANGO_SECRET_KEY, DATABASE_URL and REDIS_URL are required; starting without one
of them stops at once with a message that names it.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATA_DIR, env


def _required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production settings need it: {hint} (or unset PORTAL_ENV to run the embedded default)."
        )
    return value


PORTAL_ENV = "production"
DEBUG = False

SECRET_KEY = _required(
    "DJANGO_SECRET_KEY",
    "a long random string, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`",
)
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short: use at least 32 random characters.")

DATABASES = {"default": env.db_url_config(_required("DATABASE_URL", "postgres://user:password@host:5432/portal"))}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = _required("REDIS_URL", "redis://host:6379/0")
CACHES = {
    # Redis, but a Redis outage degrades the pages instead of failing them (portal/resilient_cache.py).
    "default": {"BACKEND": "portal.resilient_cache.ResilientRedisCache", "LOCATION": REDIS_URL},
    "pages": PAGES_CACHE,  # noqa: F405
}
# Anonymous visitors get public pages at most this many seconds old; writes invalidate at once.
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=60)
# Parts of signed-in pages the same for everybody with the same visibility (portal/fragments.py):
# at most this many seconds old for what depends on the clock; writes invalidate at once.
PORTAL_FRAGMENT_CACHE_SECONDS = env.int("PORTAL_FRAGMENT_CACHE_SECONDS", default=60)
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Only for DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a staging
# stack, the benchmarks): where the e-mails are written instead of sent.
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(DATA_DIR / "sent-mail"))

# whitenoise serves the collected static files; no CDN, no network at run time.
MIDDLEWARE = [*MIDDLEWARE[:1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind the reverse proxy (docker-compose.yml), the client's address is the one the proxy
# saw: portal/client_address.py, used by django-axes and allauth alike.
PORTAL_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

# The proxy (deploy/Caddyfile) terminates TLS and sets X-Forwarded-Proto itself, replacing
# whatever a client sent, so the header can be believed. gunicorn is reachable only
# through it (docker-compose.yml publishes no port of "web").
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A request that reached Django over plain HTTP is sent to HTTPS (the proxy redirects port
# 80 already; this catches a misrouted one). Not the health checks: the compose healthcheck
# and a load balancer ask gunicorn over plain HTTP inside the network.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
# Every cookie (session, CSRF, language, messages) only over HTTPS.
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Browsers fetch over HTTPS any http:// image, script or same-site link still written in a page.
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,  # noqa: F405
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True},  # noqa: F405
}
# HSTS with preload-ready values: two years, subdomains, preload. Django sends it on HTTPS
# responses only, so a plain-HTTP health check inside the network is not affected.
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=2 * 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)

PORTAL_DEMO_ACCOUNTS = env.bool("PORTAL_DEMO_ACCOUNTS", default=False)
