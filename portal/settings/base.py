"""Settings shared by the embedded default and production.

Every value comes from the environment (django-environ). The modules that import
this one decide which variables are required and what the defaults are.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Where the embedded default keeps its data (SQLite file, media, sent e-mail).
DATA_DIR = Path(env.str("PORTAL_DATA_DIR", default=str(BASE_DIR / "var")))

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Project apps, lowest layer first: outbox → partners → projects → events → reports → portal.
    # The outbox knows no domain: task names and ids (outbox/__init__.py).
    "outbox",
    # The audit trail (changes and views of personal data): knows users and ids, no domain.
    "audit",
    "partners",
    "projects",
    "events",
    "reports",
    "portal",
    "portal.admin_config.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # sitemap.xml (portal/sitemaps.py): the app brings the template.
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "allauth",
    "allauth.account",
    # Two-factor sign-in (TOTP and recovery codes); required of staff (portal/accounts/two_factor.py).
    "allauth.mfa",
    "axes",
    "auditlog",
    # django-csp: its system checks catch settings in the pre-4.0 format.
    "csp",
    # The REST API under /api/v1/ (portal/api/), its OpenAPI schema and the local assets of its docs page.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every page (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After the language is chosen, so the "Bad request" page speaks it.
    "portal.request_guards.RefuseUnreadableInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The person's roles and memberships kept between requests (portal/viewer.py).
    "portal.viewer.KeptRolesMiddleware",
    # Signed-in pages are personal: no browser or proxy keeps them (portal/personal_pages.py).
    "portal.personal_pages.NoStoreForSignedInMiddleware",
    "portal.personal_pages.PermissionsPolicyMiddleware",
    "portal.time_zones.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A person who signed in with an outdated privacy notice accepts the current one first (session flag only).
    "portal.legal.consent.PrivacyReacceptMiddleware",
    # Staff who signed in without a second factor are sent to set one up before the admin
    # or the workspace; after the session and messages, which it reads and writes.
    "portal.accounts.two_factor.TwoFactorEnrolmentMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

# --- Cookies and browser protections -------------------------------------------
# No script reads a cookie (static/js reads none; the forms carry the CSRF token), so every
# cookie is HttpOnly. SameSite=Lax: never sent with another site's POST, still sent when a
# link in an e-mail opens the portal ("Strict" would show that visitor as signed out).
# Production adds Secure to all of them (portal/settings/production.py). The messages
# cookie ("Saved.") takes the session cookie's flags.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Other sites learn no path or query string of a portal page a visitor came from (they can
# name projects, meetings or people); the portal's own pages still get the full Referer.
SECURE_REFERRER_POLICY = "same-origin"
# A page the portal opens, or that opens the portal, gets no handle on the other's window.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from the
# portal itself, never inline, so injected markup can neither run a script nor restyle a
# page. The admin (select2, calendars, "add another" pop-ups) works under it:
# tests/browser/test_csp.py listens for violations. An inline <script> or <style> would
# need nonce="{{ request.csp_nonce }}" (the NONCE below), never 'unsafe-inline'; none
# is needed today, and a page served from the page cache must not carry one anyway.
# img-src data: for allauth's TOTP QR code. frame-ancestors replaces X-Frame-Options in
# browsers that know it. Production adds upgrade-insecure-requests.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The REST API (portal/api/). Read-only and public in this version: the browser's session is
# accepted, so a signed-in person sees through the API what the pages show them. Token
# authentication joins the list when personal tokens exist; permissions stay per view.
REST_FRAMEWORK = {
    # A personal token (Authorization: Bearer cp_…) first: such requests carry no session and
    # no CSRF check; browser requests keep the session's CSRF check for unsafe methods.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.problems.problem_exception_handler",
    # Per client address for anonymous callers (behind PORTAL_TRUSTED_PROXY_COUNT proxies),
    # per person for signed-in ones. Counted in the default cache (Redis): when Redis is
    # down the resilient cache answers as a miss, so nobody is limited rather than everybody refused.
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AddressRateThrottle",
        "portal.api.throttling.PersonRateThrottle",
        "portal.api.throttling.TokenRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "address": env.str("PORTAL_API_RATE_PER_ADDRESS", default="120/minute"),
        "person": env.str("PORTAL_API_RATE_PER_PERSON", default="240/minute"),
        # Per personal token, on top of its owner's "person" limit (which counts token and browser
        # requests together): below it, so one runaway script leaves its owner room for the rest.
        "token": env.str("PORTAL_API_RATE_PER_TOKEN", default="180/minute"),
    },
    # No ?format=: one representation, JSON, and no way to make a URL answer 404 by format.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Consortium portal API",
    "DESCRIPTION": (
        "Access to the public data the portal shows: programmes, projects with their consortium "
        "figures, organisations, participations, communities, meetings with free seats, deliverables and news. "
        "Every answer holds what the same person sees in the browser. Errors are application/problem+json "
        "(RFC 9457). Writes, signed in, do what the browser's forms do: a member registers for and cancels "
        "a meeting, a coordinator creates and changes meetings and deliverables."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.empty_filter_means_any",
    ],
    # Local assets only (drf-spectacular-sidecar): the docs page loads nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" or "kind": each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.ProjectStatus",
        "MeetingStatusEnum": "events.models.MeetingStatus",
        "DeliverableStatusEnum": "projects.models.DeliverableStatus",
        "MeetingKindEnum": "events.models.MeetingKind",
        "DeliverableKindEnum": "projects.models.DeliverableKind",
        "NewsKindEnum": "projects.models.UpdateKind",
        "OrganisationKindEnum": "partners.models.OrganisationKind",
        # Two fields named "language": a meeting's (every language) and a report's (de, en).
        "MeetingLanguageEnum": "events.models.LANGUAGE_CHOICES",
        "ReportLanguageEnum": "reports.models.ProgressReportLanguage",
    },
}

# The largest multipart request read at all: the largest deliverable file (25 MiB, see
# portal/workspace/forms.py) plus room for the form's other fields. Larger ones get a 413
# before their body is read (portal/request_guards.py).
UPLOAD_MAX_REQUEST_SIZE = 26 * 1024 * 1024

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters (issue 15): the sign-up, change, reset and admin forms all say so.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Accounts (django-allauth) ---------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Confirming the address signs the person in, when they confirm in the browser they signed
# up in (allauth keeps the pending login in that session); elsewhere they log in once.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_FORMS = {"signup": "portal.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
# Sign-up and password reset are rate limited per IP and per address (allauth keeps the
# counters in the cache, Redis in production). Failed logins are django-axes' job.
ACCOUNT_RATE_LIMITS = {
    "signup": env.str("PORTAL_RATE_LIMIT_SIGNUP", default="5/m/ip,20/h/ip"),
    "reset_password": env.str("PORTAL_RATE_LIMIT_RESET", default="5/m/ip,3/m/key,10/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "login_failed": False,
}
# The privacy notice a person accepts at sign-up; raise the version when the text changes.
PORTAL_PRIVACY_NOTICE_VERSION = env.str("PORTAL_PRIVACY_NOTICE_VERSION", default="2026-11")

# --- Login abuse (django-axes) ---------------------------------------------
# Lock out a user name from one IP after 5 failures for 15 minutes; a success resets.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# allauth's form calls the field "login", the admin's "username".
AXES_USERNAME_CALLABLE = "portal.accounts.lockout.username_from_request"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
# One answer to "who is the client?" for the lockout and allauth's rate limits
# (portal/client_address.py): REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies
# the address the outermost one saw. Never an address the client wrote itself.
PORTAL_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_ip"

# --- Retention (GDPR Art. 5(1)(e)); each period is documented in the privacy notice and README.
# Access needs and interpretation requests serve only the meeting: deleted this many days after it ends.
PORTAL_RETENTION_ACCESS_NEEDS_DAYS = env.int("PORTAL_RETENTION_ACCESS_NEEDS_DAYS", default=30)
# Names and organisations on registrations and attendance sheets are the funder's audit evidence:
# kept until the project's end plus this many years, then anonymised.
PORTAL_AUDIT_RETENTION_YEARS = env.int("PORTAL_AUDIT_RETENTION_YEARS", default=5)
# Sign-in attempts (django-axes) and the log of who viewed personal data.
PORTAL_RETENTION_LOGS_DAYS = env.int("PORTAL_RETENTION_LOGS_DAYS", default=90)

# Personal API tokens (portal/accounts/api_tokens.py): how long a new token lives at most
# (and by default), and how many usable tokens one person may hold.
PORTAL_API_TOKEN_MAX_DAYS = env.int("PORTAL_API_TOKEN_MAX_DAYS", default=365)
PORTAL_API_TOKENS_PER_PERSON = env.int("PORTAL_API_TOKENS_PER_PERSON", default=20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public pages rendered for anonymous visitors (portal/page_cache.py) and the parts of
# signed-in pages kept for everybody with the same visibility (portal/fragments.py) are
# kept in each process's own memory, a bounded number of them (so a worker's memory
# stays bounded), not in the Redis that also holds Celery's queue; only a few small values
# a person's next request needs are kept there as well (portal/fragments.py, ``shared``).
# PORTAL_PAGE_CACHE_SECONDS and PORTAL_FRAGMENT_CACHE_SECONDS (set by production/embedded) turn them on.
PAGES_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# Sessions are read on every signed-in request: from the cache (Redis in production),
# written through to the database, so they survive a Redis restart and a Redis outage
# only costs the database read again (portal/resilient_cache.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Internationalisation: the seeds are German and English, and so is the portal.
LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="en")
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Europe/Berlin")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(DATA_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(DATA_DIR / "media")))

DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="portal@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's own address, for links in e-mails and calendar files made outside a request
# (a Celery worker has no request to take the host from); also the host part of .ics UIDs.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# The licence of the open-data files (/open-data/): its name and the address of its text.
PORTAL_OPEN_DATA_LICENCE = env.str("PORTAL_OPEN_DATA_LICENCE", default="CC BY 4.0")
PORTAL_OPEN_DATA_LICENCE_URL = env.str(
    "PORTAL_OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)
# The portal's name in e-mails (their header, footer and the account e-mails' greeting);
# empty: "Consortium portal", translated into the reader's language.
PORTAL_NAME = env.str("PORTAL_NAME", default="")

# --- Two-factor sign-in (allauth.mfa) ----------------------------------------
# An authenticator app (TOTP) with recovery codes; no security keys. Coordinators, staff
# and superusers must set it up before the admin or the workspace (portal/accounts/two_factor.py);
# everybody else may, from their profile. The issuer is the name the app shows beside the
# code: the portal's name, never translated (the app keeps it).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PORTAL_NAME or "Consortium portal"

# --- Celery -----------------------------------------------------------------
# JSON only: tasks take primary keys, never pickled objects.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Tasks are idempotent, so a task whose worker died is safe to run again:
# acknowledge after the work, and re-queue when the worker is lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# Redis re-delivers an unacknowledged task after the visibility timeout; it must be
# longer than the longest task, or a slow task would run twice at the same time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # Publishing asks the broker once more, then gives up (about 0.2 s when Redis is down)
    # instead of kombu's default of retrying for many seconds: the outbox keeps the
    # message, and a request never waits on the broker.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_RESULT_EXPIRES = 24 * 3600
# Recycle a worker child after large renders instead of letting it grow (KiB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks, run by the beat process (docker compose service "beat"); in the embedded
# default by `manage.py run_scheduler`, which `make run` starts beside the server.
CELERY_BEAT_SCHEDULE = {
    # The outbox relay: hands over what the on-commit try could not (broker down, a lost
    # message, a killed worker). Each run locks its rows with SKIP LOCKED, so two are safe.
    "outbox-relay": {"task": "outbox.relay", "schedule": env.int("OUTBOX_RELAY_SECONDS", default=10)},
    "outbox-purge-done": {"task": "outbox.purge_done", "schedule": crontab(minute=40, hour=3)},
    # The 48-hour meeting reminder; each run claims what it sends, so overlapping runs are safe.
    "events-meeting-reminders": {
        "task": "events.send_due_reminders",
        "schedule": env.int("EVENTS_REMINDERS_SECONDS", default=15 * 60),
    },
    # Deliverables due within a week, and overdue: each notice once per deliverable and due
    # date (portal/deadline_notices.py), so a daily run, a repeated one or a missed day are all fine.
    "portal-deadline-notices": {"task": "portal.queue_deadline_notices", "schedule": crontab(minute=0, hour=7)},
    # The change log (audit trail): entries of a project are kept until its end date plus
    # PORTAL_AUDIT_RETENTION_YEARS, others that many years; a daily run deletes the rest.
    "portal-purge-change-log": {"task": "portal.purge_change_log", "schedule": crontab(minute=20, hour=3)},
    # Progress reports whose worker was lost mid-run, or whose message was lost before any
    # worker started it, get another run (reports/services/rendering.py).
    "reports-recover-stale": {
        "task": "reports.recover_stale_reports",
        "schedule": env.int("REPORTS_RECOVERY_SECONDS", default=60),
    },
    # Quarterly progress reports: daily in the first week of each quarter, so a beat that
    # was down on the 1st still catches up; the task creates each report once.
    "reports-quarterly": {
        "task": "reports.create_quarterly_reports",
        "schedule": crontab(minute=15, hour=6, day_of_month="1-7", month_of_year="1,4,7,10"),
    },
    # The access log (who viewed personal data) is kept PORTAL_RETENTION_LOGS_DAYS; a daily
    # run deletes what is older, and a missed or repeated day changes nothing.
    "audit-purge-personal-data-access": {
        "task": "audit.purge_personal_data_access",
        "schedule": crontab(minute=50, hour=3),
    },
    # Retention (GDPR Art. 5(1)(e)), the periods above: each run touches only what is due,
    # so a missed or repeated day is harmless.
    "events-purge-access-needs": {"task": "events.purge_access_needs", "schedule": crontab(minute=20, hour=2)},
    "events-anonymise-after-audit-retention": {
        "task": "events.anonymise_after_audit_retention",
        "schedule": crontab(minute=25, hour=2),
    },
    "portal-purge-sign-in-records": {"task": "portal.purge_sign_in_records", "schedule": crontab(minute=30, hour=2)},
    # The open-data files (/open-data/), hourly; each run replaces the files whole (portal/opendata/build.py).
    "portal-build-open-data": {"task": "portal.build_open_data", "schedule": crontab(minute=5)},
}
# The outbox (outbox/services.py): tries per message before it is dead (visible in the
# admin, retried from there), the first backoff (doubling, at most an hour), and how long
# a message may be handed over or running before it counts as lost and is handed over again.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_BACKOFF_SECONDS = env.int("OUTBOX_BACKOFF_SECONDS", default=30)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=900)
# A new message is handed over by the process that wrote it, once it commits; the relay
# steps in after this grace (at once when that hand-over found the broker away).
OUTBOX_HANDOFF_GRACE_SECONDS = env.int("OUTBOX_HANDOFF_GRACE_SECONDS", default=30)
# The broker is asked by a thread of the web process, after the commit, so no answer waits
# for it (outbox/services.py). Off in the test suite, whose tests hand over in line.
OUTBOX_HAND_OVER_IN_BACKGROUND = env.bool("OUTBOX_HAND_OVER_IN_BACKGROUND", default=True)
# A rendering report marks itself alive this often; without a sign of life for the
# "stale" time it has lost its worker; a queued report no worker started in time is
# queued again. With the sweep every minute, a report whose worker died is taken up
# within about three minutes.
REPORTS_HEARTBEAT_SECONDS = env.int("REPORTS_HEARTBEAT_SECONDS", default=20)
REPORTS_HEARTBEAT_STALE_SECONDS = env.int("REPORTS_HEARTBEAT_STALE_SECONDS", default=120)
REPORTS_QUEUED_STALE_SECONDS = env.int("REPORTS_QUEUED_STALE_SECONDS", default=180)
# The quarterly reports: on or off, and in which languages (each becomes its own PDF).
REPORTS_QUARTERLY_ENABLED = env.bool("REPORTS_QUARTERLY_ENABLED", default=True)
REPORTS_QUARTERLY_LANGUAGES = env.list("REPORTS_QUARTERLY_LANGUAGES", default=["de", "en"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Funders and European networks are registered "in the EU", not in one country.
# EU is an exceptionally reserved ISO 3166-1 code, so it stays two letters like the rest.
COUNTRIES_OVERRIDE = {"EU": _("European Union")}
