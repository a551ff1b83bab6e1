"""Which web package serves which URL prefix.

Each package's urls.py holds only what follows its prefix. A package that serves more
than one top-level prefix keeps one list per prefix, and they are mounted together by
``_prefixes`` under the package's namespace (Django reverses a namespace through one
resolver, so one namespace cannot be split over several includes). Where two packages
share a prefix, it is because the pages belong together in the address bar: a community's
or meeting's page (calendar) and the buttons on it (registrations); a project's workspace
page and its reports (reporting).
"""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path

from . import views
from .calendar import urls as calendar
from .registrations import urls as registrations
from .reporting import urls as reporting
from .sitemaps import SITEMAPS
from .workspace import urls as workspace

Patterns = list[URLPattern | URLResolver]


def _prefixes(namespace: str, mounts: list[tuple[str, Patterns]]) -> URLResolver:
    """One package's namespace, served under each of its prefixes."""
    return path("", include(([path(prefix, include(patterns)) for prefix, patterns in mounts], namespace)))


# The public pages come first: Django tries the patterns in order, and every include
# without a prefix that does not match costs each request that passes it.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("readyz/", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("design-system/", views.DesignSystemView.as_view(), name="design_system"),
    # Imprint and accessibility statement (linked from every page's footer), accepting a new privacy notice.
    path("legal/", include("portal.legal.urls")),
    # Open-data exports (CSV and JSON) and the machine-readable index of the public pages.
    path("open-data/", include("portal.opendata.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("projects/", include("portal.catalogue.urls")),
    path("organisations/", include("portal.directory.urls")),
    # portal.calendar: community and meeting pages with their calendar files, the update
    # feeds, and the page of a person's own calendar feed.
    _prefixes(
        calendar.app_name,
        [
            ("communities/", calendar.community_urls),
            ("meetings/", calendar.meeting_urls),
            ("feeds/", calendar.feed_urls),
            ("calendar/", calendar.personal_feed_urls),
        ],
    ),
    path("search/", include("portal.search.urls")),
    # portal.workspace: the dashboard, a project's internal pages and forms, a deliverable's file.
    _prefixes(
        workspace.app_name,
        [
            ("dashboard/", workspace.dashboard_urls),
            ("workspace/", workspace.workspace_urls),
            ("deliverables/", workspace.deliverable_urls),
        ],
    ),
    # portal.registrations: joining and leaving a community, registering for a meeting (on
    # the calendar's community and meeting addresses), one registration, "My meetings".
    _prefixes(
        registrations.app_name,
        [
            ("communities/", registrations.community_urls),
            ("meetings/", registrations.meeting_urls),
            ("registrations/", registrations.registration_urls),
            ("my/", registrations.my_urls),
        ],
    ),
    path("attendance/", include("portal.attendance.urls")),
    # portal.access_log: who viewed personal data, per project and per meeting.
    path("access-log/", include("portal.access_log.urls")),
    # portal.changelog: a project's change history, for its coordinators.
    path("workspace/projects/<slug:slug>/changes/", include("portal.changelog.urls")),
    # portal.reporting: below a project's reports page (workspace:reports), and report files.
    _prefixes(
        reporting.app_name,
        [
            ("workspace/projects/<slug:slug>/reports/", reporting.project_report_urls),
            ("reports/", reporting.report_urls),
        ],
    ),
    # portal.api: the REST API (/api/v1/), its OpenAPI schema and documentation page.
    path("api/", include("portal.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Our account pages first, then allauth's.
    path("accounts/", include("portal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("invitations/", include("portal.invitations.urls")),
    path("admin/", admin.site.urls),
]

# A request refused before any view (portal/request_guards.py): the site's page, or problem+json under /api/.
handler400 = "portal.api.problems.bad_request"

# Uploaded media are never served from MEDIA_URL, not even in DEBUG: every file goes
# through a view that checks permission first (e.g. workspace:deliverable_file).
