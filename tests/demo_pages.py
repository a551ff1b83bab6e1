"""The pages the accessibility and valid-HTML tests visit, found in the demo data.

``manage.py load_demo`` (with the demo accounts) must have run before :func:`Page.url`
is called. Each page knows who looks at it: ``None`` for an anonymous visitor, else the
e-mail address of a demo account (portal/demo/data/people.py), and the status it
answers with. Tests parametrise over these lists and over :data:`LANGUAGES`, so every
page in every language is a test of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

LANGUAGES = ("de", "en")

# The demo accounts the logged-in pages are seen by.
COORDINATOR = "coordinator@example.org"  # coordinator of ECCIPA (and staff)
PARTNER = "partner@example.org"  # partner staff of ECCIPA for Consorzio Comunità Brianza
FUNDER = "funder@example.org"  # funder officer of the AMIF projects
MEMBER = "member@example.org"  # member of the EPIC UP Community of Practice in Oberhausen

PROJECT = "eccipa"
COMMUNITY = "epic-up-oberhausen-cop"  # a public community


def _organisation() -> str:
    from projects.models import Participation

    coordinator = Participation.objects.get(project__slug=PROJECT, role=Participation.Role.COORDINATOR)
    return reverse("directory:detail", args=[coordinator.organisation_id])


def _public_meeting():
    from events.models import Meeting

    meetings = Meeting.objects.filter(project__slug="epic-up", community__isnull=False)
    return meetings.order_by("starts_at").first()


def _meeting() -> str:
    return reverse("calendar:meeting", args=[_public_meeting().pk])


def _month() -> str:
    """The month of the next meeting (a month with something in it), else of the last one."""
    from events.models import Meeting

    meetings = Meeting.objects.order_by("starts_at")
    meeting = meetings.filter(starts_at__gte=timezone.now()).first() or meetings.last()
    moment = timezone.localtime(meeting.starts_at)
    return reverse("calendar:month", args=[moment.year, moment.month])


def _deliverables():
    from projects.models import Deliverable

    return Deliverable.objects.filter(project__slug=PROJECT).order_by("code")


def _deliverable_edit() -> str:
    return reverse("workspace:deliverable_edit", args=[_deliverables().first().pk])


def _deliverable_of_another_partner() -> str:
    """A deliverable of ECCIPA that the partner's organisation does not lead: they get 403."""
    from partners.models import Organisation

    brianza = Organisation.objects.get(name="Consorzio Comunità Brianza")
    deliverable = _deliverables().exclude(lead_organisation=brianza).first()
    return reverse("workspace:deliverable_edit", args=[deliverable.pk])


@dataclass(frozen=True)
class Page:
    id: str
    url: Callable[[], str]
    user: str | None = None
    status: int = 200

    def __str__(self) -> str:
        return self.id


def _named(name: str, *args, query: str = "") -> Callable[[], str]:
    return lambda: reverse(name, args=args) + query


PUBLIC_PAGES = [
    Page("home", _named("home")),
    Page("catalogue", _named("catalogue:list")),
    Page("catalogue-filtered", _named("catalogue:list", query="?country=IT&status=closed")),
    Page("project", _named("catalogue:detail", PROJECT)),
    Page("directory", _named("directory:list")),
    Page("organisation", _organisation),
    Page("community", _named("calendar:community", COMMUNITY)),
    Page("meetings", _named("calendar:list")),
    Page("meetings-month", _month),
    Page("meeting", _meeting),
    Page("search", _named("search:results", query="?q=Ravenna")),
    Page("login", _named("account_login")),
    Page("signup", _named("account_signup")),
    Page("password-reset", _named("account_reset_password")),
    Page("privacy", _named("privacy_notice")),
]

# Filters that come back with errors: each message must be tied to its field.
FORM_ERROR_PAGES = [
    Page("catalogue-invalid-filter", _named("catalogue:list", query="?year=nineteen&country=XX")),
    Page("meetings-invalid-filter", _named("calendar:list", query="?project=no-such-project")),
]

LOGGED_IN_PAGES = [
    Page("dashboard", _named("workspace:dashboard"), COORDINATOR),
    Page("dashboard-funder", _named("workspace:dashboard"), FUNDER),
    Page("dashboard-member", _named("workspace:dashboard"), MEMBER),
    Page("workspace-project", _named("workspace:project", PROJECT), COORDINATOR),
    Page("reports", _named("workspace:reports", PROJECT), COORDINATOR),
    Page("deliverable-edit", _deliverable_edit, COORDINATOR),
    Page("profile", _named("account_profile"), COORDINATOR),
    Page("invitations", _named("invitations:project_list", PROJECT), COORDINATOR),
]

ERROR_PAGES = [
    Page("error-404", lambda: "/this-page-does-not-exist/", status=404),
    Page("error-403", _deliverable_of_another_partner, PARTNER, status=403),
]
