"""Where the pages live that the domain links to from e-mails and calendar files.

events and reports name the pages they link to and do not know the web layer's URL
names (events/absolute_urls.py); the web layer registers each page's path here, when the
portal starts (portal/apps.py).
"""

from __future__ import annotations

from django.urls import reverse

from events.absolute_urls import register_page
from events.branded_mail import PROFILE_PAGE
from events.emails import CHECKIN_PAGE
from events.ics import MEETING_PAGE
from events.membership_notices import COMMUNITY_PAGE, REQUESTS_PAGE
from reports.notices import PERIOD_PAGE, REPORTS_PAGE


def register_page_links() -> None:
    register_page(MEETING_PAGE, lambda *, meeting_id: reverse("calendar:meeting", args=[meeting_id]))
    register_page(CHECKIN_PAGE, lambda *, code: reverse("attendance:scan", args=[code]))
    register_page(COMMUNITY_PAGE, lambda *, slug: reverse("calendar:community", kwargs={"slug": slug}))
    register_page(
        REQUESTS_PAGE, lambda *, project_slug: reverse("workspace:membership_requests", kwargs={"slug": project_slug})
    )
    register_page(PROFILE_PAGE, lambda: reverse("account_profile"))
    register_page(REPORTS_PAGE, lambda *, project_slug: reverse("workspace:reports", kwargs={"slug": project_slug}))
    register_page(
        PERIOD_PAGE, lambda *, project_slug, pk: reverse("reporting:period", kwargs={"slug": project_slug, "pk": pk})
    )
