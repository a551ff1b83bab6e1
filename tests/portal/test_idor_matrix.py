"""The IDOR matrix: no outsider reaches an object of private project A by typing its URL.

Every object-scoped URL of the portal is requested by every kind of outsider:

- the admin's change, delete and history pages of every model registered with
  django.contrib.admin.site, read from the registry itself;
- every URL pattern of the URLconf that takes an id, slug or token, found by walking the
  resolver (the admin's, allauth's own and Django's i18n/static views excepted).

A model or a page added later joins the matrix by itself, and fails until it has a
builder below (ADMIN_OBJECTS, URL_BUILDERS) saying which object of the target world it
shows. The answer must be 403, 404 or a redirect to a login page (never a 200), the body
must not contain any of the target's distinctive strings, and nothing in the database
may change. The few deliberate exceptions are listed in READ_ONLY_FOR_STAFF,
TOKEN_URLS and LOGGED_REFUSALS, each with its reason.

The outsiders (OUTSIDERS) are the anonymous visitor and people who hold real roles
elsewhere: a member of another project's community, the coordinator (staff) of another
project, a funder officer of another programme and one of another project in the same
programme, partner staff of another project (working for the very organisation that
leads the target deliverable), a pending member of the target community, and a person
whose profile claims the target organisation.

Run with ``-v`` to see every role and URL: the ids read "role|url name".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.changes import ChangeAction, change_record
from audit.models import AccessKind, PersonalDataAccess
from events.checkin_codes import checkin_code
from events.models import CalendarFeedToken, Community, Meeting, Membership, Registration
from outbox.models import Message, SentMark
from portal.accounts.api_tokens import api_token_create
from portal.api.scopes import READ, REPORTS, SCOPE_LABELS
from portal.models import ApiToken, LegalText, PrivacyAcceptance, PrivacyNotice
from portal.opendata.build import open_data_build
from portal.opendata.views import FILE_NAMES as OPEN_DATA_FILES
from projects.models import Deliverable, DeliverableStatusChange, Participation, Project, ProjectRole
from reports.models import ReportDownload
from tests.factories import (
    BudgetLineFactory,
    BudgetSpendFactory,
    CommunityFactory,
    ContactFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    ReportingPeriodFactory,
    ReportingStepFactory,
    UpdateFactory,
    UserFactory,
    WorkPackageFactory,
    WorkPackageNarrativeFactory,
)
from tests.two_factor import enrol
from tests.worlds import built_once, delete_files

pytestmark = pytest.mark.django_db

# --- The target world: private project A of programme P1 ----------------------------------

# Strings that only the target's objects contain. None may appear in an outsider's response.
SECRETS = {
    "project title": "Aardvark Target Project Title",
    "project acronym": "AQZXTGT",
    "grant agreement": "TGT-GA-777",
    "work package": "Walrus Target Work Package",
    "deliverable": "Xylophone Target Deliverable",
    "update": "Umbrella Target Update",
    "community": "Quokka Target Community",
    "meeting": "Narwhal Target Meeting",
    "registrant": "Zelda Target-Registrant",
    "registrant surname": "Target-Registrant",
    "registrant e-mail": "zelda.target-registrant@example.org",
    "coordinator": "Target-Coordinator",
    "contact": "Quentin Target-Contact",
    "contact e-mail": "quentin.target-contact@example.org",
    "organisation": "Okapi Target Organisation",
    "programme": "Pangolin Target Programme",
    "group": "Gazelle Target Group",
    "invitee": "invitee.target@example.org",
    "indicator": "Ibex Target Indicator",
    "next period plan": "Nightjar Target Plan",
    "narrative": "Newt Target Narrative",
    "api token": "Jackal Target Token",
    "report hash": "",  # filled in with the report's SHA-256 once it exists
}


@dataclass
class Target:
    project: Project
    objects: dict[str, Model] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def build_target() -> Target:
    p1 = FundingProgrammeFactory(short_name="P1", name=SECRETS["programme"])
    p2 = FundingProgrammeFactory(short_name="P2")
    project_a = ProjectFactory(
        acronym=SECRETS["project acronym"],
        slug="target-a",
        title=SECRETS["project title"],
        grant_agreement=SECRETS["grant agreement"],
        programme=p1,
        is_public=False,
    )
    project_b = ProjectFactory(acronym="OTHER-B", slug="other-b", programme=p1, is_public=False)
    project_c = ProjectFactory(acronym="OTHER-C", slug="other-c", programme=p2, is_public=False)

    organisation = OrganisationFactory(name=SECRETS["organisation"])
    participation = ParticipationFactory(
        project=project_a, organisation=organisation, role=Participation.Role.COORDINATOR
    )
    contact = ContactFactory(organisation=organisation, name=SECRETS["contact"], email=SECRETS["contact e-mail"])
    coordinator = UserFactory(
        email="yorick.target-coordinator@example.org",
        first_name="Yorick",
        last_name="Target-Coordinator",
        is_staff=True,
    )
    role = ProjectRoleFactory(user=coordinator, project=project_a)
    work_package = WorkPackageFactory(project=project_a, title=SECRETS["work package"], lead_organisation=organisation)
    deliverable = DeliverableFactory(
        project=project_a,
        work_package=work_package,
        lead_organisation=organisation,
        title=SECRETS["deliverable"],
        dissemination=Deliverable.Dissemination.SENSITIVE,
        file=ContentFile(f"{SECRETS['deliverable']} (file)".encode(), name="needs-analysis.txt"),
    )
    update = UpdateFactory(project=project_a, title=SECRETS["update"], is_public=False)
    community = CommunityFactory(
        project=project_a,
        name=SECRETS["community"],
        slug="target-community",
        visibility=Community.Visibility.MEMBERS,
    )
    registrant = UserFactory(email=SECRETS["registrant e-mail"], first_name="Zelda", last_name="Target-Registrant")
    membership = MembershipFactory(community=community, user=registrant)
    meeting = MeetingFactory(
        project=project_a, community=community, title=SECRETS["meeting"], audience=Meeting.Audience.MEMBERS
    )
    registration = RegistrationFactory(meeting=meeting, user=registrant, sector=Registration.Sector.ARTS)
    # A real file, so the platform admin's control request can download it (reporting:download).
    report_pdf = b"%PDF-1.4 target report"
    report = ProgressReportFactory(
        project=project_a,
        done=True,
        requested_by=coordinator,
        file=ContentFile(report_pdf, name="target-report.pdf"),
        sha256=hashlib.sha256(report_pdf).hexdigest(),
    )
    # Someone already fetched it: the download log is one of the things outsiders must not see or change.
    download = ReportDownload.objects.create(
        project=project_a,
        report=report,
        version=report.version,
        user=coordinator,
        kind=ReportDownload.Kind.REPORT,
        outcome=ReportDownload.Outcome.SERVED,
    )
    # The reporting plan, and a reporting period with a step, a narrative, a value and a spend.
    indicator = IndicatorFactory(project=project_a, name=SECRETS["indicator"])
    budget_line = BudgetLineFactory(project=project_a, organisation=organisation)
    # Submitted, so a funder officer of project A could open it: the outsiders must not.
    period = ReportingPeriodFactory(project=project_a, status="submitted", next_period_plan=SECRETS["next period plan"])
    step = ReportingStepFactory(period=period, actor=coordinator)
    narrative = WorkPackageNarrativeFactory(period=period, work_package=work_package, activities=SECRETS["narrative"])
    indicator_value = IndicatorValueFactory(period=period, indicator=indicator)
    budget_spend = BudgetSpendFactory(period=period, budget_line=budget_line)
    group = Group.objects.create(name=SECRETS["group"])
    email_address = EmailAddress.objects.create(user=registrant, email=registrant.email, verified=True, primary=True)
    # The registrant's second factor (allauth.mfa): the platform admin's to reset, nobody else's.
    enrol(registrant)
    authenticator = registrant.authenticator_set.get(type="totp")
    seen = {
        "user_agent": "pytest",
        "ip_address": "203.0.113.7",
        "username": registrant.email,
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    access_attempt = AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    access_log = AccessLog.objects.create(**seen)
    access_failure = AccessFailureLog.objects.create(**seen)
    # An e-mail about the target's registration that failed for good: task and ids only.
    outbox_message = Message.objects.create(
        task="events.send_registration_notice", args=[registration.pk, "confirmed"], status="dead", attempts=8
    )

    # The mark of an e-mail about the target's membership: a key of ids only.
    sent_mark = SentMark.objects.create(key=f"events:membership:{membership.pk}:requested:0:{registration.user_id}")

    # The coordinator opened the registrant's registration: the access log names them both.
    personal_data_access = PersonalDataAccess.objects.create(
        viewer=coordinator,
        kind=AccessKind.REGISTRATION_PAGE,
        project_id=project_a.pk,
        meeting_id=meeting.pk,
        subject=registrant,
        people=1,
    )

    target = Target(project=project_a, secrets={**SECRETS, "report hash": report.sha256})
    target.objects = {
        "account.EmailAddress": email_address,
        "mfa.Authenticator": authenticator,
        "auth.Group": group,
        "audit.PersonalDataAccess": personal_data_access,
        "axes.AccessAttempt": access_attempt,
        "axes.AccessFailureLog": access_failure,
        "axes.AccessLog": access_log,
        "outbox.Message": outbox_message,
        "outbox.SentMark": sent_mark,
        "events.Community": community,
        "events.Meeting": meeting,
        "events.Membership": membership,
        "events.Registration": registration,
        "partners.Contact": contact,
        "partners.Organisation": organisation,
        "portal.User": registrant,
        "projects.Deliverable": deliverable,
        "projects.DeliverableStatusChange": DeliverableStatusChange.objects.create(
            deliverable=deliverable, status=Deliverable.Status.IN_PROGRESS, changed_by=coordinator
        ),
        "projects.FundingProgramme": p1,
        "projects.Participation": participation,
        "projects.Project": project_a,
        "projects.ProjectRole": role,
        "projects.Update": update,
        "projects.WorkPackage": work_package,
        "reports.ProgressReport": report,
        "reports.ReportDownload": download,
        "reports.ReportingPeriod": period,
        "reports.ReportingStep": step,
        "reports.WorkPackageNarrative": narrative,
        "reports.IndicatorValue": indicator_value,
        "reports.BudgetSpend": budget_spend,
        "projects.Indicator": indicator,
        "projects.BudgetLine": budget_line,
        # The coordinator's change of the target meeting, in the change log (audit/changes.py).
        "auditlog.LogEntry": change_record(
            actor=coordinator,
            instance=meeting,
            action=ChangeAction.UPDATE,
            before={"title": "Old title"},
            after={"title": SECRETS["meeting"]},
            project_id=project_a.pk,
            scope={"meeting_id": meeting.pk},
        ),
    }
    _add_invitations(target, coordinator, community)
    # The coordinator's personal API token (its name is theirs; its secret is nowhere to leak).
    api_token, _secret = api_token_create(user=coordinator, name=SECRETS["api token"], scopes=["read"])
    target.objects["portal.ApiToken"] = api_token
    # The insiders, for the token part of the matrix: a token never opens more than their browser.
    target.extra["insiders"] = {
        "coordinator-of-target": coordinator,
        "funder-of-target": ProjectRoleFactory(project=project_a, role=ProjectRole.Role.FUNDER_OFFICER).user,
    }
    # The legal pages' operator texts and the registrant's acceptance of the privacy notice.
    target.objects["portal.LegalText"] = LegalText.objects.create(kind=LegalText.Kind.IMPRINT, text="Operator Ltd.")
    target.objects["portal.PrivacyNotice"] = PrivacyNotice.objects.create(version="2026-12", text="Operator Ltd.")
    target.objects["portal.PrivacyAcceptance"] = PrivacyAcceptance.objects.create(
        user=registrant, version="2026-12", occasion=PrivacyAcceptance.Occasion.SIGN_IN
    )
    # The registrant's personal calendar feed (a bearer URL, see TOKEN_URLS).
    target.objects["events.CalendarFeedToken"] = CalendarFeedToken.objects.create(
        user=registrant, token="target-feed-" + "k" * 32
    )

    # --- The outsiders: each holds something real, but nothing that opens project A -----
    # The five the issue names, plus three more attack positions: a funder of another
    # project in the same programme, a pending member of the target community, and a
    # person whose profile claims the target organisation.
    member = UserFactory(email="member.of.b@example.org")
    MembershipFactory(community=CommunityFactory(project=project_b), user=member)
    other_coordinator = UserFactory(email="coordinator.of.b@example.org", is_staff=True)
    ProjectRoleFactory(user=other_coordinator, project=project_b)
    other_funder = UserFactory(email="funder.of.c@example.org")
    ProjectRoleFactory(user=other_funder, project=project_c, role=ProjectRole.Role.FUNDER_OFFICER)
    same_programme_funder = UserFactory(email="funder.of.b@example.org")
    ProjectRoleFactory(user=same_programme_funder, project=project_b, role=ProjectRole.Role.FUNDER_OFFICER)
    # Partner staff of B for the very organisation that leads the target deliverable in A:
    # their organisation's rights must stay inside project B.
    ParticipationFactory(project=project_b, organisation=organisation)
    other_staff = UserFactory(email="staff.of.b@example.org")
    ProjectRoleFactory(
        user=other_staff, project=project_b, role=ProjectRole.Role.PARTNER_STAFF, organisation=organisation
    )
    # Asked to join the target community, not yet let in: a pending membership opens nothing.
    pending_member = UserFactory(email="pending.in.a@example.org")
    # Also the request the workspace's approve and reject buttons are tried on.
    target.extra["pending_membership"] = MembershipFactory(community=community, user=pending_member, pending=True)
    # Anybody may name the target organisation as their employer on their profile; that
    # claim is not checked, so it must not open anything either (contacts included).
    self_declared = UserFactory(email="claims.target.org@example.org", organisation=organisation)
    target.people = {
        "anonymous": None,
        "pending-member-of-target-cop": pending_member,
        "self-declared-colleague-of-target-organisation": self_declared,
        "member-of-other-cop": member,
        "coordinator-of-other-project": other_coordinator,
        "funder-of-other-programme": other_funder,
        "funder-of-other-project-same-programme": same_programme_funder,
        "partner-staff-of-other-project": other_staff,
        "platform-admin": UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
    }
    return target


def _add_invitations(target: Target, coordinator: Any, community: Community) -> None:
    """Open invitations to project A and to its community, if the invitations app is there."""
    try:
        invitation_model = apps.get_model("portal", "Invitation")
        from portal.invitations.tokens import make_token
    except (LookupError, ImportError):
        return
    project_invitation = invitation_model.objects.create(
        email=target.secrets["invitee"],
        project=target.project,
        role=ProjectRole.Role.FUNDER_OFFICER,
        invited_by=coordinator,
    )
    community_invitation = invitation_model.objects.create(
        email=target.secrets["invitee"],
        community=community,
        community_role=Membership.Role.MEMBER,
        invited_by=coordinator,
    )
    target.objects["portal.Invitation"] = project_invitation
    target.extra["community_invitation"] = community_invitation
    target.extra["token"] = make_token(project_invitation)


# --- Requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    method: str
    url: str
    data: dict | None = None
    # Sent as a JSON body (the API's writes) rather than as a form.
    json: bool = False


def _admin_probes(target: Target, label: str, view: str) -> list[Probe]:
    obj = target.objects[label]
    app_label, model_name = label.lower().split(".")
    url = reverse(f"admin:{app_label}_{model_name}_{view}", args=[quote(obj.pk)])
    if view == "change":
        # An empty POST: a person allowed to change would get the form back with errors (200).
        return [Probe("get", url), Probe("post", url, {})]
    if view == "delete":
        return [Probe("get", url), Probe("post", url, {"post": "yes"})]
    return [Probe("get", url)]


ADMIN_VIEWS = ("change", "delete", "history")
ADMIN_MODELS = sorted(model._meta.label for model in admin.site._registry)
# Every registered model's target object comes from build_target(); a model without one
# fails test_every_admin_model_has_a_target_object.
ADMIN_OBJECTS = {
    "account.EmailAddress",
    "auditlog.LogEntry",
    "mfa.Authenticator",
    "auth.Group",
    "audit.PersonalDataAccess",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "outbox.Message",
    "outbox.SentMark",
    "events.Community",
    "events.Meeting",
    "events.Membership",
    "events.Registration",
    "partners.Contact",
    "partners.Organisation",
    "portal.Invitation",
    "portal.LegalText",
    "portal.PrivacyAcceptance",
    "portal.PrivacyNotice",
    "portal.User",
    "projects.Deliverable",
    "projects.DeliverableStatusChange",
    "projects.FundingProgramme",
    "projects.Participation",
    "projects.Project",
    "projects.ProjectRole",
    "projects.Update",
    "projects.WorkPackage",
    "reports.ProgressReport",
    "reports.ReportDownload",
    "reports.ReportingPeriod",
    "reports.ReportingStep",
    "reports.WorkPackageNarrative",
    "reports.IndicatorValue",
    "reports.BudgetSpend",
    "projects.Indicator",
    "projects.BudgetLine",
    "events.CalendarFeedToken",
    "portal.ApiToken",
}


def _slug(target: Target) -> dict:
    return {"slug": target.project.slug}


def _community_slug(target: Target) -> dict:
    return {"slug": target.objects["events.Community"].slug}


def _get(name: str, kwargs: Callable[[Target], dict]) -> Callable[[Target], list[Probe]]:
    return lambda target: [Probe("get", reverse(name, kwargs=kwargs(target)))]


def _open_data_probes() -> list[Probe]:
    # Built from the current data, target included: none of project A's strings may be in any file.
    open_data_build()
    return [Probe("get", reverse("opendata:file", args=[name])) for name in sorted(OPEN_DATA_FILES)]


def _get_and_post(name: str, kwargs: Callable[[Target], dict], data: dict) -> Callable[[Target], list[Probe]]:
    def build(target: Target) -> list[Probe]:
        url = reverse(name, kwargs=kwargs(target))
        return [Probe("get", url), Probe("post", url, data)]

    return build


def _token(target: Target) -> dict:
    return {"token": target.extra["token"]}


def _pk_of(label: str) -> Callable[[Target], dict]:
    return lambda target: {"pk": target.objects[label].pk}


def _post(name: str, kwargs: Callable[[Target], dict]) -> Callable[[Target], list[Probe]]:
    return lambda target: [Probe("post", reverse(name, kwargs=kwargs(target)))]


# Valid form data for the workspace's create and edit forms: a refusal must be the
# permission check's, not a form error, and a leak would show in the fingerprint.
MEETING_DATA = {
    "title": "Hijacked meeting",
    "kind": "workshop",
    "audience": "public",
    "status": "scheduled",
    "starts_at": "2026-03-02T10:00",
    "ends_at": "2026-03-02T12:00",
    "timezone": "Europe/Berlin",
    "format": "online",
    "language": "en",
    "capacity": "10",
}
DELIVERABLE_DATA = {
    "code": "D9.9",
    "title": "Hijacked deliverable",
    "kind": "report",
    "dissemination": "public",
    "due_date": "2026-06-30",
}
UPDATE_DATA = {"kind": "news", "published_on": "2026-01-15", "title": "Hijacked update"}
# The same, as the API's JSON writes take them (portal/api/writes.py).
API_MEETING_DATA = {
    **MEETING_DATA,
    "starts_at": "2026-03-02T10:00:00+01:00",
    "ends_at": "2026-03-02T12:00:00+01:00",
    "capacity": 10,
}
API_DELIVERABLE_DATA = {**DELIVERABLE_DATA, "status": "approved", "submitted_on": "2025-06-30"}


def _api_detail_and_change(name: str, label: str, data: dict) -> Callable[[Target], list[Probe]]:
    """The detail, and a PATCH of the same object (a coordinator's write)."""

    def build(target: Target) -> list[Probe]:
        url = reverse(name, kwargs={"pk": target.objects[label].pk})
        return [Probe("get", url), Probe("patch", url, data, json=True)]

    return build


def _api_create(name: str, data: dict) -> Callable[[Target], list[Probe]]:
    """A new object in project A, named by its slug in the body."""
    return lambda target: [Probe("post", reverse(name), {**data, "project": target.project.slug}, json=True)]


def _api_registration(target: Target) -> list[Probe]:
    """One's own registration for project A's members-only meeting: read, register, cancel."""
    url = reverse("api:meeting-registration", kwargs={"pk": target.objects["events.Meeting"].pk})
    body = {"sector": "public", "consent_to_list": True}
    return [Probe("get", url), Probe("post", url, body, json=True), Probe("delete", url, json=True)]


COMMUNITY_DATA = {
    "name": "Hijacked community",
    "territory": "Nowhere",
    "country": "DE",
    "visibility": "public",
    "membership_policy": "open",
}


# One builder per parameterised URL name: the requests an outsider tries against project A.
URL_BUILDERS: dict[str, Callable[[Target], list[Probe]]] = {
    "workspace:project": _get("workspace:project", _slug),
    "workspace:reports": _get_and_post(
        "workspace:reports",
        _slug,
        {"period": "custom", "period_start": "2025-01-01", "period_end": "2025-03-31", "language": "en"},
    ),
    "workspace:deliverable_edit": _get_and_post(
        "workspace:deliverable_edit",
        lambda t: {"pk": t.objects["projects.Deliverable"].pk},
        {"status": "approved", "submitted_on": "2025-06-30", "url": "", "description": "Hijacked"},
    ),
    # The REST API (portal/api/): each detail with project A's object.
    "api:programme-detail": _get("api:programme-detail", _pk_of("projects.FundingProgramme")),
    "api:project-detail": _get("api:project-detail", _slug),
    "api:organisation-detail": _get("api:organisation-detail", _pk_of("partners.Organisation")),
    "api:participation-detail": _get("api:participation-detail", _pk_of("projects.Participation")),
    "api:community-detail": _get("api:community-detail", _community_slug),
    "api:meeting-detail": _api_detail_and_change("api:meeting-detail", "events.Meeting", API_MEETING_DATA),
    "api:deliverable-detail": _api_detail_and_change(
        "api:deliverable-detail", "projects.Deliverable", API_DELIVERABLE_DATA
    ),
    # The API's writes (portal/api/writes.py); the two lists take no parameter but write into project A.
    "api:meeting-registration": _api_registration,
    "api:meeting-list": _api_create("api:meeting-list", API_MEETING_DATA),
    "api:deliverable-list": _api_create("api:deliverable-list", API_DELIVERABLE_DATA),
    "api:news-detail": _get("api:news-detail", _pk_of("projects.Update")),
    # Behind a login or a personal token (portal/api/token_views.py).
    "api:project-internal": _get("api:project-internal", _slug),
    "api:report-detail": _get("api:report-detail", _pk_of("reports.ProgressReport")),
    "api:report-download": _get("api:report-download", _pk_of("reports.ProgressReport")),
    # The profile's API tokens: revoking somebody else's token.
    "account_api_token_revoke": _post("account_api_token_revoke", _pk_of("portal.ApiToken")),
    "workspace:deliverable_file": _get(
        "workspace:deliverable_file", lambda t: {"pk": t.objects["projects.Deliverable"].pk}
    ),
    "catalogue:detail": _get("catalogue:detail", _slug),
    "directory:detail": _get("directory:detail", lambda t: {"pk": t.objects["partners.Organisation"].pk}),
    "calendar:community": _get("calendar:community", _community_slug),
    "calendar:meeting": _get("calendar:meeting", lambda t: {"pk": t.objects["events.Meeting"].pk}),
    "calendar:month": _get(
        "calendar:month",
        lambda t: {
            "year": t.objects["events.Meeting"].starts_at.year,
            "month": t.objects["events.Meeting"].starts_at.month,
        },
    ),
    "opendata:file": lambda target: _open_data_probes(),
    "workspace:membership_requests": _get("workspace:membership_requests", _slug),
    # POST only: the views answer nothing else. Tried on a pending request, which they would change.
    "workspace:membership_approve": _post(
        "workspace:membership_approve", lambda t: {"pk": t.extra["pending_membership"].pk}
    ),
    "workspace:membership_reject": _post(
        "workspace:membership_reject", lambda t: {"pk": t.extra["pending_membership"].pk}
    ),
    "workspace:meeting_create": _get_and_post("workspace:meeting_create", _slug, MEETING_DATA),
    "workspace:meeting_edit": _get_and_post("workspace:meeting_edit", _pk_of("events.Meeting"), MEETING_DATA),
    "workspace:deliverable_create": _get_and_post("workspace:deliverable_create", _slug, DELIVERABLE_DATA),
    "workspace:update_create": _get_and_post("workspace:update_create", _slug, UPDATE_DATA),
    "workspace:update_edit": _get_and_post("workspace:update_edit", _pk_of("projects.Update"), UPDATE_DATA),
    "workspace:community_create": _get_and_post("workspace:community_create", _slug, COMMUNITY_DATA),
    "workspace:community_edit": _get_and_post("workspace:community_edit", _community_slug, COMMUNITY_DATA),
    "invitations:project_list": _get("invitations:project_list", _slug),
    "invitations:project_create": _get_and_post(
        "invitations:project_create", _slug, {"email": "intruder@example.org", "role": "coordinator"}
    ),
    "invitations:community_list": _get("invitations:community_list", _community_slug),
    "invitations:community_create": _get_and_post(
        "invitations:community_create", _community_slug, {"email": "intruder@example.org", "role": "facilitator"}
    ),
    # POST only: the view answers nothing else.
    "invitations:revoke": lambda t: [
        Probe("post", reverse("invitations:revoke", kwargs={"pk": t.objects["portal.Invitation"].pk}))
    ],
    "invitations:accept": _get_and_post("invitations:accept", _token, {}),
    "invitations:accept_signup": _get("invitations:accept_signup", _token),
    "attendance:scan": _get_and_post(
        "attendance:scan", lambda t: {"code": checkin_code(t.objects["events.Registration"])}, {"attended": "1"}
    ),
    "attendance:meeting": _get("attendance:meeting", _pk_of("events.Meeting")),
    "reporting:versions": _get("reporting:versions", _slug),
    "reporting:bundle": _get("reporting:bundle", _slug),
    "reporting:download_log": _get("reporting:download_log", _slug),
    "changelog:project": _get("changelog:project", _slug),
    "access_log:project": _get("access_log:project", _slug),
    "access_log:meeting": _get("access_log:meeting", _pk_of("events.Meeting")),
    "reporting:download": _get("reporting:download", _pk_of("reports.ProgressReport")),
    # POST only: the view answers nothing else.
    "reporting:period_open": lambda t: [
        Probe(
            "post",
            reverse("reporting:period_open", kwargs=_slug(t)),
            {"open-period": "custom", "open-period_start": "2025-01-01", "open-period_end": "2025-03-31"},
        )
    ],
    "reporting:period": _get_and_post(
        "reporting:period",
        lambda t: {"slug": t.project.slug, "pk": t.objects["reports.ReportingPeriod"].pk},
        {"action": "return", "comment": "Hijacked"},
    ),
    "attendance:sheet": _get("attendance:sheet", _pk_of("events.Meeting")),
    "attendance:export_csv": _get("attendance:export_csv", _pk_of("events.Meeting")),
    "attendance:export_xlsx": _get("attendance:export_xlsx", _pk_of("events.Meeting")),
    "attendance:community_statistics": _get("attendance:community_statistics", _community_slug),
    # POST only: the views answer nothing else. Each would change the target registration.
    "attendance:check_in": _post("attendance:check_in", _pk_of("events.Registration")),
    "attendance:cancel": _post("attendance:cancel", _pk_of("events.Registration")),
    "attendance:restore": _post("attendance:restore", _pk_of("events.Registration")),
    "attendance:move": _post("attendance:move", _pk_of("events.Registration")),
    # A member's side (portal/registrations). Join and leave are POST only; leave is tried
    # by the pending member too, whose request it would withdraw.
    "registrations:community_join": _post("registrations:community_join", _community_slug),
    "registrations:community_leave": _post("registrations:community_leave", _community_slug),
    "registrations:register": _get_and_post(
        "registrations:register",
        _pk_of("events.Meeting"),
        {"sector": "public", "access_needs": "", "interpretation_language": "", "consent_to_list": "on"},
    ),
    "registrations:registration": _get("registrations:registration", _pk_of("events.Registration")),
    "registrations:registration_cancel": _post("registrations:registration_cancel", _pk_of("events.Registration")),
    # Calendar files (portal/calendar/ics_views.py).
    "calendar:meeting_ics": _get("calendar:meeting_ics", _pk_of("events.Meeting")),
    "calendar:community_ics": _get("calendar:community_ics", _community_slug),
    "calendar:personal_feed": _get("calendar:personal_feed", lambda t: {"token": _feed_token(t)}),
}

# Deliberate exceptions, each with its reason. Outside them, 200 is always a failure.
#
# Organisations form one directory shared by every project, and funding programmes are
# shared the same way: any coordinator may look one up (to pick it in their own project),
# but not change or delete it. So for the one staff role the change and history pages may
# answer 200, provided the page is read-only and shows nothing of project A (the directory
# entry itself is not project A's secret, so its own name is allowed).
READ_ONLY_FOR_STAFF: dict[str, str] = {
    "admin:partners_organisation_change": "organisation",
    "admin:partners_organisation_history": "organisation",
    "admin:projects_fundingprogramme_change": "programme",
    "admin:projects_fundingprogramme_history": "programme",
}
STAFF_ROLES = {"coordinator-of-other-project"}
# Public pages that may answer 200 to an outsider, with the secrets they may show:
# the organisation page of a partner that also works in project B lists project B only
# (its own name is the one thing of the target it shows); the month calendar is not an
# object at all, just two numbers, and must show nothing of project A's meetings.
SHARED_PAGES: dict[str, set[str]] = {
    "directory:detail": {"organisation"},
    "calendar:month": set(),
    # The API's organisation entry is the directory's page as JSON (its count of projects counts visible ones only).
    "api:organisation-detail": {"organisation"},
    # Every programme is public: the catalogue offers them all as a filter to every visitor.
    "api:programme-detail": {"programme"},
    # The open-data files: public data only, built by the task; nothing of project A.
    "opendata:file": set(),
}
# The accept link is a bearer token: whoever holds it may see the offer (project, role,
# inviter), which is what the e-mail said anyway. What matters is that a holder who is not
# the invitee gets nothing: no role, no membership, the invitation still open.
TOKEN_URLS = {"invitations:accept", "invitations:accept_signup"}
# The personal calendar feed is a bearer URL too: calendar programs fetch it without a
# session, so the token is the credential, and its holder sees the owner's meetings (the
# owner gave it away). Only the token opens it: tests/portal/test_calendar_files.py checks
# that a wrong, renewed or revoked token is a 404 and that the session plays no part.
TOKEN_URLS |= {"calendar:personal_feed"}


def _feed_token(target: Target) -> str:
    return target.objects["events.CalendarFeedToken"].token


# Refused downloads of a report or an audit bundle are written to the download log with
# outcome "denied" (reports/downloads.py): coordinators see who tried. That row is the one
# write an outsider may cause, and only there: it must name the outsider, project A and
# outcome "denied", never "served"; everything else must stay as it was.
LOGGED_REFUSALS = {"reporting:download", "reporting:bundle", "api:report-download"}

# Admin views nobody may use, the platform admin included: the access log of personal data
# is deleted by its retention job only (audit/admin.py), and so is the change log (portal/admin.py).
# Outsiders are refused them all the same.
REFUSED_TO_EVERYBODY = {"admin:audit_personaldataaccess_delete", "admin:auditlog_logentry_delete"}
# API tokens are revoked, never deleted in the admin (portal/accounts/admin.py): the row stays as the record.
REFUSED_TO_EVERYBODY |= {"admin:portal_apitoken_delete"}

# Views that are not the portal's own pages, skipped by where their code lives.
SKIPPED_VIEW_MODULES = ("allauth.", "django.views.static", "django.views.i18n", "django.contrib.staticfiles")


@dataclass(frozen=True)
class Route:
    name: str
    namespace: str
    pattern: str
    callback_module: str
    parameterised: bool


def _walk(patterns: list, prefix: str = "", namespace: str = "", parameterised: bool = False) -> Iterator[Route]:
    for entry in patterns:
        has_params = parameterised or _has_params(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner, has_params)
        elif isinstance(entry, URLPattern):
            label = entry.name or f"<unnamed {prefix}{entry.pattern}>"
            name = f"{namespace}:{label}" if namespace else label
            yield Route(name, namespace, prefix + str(entry.pattern), entry.lookup_str, has_params)


def _has_params(pattern: Any) -> bool:
    if getattr(pattern, "converters", None):
        return True
    regex = getattr(pattern, "regex", None)
    return bool(regex is not None and regex.groups)


def object_scoped_routes() -> list[Route]:
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if not route.parameterised or route.namespace.split(":")[0] == "admin":
            continue
        if route.callback_module.startswith(SKIPPED_VIEW_MODULES):
            continue
        routes.append(route)
    return sorted(routes, key=lambda route: route.name)


ROUTE_NAMES = sorted({route.name for route in object_scoped_routes()})
# Addresses of the caller's own object (the API's "my registration for this meeting"): the
# platform admin's control reads them as the target's registrant, who has one.
OWN_OBJECT_URLS = {"api:meeting-registration"}
# Routes without a parameter that still write into a project named in the request's body.
BODY_SCOPED_WRITES = ["api:deliverable-list", "api:meeting-list"]
OUTSIDERS = [
    "anonymous",
    "member-of-other-cop",
    "coordinator-of-other-project",
    "funder-of-other-programme",
    "funder-of-other-project-same-programme",
    "partner-staff-of-other-project",
    "pending-member-of-target-cop",
    "self-declared-colleague-of-target-organisation",
]
URL_NAMES = sorted(
    [f"admin:{label.lower().replace('.', '_')}_{view}" for label in ADMIN_MODELS for view in ADMIN_VIEWS]
    + ROUTE_NAMES
    + BODY_SCOPED_WRITES
)
ADMIN_LABELS = {f"admin:{label.lower().replace('.', '_')}": label for label in ADMIN_MODELS}


def probes_for(target: Target, url_name: str) -> list[Probe]:
    if url_name.startswith("admin:"):
        prefix, view = url_name.rsplit("_", 1)
        label = ADMIN_LABELS[prefix]
        assert label in target.objects, f"{label} is registered in the admin: give it an object in build_target()"
        return _admin_probes(target, label, view)
    assert url_name in URL_BUILDERS, (
        f"{url_name} takes a parameter: add a builder for it to URL_BUILDERS in {__name__}, "
        "so the IDOR matrix requests it with project A's object"
    )
    return URL_BUILDERS[url_name](target)


# --- What must not change ---------------------------------------------------------------------

# audit: a refused request must not write to the access log of personal data either.
FINGERPRINT_APPS = ("audit", "partners", "projects", "events", "reports", "portal")


def fingerprint(target: Target) -> dict[str, Any]:
    """Row counts of the portal's models and the state of the objects an attack would change."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app in FINGERPRINT_APPS
        for model in apps.get_app_config(app).get_models()
    }
    counts["auth.Group"] = Group.objects.count()
    counts["account.EmailAddress"] = EmailAddress.objects.count()
    state = {}
    for label, obj in target.objects.items():
        if label.startswith("axes."):
            continue  # logins write their own log rows
        fresh = type(obj)._default_manager.filter(pk=obj.pk).values().first()
        state[label] = fresh and {k: v for k, v in fresh.items() if k not in {"last_login", "updated_at"}}
    if "community_invitation" in target.extra:
        invitation = target.extra["community_invitation"]
        state["community invitation"] = type(invitation).objects.filter(pk=invitation.pk).values().first()
    # Approving or rejecting changes a pending request's status, not a row count.
    pending = target.extra["pending_membership"]
    state["pending membership"] = Membership.objects.filter(pk=pending.pk).values().first()
    return {"counts": counts, "state": state}


# --- The matrix ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def target_world(django_db_setup, django_db_blocker) -> Iterator[Target]:
    """Built once for the ~900 cases: each runs in a savepoint, so none sees another's changes."""
    with built_once(django_db_blocker):
        target = build_target()
        yield target
        delete_files(target.objects["projects.Deliverable"].file, target.objects["reports.ProgressReport"].file)


@pytest.fixture
def target(target_world, db) -> Target:
    return target_world


def _request(client, probe: Probe) -> HttpResponse:
    if probe.json:
        body = json.dumps(probe.data or {})
        return client.generic(probe.method.upper(), probe.url, body, content_type="application/json")
    if probe.method == "post":
        return client.post(probe.url, probe.data or {})
    return client.get(probe.url)


def _login_urls() -> tuple[str, ...]:
    return (reverse("account_login"), reverse("admin:login"))


# What each outsider got, printed as a table at the end of the run (see conftest.py):
# {url name: {role: {"GET 404", "POST 404", ...}}}
MATRIX: dict[str, dict[str, set[str]]] = {}


def _record(role: str, url_name: str, probe: Probe, status: int) -> None:
    MATRIX.setdefault(url_name, {}).setdefault(role, set()).add(f"{probe.method.upper()} {status}")


def _assert_refused(response: HttpResponse, probe: Probe) -> None:
    where = f"{probe.method.upper()} {probe.url}"
    if response.status_code == 302:
        assert response["Location"].startswith(_login_urls()), f"{where} redirects to {response['Location']}"
    elif probe.url.startswith("/api/"):
        # The API's login page: 401 where a login or a token is needed.
        assert response.status_code in {401, 403, 404}, f"{where} answered {response.status_code}"
    else:
        # 401: the API's writes to anonymous callers (no login page to send them to).
        assert response.status_code in {401, 403, 404}, f"{where} answered {response.status_code}"


def _assert_no_secrets(body: str, secrets: dict[str, str], where: str, allowed: set[str] = frozenset()) -> None:
    leaked = [what for what, text in secrets.items() if text and what not in allowed and text in body]
    assert not leaked, f"{where} shows project A's {', '.join(leaked)}"


@pytest.mark.parametrize(
    "role, url_name",
    [(role, name) for role in OUTSIDERS for name in URL_NAMES],
    ids=[f"{role}|{name}" for role in OUTSIDERS for name in URL_NAMES],
)
def test_outsiders_cannot_reach_project_a(client, target, role, url_name):
    user = target.people[role]
    if user is not None:
        client.force_login(user)
    probes = probes_for(target, url_name)
    before = fingerprint(target)
    downloads_before = set(ReportDownload.objects.values_list("pk", flat=True))
    holdings = _holdings(user)
    for probe in probes:
        response = _request(client, probe)
        _record(role, url_name, probe, response.status_code)
        where = f"{role}: {probe.method.upper()} {probe.url}"
        # Files (the open-data exports) come as a stream.
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        if url_name in TOKEN_URLS:
            # Any page may come back (see TOKEN_URLS); the checks below say nothing was granted.
            assert response.status_code != 500
            continue
        if response.status_code == 200 and probe.method == "get" and url_name in SHARED_PAGES:
            _assert_no_secrets(body, target.secrets, where, allowed=SHARED_PAGES[url_name])
            continue
        if (
            response.status_code == 200
            and probe.method == "get"
            and role in STAFF_ROLES
            and url_name in READ_ONLY_FOR_STAFF
        ):
            # The deliberate exception: a shared directory entry, read-only.
            if url_name.endswith("_change"):
                assert response.context["has_change_permission"] is False, where
            assert 'name="_save"' not in body, where
            _assert_no_secrets(body, target.secrets, where, allowed={READ_ONLY_FOR_STAFF[url_name]})
            continue
        _assert_refused(response, probe)
        _assert_no_secrets(body, target.secrets, where)
    after = fingerprint(target)
    if url_name in LOGGED_REFUSALS:
        refusals = ReportDownload.objects.exclude(pk__in=downloads_before)
        assert all(
            (row.user_id, row.project_id, row.outcome) == (getattr(user, "pk", None), target.project.pk, "denied")
            for row in refusals
        ), f"{role}: {url_name} logged something other than a refusal"
        after["counts"]["reports.ReportDownload"] -= refusals.count()
    assert after == before, f"{role} changed something through {url_name}"
    # Belt and braces for the token URLs: the outsider holds nothing they did not hold.
    assert _holdings(user) == holdings, f"{role} gained a role or membership through {url_name}"


def _holdings(user: Any) -> tuple[set, set]:
    if user is None:
        return set(), set()
    roles = set(ProjectRole.objects.filter(user=user).values_list("project_id", "role"))
    memberships = set(Membership.objects.filter(user=user).values_list("community_id", "role", "status"))
    return roles, memberships


# --- The matrix covers everything, and its builders are right -------------------------------


def test_every_admin_model_has_a_target_object():
    missing = sorted(set(ADMIN_MODELS) - ADMIN_OBJECTS)
    assert not missing, f"registered in the admin without an object in build_target(): {missing}"


def test_every_parameterised_url_has_a_builder():
    missing = [name for name in ROUTE_NAMES if name not in URL_BUILDERS]
    assert not missing, (
        f"URL patterns with parameters but no builder in URL_BUILDERS: {missing}. "
        "Add one, so the IDOR matrix requests them with project A's objects."
    )


def test_no_builder_is_left_for_a_url_that_is_gone():
    stale = sorted(set(URL_BUILDERS) - set(ROUTE_NAMES) - set(BODY_SCOPED_WRITES))
    assert not stale, f"builders for URL names the URLconf no longer has: {stale}"


def test_the_walk_finds_parameterised_patterns():
    """A walk that found nothing would make the matrix pass vacuously."""
    assert {"workspace:project", "workspace:deliverable_edit", "workspace:reports"} <= set(ROUTE_NAMES)
    assert {"workspace:membership_approve", "workspace:meeting_edit", "workspace:community_edit"} <= set(ROUTE_NAMES)
    assert len(URL_NAMES) >= 3 * len(ADMIN_MODELS)


def test_the_platform_admin_reaches_every_page(client, target):
    """The control: the URLs are right, so the outsiders' 403/404 are refusals, not typos."""
    client.force_login(target.people["platform-admin"])
    # One's own registration (the API's): only its owner has one to read.
    owner = Client()
    owner.force_login(target.objects["portal.User"])
    for url_name in URL_NAMES:
        if url_name in TOKEN_URLS:
            continue  # the platform admin is not the invitee either
        if url_name in REFUSED_TO_EVERYBODY:
            continue
        reader = owner if url_name in OWN_OBJECT_URLS else client
        for probe in probes_for(target, url_name):
            if probe.method != "get":
                continue
            response = reader.get(probe.url)
            assert response.status_code == 200, f"{url_name}: GET {probe.url} answered {response.status_code}"


def test_the_invitee_can_use_the_token(client, target):
    """The control for TOKEN_URLS: the token works for its own address."""
    if "token" not in target.extra:
        pytest.skip("no invitations app")
    invitee = UserFactory(email=target.secrets["invitee"])
    client.force_login(invitee)
    response = client.post(reverse("invitations:accept", kwargs={"token": target.extra["token"]}))
    assert response.status_code == 302
    assert ProjectRole.objects.filter(user=invitee, project=target.project).exists()


def test_the_target_world_is_private(target):
    """The fixtures are built so that nothing in them is public by design."""
    assert not target.project.is_public
    assert target.objects["events.Community"].visibility == Community.Visibility.MEMBERS
    assert target.objects["events.Meeting"].audience == Meeting.Audience.MEMBERS
    assert target.objects["projects.Deliverable"].dissemination == Deliverable.Dissemination.SENSITIVE
    assert not target.objects["projects.Update"].is_public
    assert all(text for text in target.secrets.values())


def test_secrets_are_distinctive():
    """No secret is a substring of the portal's own words, or every page would 'leak' it."""
    assert all(len(text) >= 7 for text in SECRETS.values() if text)


# --- Personal API tokens: never more than the browser --------------------------------------------
#
# For every API route (the lists and the object-scoped ones above) and every token scope,
# each person (the outsiders, and project A's own coordinator and funder officer) asks once
# with a token and once in the browser. What the token gets may be less (its scope refused:
# 403) but never more: a 200 with a token is a 200 in the browser with the same body; a token
# without the read scope reads what the public reads, so its 200 is an anonymous visitor's.
# The tokens carry one scope each, whatever the person's roles allow, so a scope alone is shown
# to grant nothing.

API_LIST_NAMES = sorted(
    {
        route.name
        for route in _walk(get_resolver().url_patterns)
        if route.name.startswith("api:") and route.name.endswith("-list")
    }
)
API_OBJECT_NAMES = [name for name in ROUTE_NAMES if name.startswith("api:")]
TOKEN_HOLDERS = [role for role in OUTSIDERS if role != "anonymous"] + ["coordinator-of-target", "funder-of-target"]


def _api_probes(target: Target) -> list[Probe]:
    lists = [Probe("get", reverse(name) + "?page_size=100") for name in API_LIST_NAMES]
    return lists + [probe for name in API_OBJECT_NAMES for probe in probes_for(target, name)]


def _body(response: HttpResponse) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("scope", sorted(SCOPE_LABELS))
@pytest.mark.parametrize("role", TOKEN_HOLDERS)
def test_a_token_never_sees_more_than_its_owners_browser(client, target, role, scope):
    user = target.people.get(role) or target.extra["insiders"][role]
    secret = f"cp_idor-{role}-{scope}"
    ApiToken.objects.create(
        owner=user,
        name="matrix",
        key_prefix=secret[:8],
        key_hash=hashlib.sha256(secret.encode()).hexdigest(),
        scopes=scope,
    )
    client.force_login(user)
    insider = role in target.extra["insiders"]
    assert API_OBJECT_NAMES and API_LIST_NAMES
    for probe in _api_probes(target):
        with_token = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(probe.url)
        where = f"{role} with a {scope} token: GET {probe.url}"
        assert with_token.status_code in {200, 403, 404}, f"{where} answered {with_token.status_code}"
        owners_eyes = scope == READ or (scope == REPORTS and probe.url.startswith("/api/v1/reports/"))
        in_browser = (client if owners_eyes else Client()).get(probe.url)
        if with_token.status_code == 200:
            assert in_browser.status_code == 200, f"{where}: 200, but {in_browser.status_code} in the browser"
            assert _body(with_token) == _body(in_browser), f"{where} shows something the browser does not"
        if not insider:
            _assert_no_secrets(
                _body(with_token).decode(errors="replace"),
                target.secrets,
                where,
                allowed={"organisation", "programme"},  # the shared directory entries (SHARED_PAGES)
            )


def test_the_insiders_tokens_do_open_what_their_scopes_name(target):
    """The control for the token matrix: a right scope opens project A's data for its own people."""
    coordinator, funder = (target.extra["insiders"][role] for role in ("coordinator-of-target", "funder-of-target"))
    _row, read = api_token_create(user=coordinator, name="control", scopes=["read"])
    internal = Client(HTTP_AUTHORIZATION=f"Bearer {read}").get(
        reverse("api:project-internal", args=[target.project.slug])
    )
    assert internal.status_code == 200 and internal.json()["exact_counts"] is True
    _row, reports = api_token_create(user=funder, name="control", scopes=["reports"])
    listed = Client(HTTP_AUTHORIZATION=f"Bearer {reports}").get(reverse("api:report-list"))
    # The target's report was never submitted: its funder does not see it, in the browser neither.
    assert listed.status_code == 200 and listed.json()["results"] == []
