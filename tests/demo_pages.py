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


def _study_circle():
    """The two-seat demo meeting the member holds a seat in (portal/demo/data/epic_up.py)."""
    from events.models import Meeting

    return Meeting.objects.get(project__slug="epic-up", capacity=2)


def _own_registration(email: str) -> str:
    from events.models import Registration

    registration = Registration.objects.filter(user__email=email, meeting=_study_circle()).order_by("-pk").first()
    return reverse("registrations:registration", args=[registration.pk])


def _open_meeting():
    """An upcoming public meeting with seats the member has not registered for yet."""
    from events.models import Meeting

    return (
        Meeting.objects.filter(project__slug="epic-up", audience="public", starts_at__gte=timezone.now())
        .exclude(capacity=2)
        .order_by("starts_at")
        .first()
    )


COORDINATOR_EPIC_UP = "coordinator.epicup@example.org"  # the demo registrations are for EPIC UP meetings


def _epic_up_registration():
    """A confirmed registration for an EPIC UP meeting (the demo members' study circle)."""
    from events.models import Registration

    registrations = Registration.objects.filter(meeting__project__slug="epic-up", status=Registration.Status.CONFIRMED)
    return registrations.order_by("pk").first()


def _attendance() -> str:
    return reverse("attendance:meeting", args=[_epic_up_registration().meeting_id])


def _attendance_scan() -> str:
    from events.checkin_codes import checkin_code

    return reverse("attendance:scan", args=[checkin_code(_epic_up_registration())])


def _access_log() -> str:
    """ECCIPA's access log of personal data, with a few entries so its table is rendered."""
    from django.contrib.auth import get_user_model

    from audit.models import AccessKind
    from audit.services import personal_data_access_record
    from events.models import Community, Meeting

    users = get_user_model().objects
    coordinator, member = users.get(email=COORDINATOR), users.get(email=MEMBER)
    meeting = Meeting.objects.filter(project__slug=PROJECT).order_by("starts_at", "pk").first()
    community = Community.objects.filter(project__slug=PROJECT).order_by("pk").first()
    record = {"viewer": coordinator, "project_id": meeting.project_id}
    personal_data_access_record(**record, kind=AccessKind.ATTENDANCE_CSV, meeting_id=meeting.pk, people=12)
    personal_data_access_record(
        **record, kind=AccessKind.REGISTRATION_PAGE, meeting_id=meeting.pk, subject_id=member.pk, people=1
    )
    personal_data_access_record(**record, kind=AccessKind.COMMUNITY_MEMBERS, community_id=community.pk, people=7)
    return reverse("access_log:project", args=[PROJECT])


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
    Page("imprint", _named("legal:imprint")),
    Page("accessibility-statement", _named("legal:accessibility")),
    Page("design-system", _named("design_system")),
    Page("open-data", _named("opendata:page")),
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
    Page("reports-funder", _named("workspace:reports", PROJECT), FUNDER),
    Page("report-downloads", _named("reporting:download_log", PROJECT), COORDINATOR),
    Page("access-log", _access_log, COORDINATOR),
    Page("deliverable-edit", _deliverable_edit, COORDINATOR),
    Page("profile", _named("account_profile"), COORDINATOR),
    Page("privacy-accept", _named("legal:privacy_accept"), MEMBER),
    # Two-factor sign-in: the overview (the demo coordinator has the app) and the password
    # asked again before changing it (a force_login session never signed in through allauth).
    Page("two-factor", _named("mfa_index"), COORDINATOR),
    Page("reauthenticate", _named("account_reauthenticate"), MEMBER),
    Page("calendar-feed", _named("calendar:feed_settings"), MEMBER),
    Page("invitations", _named("invitations:project_list", PROJECT), COORDINATOR),
    Page("attendance", _attendance, COORDINATOR_EPIC_UP),
    Page("attendance-scan", _attendance_scan, COORDINATOR_EPIC_UP),
    Page("community-statistics", _named("attendance:community_statistics", "eccipa-ravenna"), COORDINATOR),
    Page("my-meetings", _named("registrations:my_meetings"), MEMBER),
    Page("registration", lambda: _own_registration(MEMBER), MEMBER),
    Page("register", lambda: reverse("registrations:register", args=[_open_meeting().pk]), MEMBER),
    Page("meeting-attendee", lambda: reverse("calendar:meeting", args=[_study_circle().pk]), MEMBER),
]

ERROR_PAGES = [
    Page("error-404", lambda: "/this-page-does-not-exist/", status=404),
    Page("error-403", _deliverable_of_another_partner, PARTNER, status=403),
]
