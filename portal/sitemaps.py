"""sitemap.xml: the public pages, as an anonymous visitor may open them.

Every section asks the visibility selectors for an anonymous user, so the sitemap lists
nothing a crawler would get a 404 for (tests/portal/test_sitemap.py fetches each URL).

Languages: the portal switches language with a cookie (Django's set_language form), not
with a prefix in the address, so each page has one URL for German and English. Each is
listed once, without xhtml:link hreflang alternates (they would all name the same URL).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.selectors.visibility import visible_communities, visible_meetings
from portal.directory.selectors import directory_organisations
from projects.selectors import visible_projects


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "home",
            "catalogue:list",
            "directory:list",
            "calendar:list",
            "opendata:page",
            "legal:imprint",
            "legal:accessibility",
            "privacy_notice",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ProjectSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return visible_projects(AnonymousUser()).order_by("pk")

    def location(self, item) -> str:
        return reverse("catalogue:detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class OrganisationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return directory_organisations(AnonymousUser()).order_by("pk")

    def location(self, item) -> str:
        return reverse("directory:detail", args=[item.pk])


class CommunitySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return visible_communities(AnonymousUser()).order_by("pk")

    def location(self, item) -> str:
        return reverse("calendar:community", args=[item.slug])


class MeetingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return visible_meetings(AnonymousUser()).order_by("pk")

    def location(self, item) -> str:
        return reverse("calendar:meeting", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "projects": ProjectSitemap,
    "organisations": OrganisationSitemap,
    "communities": CommunitySitemap,
    "meetings": MeetingSitemap,
}
