"""The coordinator's workspace: what needs attention, requests to join, and the create and
edit forms for meetings, deliverables, updates and communities.

The world is the one of test_workspace.py (private project ALPHA with people in every
role); the pages ask the permission functions, so these tests check who gets what, that
bad input comes back as form errors (never a 500, never a half-written row), that names
stay with the people who decide, and that every list keeps its number of queries.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Meeting, Membership
from projects.models import Deliverable, Update
from tests.factories import (
    CommunityFactory,
    DeliverableFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UpdateFactory,
    UserFactory,
    WorkPackageFactory,
)
from tests.portal.test_workspace import (  # noqa: F401  (ws is a fixture)
    MAX_QUERIES,
    REGISTRANT_NAMES,
    Workspace,
    get,
    project_url,
    soon,
    ws,
)
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

OUTSIDE = {"member": 404, "nobody": 404, "coordinator_other": 404}


def url(name: str, *args) -> str:
    return reverse(f"workspace:{name}", args=args)


def requests_url(w: Workspace) -> str:
    return url("membership_requests", w.project.slug)


def pending_of(w: Workspace) -> Membership:
    return Membership.objects.get(community=w.community, user=w.users["other_member"])


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_facilitator(w: Workspace, community: Community | None = None):
    user = UserFactory(email=f"facilitator{Membership.objects.count()}@example.org")
    MembershipFactory(community=community or w.community, user=user, role=Membership.Role.FACILITATOR)
    return user


# --- What needs attention on the project's page ---------------------------------------------


def test_deadlines_show_late_deliverables_and_those_due_in_60_days(client, ws):
    due_soon = DeliverableFactory(
        project=ws.project, code="D5.1", due_date=timezone.localdate() + dt.timedelta(days=30)
    )
    DeliverableFactory(
        project=ws.project, code="D5.2", due_date=timezone.localdate() + dt.timedelta(days=30), submitted=True
    )
    response = get(client, ws.users["coordinator"], project_url(ws))
    deadlines = response.context["deadlines"]
    assert [d.code for d in deadlines.late] == ["D3.1"]
    # D2.1 is due in 90 days; D5.2 is due soon but already submitted.
    assert [d.code for d in deadlines.due_soon] == [due_soon.code]
    body = response.content.decode()
    assert "Deliverables that are late or due in the next 60 days" in body


def test_upcoming_meetings_come_with_confirmed_and_waitlisted_counts(client, ws):
    MeetingFactory(project=ws.project, title="Last year's kick-off", starts_at=soon(-300))
    response = get(client, ws.users["funder"], project_url(ws))
    (row,) = response.context["upcoming"]
    assert row["meeting"] == ws.meeting
    assert (row["meeting"].confirmed_count, row["meeting"].waitlisted_count) == (2, 1)
    assert not row["can_edit"]  # funders read figures


@pytest.mark.parametrize(
    "person, link", [("coordinator", True), ("admin", True), ("staff_x", False), ("funder", False)]
)
def test_requests_to_join_are_a_count_with_a_link_for_those_who_decide(client, ws, person, link):
    # A pending request in a community that does not admit on approval is not a request to decide.
    open_community = CommunityFactory(project=ws.project, membership_policy=Community.Policy.OPEN)
    MembershipFactory(community=open_community, pending=True)
    response = get(client, ws.users[person], project_url(ws))
    assert response.context["pending_request_count"] == 1
    body = response.content.decode()
    assert "1 person waits to be let into a community." in body
    assert (requests_url(ws) in body) is link
    for name in REGISTRANT_NAMES:
        assert name not in body


@pytest.mark.parametrize("person, shown", [("coordinator", True), ("funder", True), ("staff_x", False)])
def test_the_latest_report_status_is_shown_to_coordinators_and_funders(client, ws, person, shown):
    ProgressReportFactory(project=ws.project, failed=True, version=2, submitted=True)
    response = get(client, ws.users[person], project_url(ws))
    assert (response.context["latest_report"] is not None) is shown
    assert ("Latest progress report" in response.content.decode()) is shown
    if shown:
        assert response.context["latest_report"].status == "failed"


def test_funders_never_see_the_status_of_a_draft(client, ws):
    ProgressReportFactory(project=ws.project, failed=True, version=2)  # newer, never submitted
    project_page = get(client, ws.users["funder"], project_url(ws))
    assert project_page.context["latest_report"].status == "done"
    (row,) = get(client, ws.users["funder"], reverse("workspace:dashboard")).context["funded"]
    assert row["latest_report"] == "Done"
    coordinator_page = get(client, ws.users["coordinator"], project_url(ws))
    assert coordinator_page.context["latest_report"].status == "failed"


@pytest.mark.parametrize(
    "person, creates, updates_section",
    [("coordinator", True, True), ("admin", True, True), ("staff_x", False, True), ("funder", False, False)],
)
def test_create_and_edit_links_follow_the_permissions(client, ws, person, creates, updates_section):
    update = UpdateFactory(project=ws.project, title="Internal note for partners", is_public=False)
    body = get(client, ws.users[person], project_url(ws)).content.decode()
    for name in ("meeting_create", "deliverable_create", "update_create", "community_create"):
        assert (url(name, ws.project.slug) in body) is creates, name
    assert (url("meeting_edit", ws.meeting.pk) in body) is creates
    assert (url("community_edit", ws.community.slug) in body) is creates
    assert (url("update_edit", update.pk) in body) is creates
    # Internal updates are for the consortium; funders read the public ones on the public page.
    assert ("Internal note for partners" in body) is updates_section


def test_every_table_of_the_project_page_has_a_caption_and_headers(client, ws):
    UpdateFactory(project=ws.project)
    body = get(client, ws.users["coordinator"], project_url(ws)).content.decode()
    tables = body.count("<table")
    assert tables >= 7
    assert body.count("<caption") == tables
    headings = [int(level) for level in re.findall(r"<h([1-6])", body.split("<main", 1)[1])]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False))


# --- The requests page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "person, status",
    [("coordinator", 200), ("admin", 200), ("facilitator", 200), ("staff_x", 403), ("funder", 403), *OUTSIDE.items()],
)
def test_who_may_open_the_requests_page(client, ws, person, status):
    user = add_facilitator(ws) if person == "facilitator" else ws.users[person]
    response = get(client, user, requests_url(ws))
    assert response.status_code == status
    body = response.content.decode()
    assert ("Waltraud" in body) is (status == 200)


def test_the_requests_page_needs_a_login(client, ws):
    response = client.get(requests_url(ws))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_requests_page_names_the_people_and_offers_both_decisions(client, ws):
    pending = pending_of(ws)
    body = get(client, ws.users["coordinator"], requests_url(ws)).content.decode()
    assert "Waltraud Waitlist-Person" in body and "CoP Ravenna" in body
    assert f'action="{url("membership_approve", pending.pk)}"' in body
    assert f'action="{url("membership_reject", pending.pk)}"' in body
    assert body.count('method="post"') >= 2 and "csrfmiddlewaretoken" in body
    # Active members are not requests.
    assert "Zelda" not in body


def test_a_facilitator_sees_the_requests_of_their_community_only(client, ws):
    other = CommunityFactory(project=ws.project, name="CoP Lugo")
    MembershipFactory(community=other, pending=True, user=UserFactory(first_name="Lorenzo", last_name="Lugo-Request"))
    facilitator = add_facilitator(ws, other)
    response = get(client, facilitator, requests_url(ws))
    assert [m.community for m in response.context["requests"]] == [other]
    body = response.content.decode()
    assert "Lugo-Request" in body and "Waltraud" not in body
    # Facilitators have no project page; the breadcrumb does not lead there.
    assert f'href="{project_url(ws)}"' not in body


def test_the_requests_page_leaves_out_other_projects_and_decided_requests(client, ws):
    MembershipFactory(
        community=CommunityFactory(project=ws.other), pending=True, user=UserFactory(last_name="Omega-Request")
    )
    MembershipFactory(community=ws.community, left=True, user=UserFactory(last_name="Left-Already"))
    response = get(client, ws.users["coordinator"], requests_url(ws))
    assert [m.user.last_name for m in response.context["requests"]] == ["Waitlist-Person"]


def test_the_requests_page_query_count_does_not_grow(client, ws):
    client.force_login(ws.users["coordinator"])
    few = count_queries(client, requests_url(ws))
    for _ in range(49):
        organisation = OrganisationFactory()
        person = UserFactory(organisation=organisation, sector="public")
        MembershipFactory(community=CommunityFactory(project=ws.project), user=person, pending=True)
    many = count_queries(client, requests_url(ws))
    assert few == many <= MAX_QUERIES
    assert len(client.get(requests_url(ws)).context["requests"]) == 50


def test_the_requests_page_query_count_for_a_facilitator(client, ws):
    facilitator = add_facilitator(ws)
    client.force_login(facilitator)
    few = count_queries(client, requests_url(ws))
    for _ in range(49):
        MembershipFactory(community=ws.community, pending=True)
    many = count_queries(client, requests_url(ws))
    assert few == many <= MAX_QUERIES


# --- Approving and rejecting ------------------------------------------------------------------


@pytest.mark.parametrize("action, status", [("membership_approve", "active"), ("membership_reject", "rejected")])
def test_the_coordinator_decides_a_request(client, ws, action, status):
    pending = pending_of(ws)
    client.force_login(ws.users["coordinator"])
    response = client.post(url(action, pending.pk))
    assert response.status_code == 302 and response["Location"] == requests_url(ws)
    pending.refresh_from_db()
    assert pending.status == status
    (message,) = flash(response)
    assert "Waltraud Waitlist-Person" in message


def test_a_double_submit_is_harmless(client, ws):
    pending = pending_of(ws)
    client.force_login(ws.users["coordinator"])
    client.post(url("membership_approve", pending.pk))
    stored = Membership.objects.filter(pk=pending.pk).values().get()
    response = client.post(url("membership_approve", pending.pk))
    assert response.status_code == 302
    assert Membership.objects.filter(pk=pending.pk).values().get() == stored
    assert any("already decided: Active" in message for message in flash(response))
    # A rejection arriving after the approval does not undo it.
    client.post(url("membership_reject", pending.pk))
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.ACTIVE


def test_a_facilitator_decides_for_their_community(client, ws):
    pending = pending_of(ws)
    client.force_login(add_facilitator(ws))
    assert client.post(url("membership_reject", pending.pk)).status_code == 302
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.REJECTED


@pytest.mark.parametrize(
    "person, status",
    # A request is as visible as its community (portal/access.py): 403 for who sees the
    # members-only community (the consortium, the funder, its members), 404 for the rest,
    # a facilitator of another community of the project included.
    [
        ("staff_x", 403),
        ("funder", 403),
        ("other_facilitator", 404),
        ("pending_self", 404),
        *{**OUTSIDE, "member": 403}.items(),
    ],
)
@pytest.mark.parametrize("action", ["membership_approve", "membership_reject"])
def test_others_cannot_decide(client, ws, person, status, action):
    pending = pending_of(ws)
    if person == "other_facilitator":
        user = add_facilitator(ws, CommunityFactory(project=ws.project))
    elif person == "pending_self":
        user = ws.users["other_member"]
    else:
        user = ws.users[person]
    client.force_login(user)
    assert client.post(url(action, pending.pk)).status_code == status
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.PENDING


def test_decisions_are_post_only_and_need_a_login(client, ws):
    pending = pending_of(ws)
    response = client.post(url("membership_approve", pending.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(ws.users["coordinator"])
    assert client.get(url("membership_approve", pending.pk)).status_code == 405
    assert client.post(url("membership_approve", 999_999)).status_code == 404
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.PENDING


# --- Who may open the forms --------------------------------------------------------------------


def form_urls(w: Workspace) -> dict[str, str]:
    update = UpdateFactory(project=w.project)
    return {
        "meeting_create": url("meeting_create", w.project.slug),
        "meeting_edit": url("meeting_edit", w.meeting.pk),
        "deliverable_create": url("deliverable_create", w.project.slug),
        "update_create": url("update_create", w.project.slug),
        "update_edit": url("update_edit", update.pk),
        "community_create": url("community_create", w.project.slug),
        "community_edit": url("community_edit", w.community.slug),
    }


FORMS = (
    "meeting_create",
    "meeting_edit",
    "deliverable_create",
    "update_create",
    "update_edit",
    "community_create",
    "community_edit",
)
# One rule (portal/access.py): 403 for who may see the project or the object, 404 for the
# rest. Partner staff see all of it; funders see the project, its meetings and its
# community, not its internal updates; a member sees the community and its meetings only.
FORM_STATUS = {
    "coordinator": dict.fromkeys(FORMS, 200),
    "admin": dict.fromkeys(FORMS, 200),
    "staff_x": dict.fromkeys(FORMS, 403),
    "funder": {
        "meeting_create": 403,
        "meeting_edit": 403,
        "deliverable_create": 403,
        "update_create": 403,
        "update_edit": 404,
        "community_create": 403,
        "community_edit": 403,
    },
    "facilitator": {
        # The meetings of their community are theirs; the project and the community's settings are not.
        "meeting_create": 404,
        "meeting_edit": 200,
        "deliverable_create": 404,
        "update_create": 404,
        "update_edit": 404,
        "community_create": 404,
        "community_edit": 403,
    },
    **{person: dict.fromkeys(FORMS, 404) for person in OUTSIDE},
    "member": {**dict.fromkeys(FORMS, 404), "meeting_edit": 403, "community_edit": 403},
}


@pytest.mark.parametrize("person", sorted(FORM_STATUS))
def test_who_may_open_each_form(client, ws, person):
    user = add_facilitator(ws) if person == "facilitator" else ws.users[person]
    client.force_login(user)
    got = {name: client.get(address).status_code for name, address in form_urls(ws).items()}
    assert got == FORM_STATUS[person]


@pytest.mark.parametrize(
    "name", ["meeting_create", "meeting_edit", "deliverable_create", "update_create", "community_edit"]
)
def test_forms_need_a_login(client, ws, name):
    response = client.get(form_urls(ws)[name])
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("person", ["staff_x", "funder", "coordinator_other", "member"])
def test_a_refused_post_writes_nothing(client, ws, person):
    urls = form_urls(ws)
    counts = [model.objects.count() for model in (Meeting, Deliverable, Update, Community)]
    client.force_login(ws.users[person])
    for name, data in [
        ("meeting_create", meeting_data()),
        ("meeting_edit", meeting_data(title="Hijacked")),
        ("deliverable_create", deliverable_data()),
        ("update_create", {"kind": "news", "published_on": "2026-01-01", "title": "Hijacked"}),
        ("update_edit", {"kind": "news", "published_on": "2026-01-01", "title": "Hijacked"}),
        ("community_create", community_data()),
        ("community_edit", community_data(name="Hijacked")),
    ]:
        assert client.post(urls[name], data).status_code in {403, 404}, name
    assert [model.objects.count() for model in (Meeting, Deliverable, Update, Community)] == counts
    assert not Meeting.objects.filter(title="Hijacked").exists()
    assert not Update.objects.filter(title="Hijacked").exists()
    assert not Community.objects.filter(name="Hijacked").exists()


# --- Meetings ------------------------------------------------------------------------------------


def meeting_data(**overrides) -> dict:
    return {
        "title": "Autumn CoP meeting",
        "kind": "cop_meeting",
        "community": "",
        "audience": "public",
        "status": "scheduled",
        "starts_at": "2026-10-06T10:00",
        "ends_at": "2026-10-06T13:00",
        "timezone": "Europe/Rome",
        "format": "in_person",
        "language": "it",
        "venue": "Sala Ragazzini",
        "address": "",
        "city": "Ravenna",
        "country": "IT",
        "online_link": "",
        "capacity": "40",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "description": "",
        "description_de": "",
        "agenda": "",
        **overrides,
    }


def in_new_york(user):
    """The person chose New York in their profile; the middleware activates it per request."""
    user.time_zone = "America/New_York"
    user.save(update_fields=["time_zone"])
    return user


def test_the_coordinator_schedules_a_meeting_in_their_time_zone(client, ws):
    client.force_login(in_new_york(ws.users["coordinator"]))
    response = client.post(
        url("meeting_create", ws.project.slug),
        meeting_data(community=str(ws.community.pk), description_de="Herbsttreffen der CoP"),
    )
    assert response.status_code == 302 and response["Location"] == project_url(ws) + "#meetings"
    meeting = Meeting.objects.get(title="Autumn CoP meeting")
    # 10:00 in New York (EDT, UTC-4) is 14:00 UTC.
    assert meeting.starts_at == dt.datetime(2026, 10, 6, 14, tzinfo=dt.UTC)
    assert (meeting.community, meeting.capacity, meeting.description_de) == (ws.community, 40, "Herbsttreffen der CoP")
    assert meeting.status == Meeting.Status.SCHEDULED
    assert any("Autumn CoP meeting" in message for message in flash(response))


def test_the_meeting_form_shows_times_in_the_current_time_zone(client, ws):
    ws.meeting.starts_at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    ws.meeting.ends_at = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    ws.meeting.save()
    client.force_login(in_new_york(ws.users["coordinator"]))
    body = client.get(url("meeting_edit", ws.meeting.pk)).content.decode()
    assert 'type="datetime-local"' in body
    assert 'value="2026-03-02T04:00"' in body and 'value="2026-03-02T07:00"' in body
    assert "In your time zone (America/New_York)." in body


def test_the_new_meeting_form_is_accessible_and_needs_no_javascript(client, ws):
    body = get(client, ws.users["coordinator"], url("meeting_create", ws.project.slug)).content.decode()
    main = body.split("<main", 1)[1]
    assert "<script" not in main
    for field in ("title", "kind", "starts_at", "ends_at", "capacity", "description_de"):
        assert f'<label for="id_{field}">' in main, field
    assert main.count("<fieldset>") == main.count("<legend>") >= 5
    assert 'lang="de"' in main  # the German description
    assert 'name="status"' not in main  # a new meeting is scheduled
    assert 'value="Europe/Berlin" selected' in main  # the current zone, as the place's default


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"ends_at": "2026-10-06T09:00"}, "ends_at", "The meeting cannot end before it starts."),
        ({"capacity": "0"}, "capacity", "Ensure this value is greater than or equal to 1."),
        ({"capacity": "-3"}, "capacity", "Ensure this value is greater than or equal to 1."),
        (
            {"registration_opens_at": "2026-09-10T00:00", "registration_closes_at": "2026-09-01T00:00"},
            "registration_closes_at",
            "Registration cannot close before it opens.",
        ),
        ({"starts_at": "next Tuesday"}, "starts_at", "Enter a valid date/time."),
        ({"title": ""}, "title", "Give the title in English, in German or in both."),
        ({"audience": "members"}, "audience", "A meeting for community members needs a community."),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Select a valid choice."),
    ],
)
def test_meeting_form_errors_are_clear_and_announced(client, ws, overrides, field, message):
    client.force_login(ws.users["coordinator"])
    response = client.post(url("meeting_create", ws.project.slug), meeting_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(error.startswith(message) for error in errors), errors
    body = response.content.decode()
    assert 'role="alert"' in body and f'href="#id_{field}"' in body
    assert f'aria-describedby="id_{field}_error"' in body or f"id_{field}_helptext id_{field}_error" in body
    assert "<title>Error:" in body
    assert not Meeting.objects.filter(title="Autumn CoP meeting").exists()


def test_the_same_meeting_twice_is_a_form_error_on_the_title(client, ws):
    client.force_login(ws.users["coordinator"])
    client.post(url("meeting_create", ws.project.slug), meeting_data())
    response = client.post(url("meeting_create", ws.project.slug), meeting_data())
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        "The project already has a meeting with this title at this time."
    ]
    assert Meeting.objects.filter(title="Autumn CoP meeting").count() == 1


def test_a_community_of_another_project_is_not_a_choice(client, ws):
    client.force_login(ws.users["coordinator"])
    elsewhere = CommunityFactory(project=ws.other)
    response = client.post(url("meeting_create", ws.project.slug), meeting_data(community=str(elsewhere.pk)))
    assert response.context["form"].has_error("community", "invalid_choice")


def test_the_coordinator_edits_and_cancels_a_meeting(client, ws):
    client.force_login(ws.users["coordinator"])
    form = client.get(url("meeting_edit", ws.meeting.pk)).context["form"]
    assert form.initial["title"] == "Spring CoP meeting" and form.initial["community"] == ws.community
    response = client.post(
        url("meeting_edit", ws.meeting.pk),
        meeting_data(
            title="Spring CoP meeting (moved)", status="cancelled", community=str(ws.community.pk), audience="members"
        ),
    )
    assert response.status_code == 302
    ws.meeting.refresh_from_db()
    assert (ws.meeting.title, ws.meeting.status) == ("Spring CoP meeting (moved)", "cancelled")
    # Registrations stay; the meeting is flagged on the page.
    assert ws.meeting.registrations.count() == 3


def test_a_facilitator_edits_their_meeting_within_their_communities(client, ws):
    facilitator = add_facilitator(ws)
    CommunityFactory(project=ws.project, name="CoP Lugo")
    client.force_login(facilitator)
    response = client.get(url("meeting_edit", ws.meeting.pk))
    assert list(response.context["form"].fields["community"].queryset) == [ws.community]
    assert response.context["form"].fields["community"].required
    response = client.post(url("meeting_edit", ws.meeting.pk), meeting_data(community="", title="Moved out"))
    assert response.context["form"].has_error("community", "required")
    response = client.post(
        url("meeting_edit", ws.meeting.pk), meeting_data(community=str(ws.community.pk), title="Renamed by facilitator")
    )
    assert response.status_code == 302 and response["Location"] == reverse("workspace:dashboard")
    assert Meeting.objects.get(pk=ws.meeting.pk).title == "Renamed by facilitator"


def test_a_meeting_of_another_project_is_404(client, ws):
    other_meeting = MeetingFactory(project=ws.other)
    client.force_login(ws.users["coordinator"])
    assert client.get(url("meeting_edit", other_meeting.pk)).status_code == 404
    assert client.post(url("meeting_edit", other_meeting.pk), meeting_data()).status_code == 404


# --- Deliverables ------------------------------------------------------------------------------


def deliverable_data(**overrides) -> dict:
    return {
        "code": "D6.1",
        "title": "Toolkit for municipalities",
        "work_package": "",
        "lead_organisation": "",
        "kind": "toolkit",
        "dissemination": "public",
        "due_date": "2026-09-30",
        "description": "",
        **overrides,
    }


def test_the_coordinator_adds_a_deliverable(client, ws):
    lead = ParticipationFactory(project=ws.project).organisation
    wp = ws.deliverables["x"].work_package
    client.force_login(ws.users["coordinator"])
    response = client.post(
        url("deliverable_create", ws.project.slug),
        deliverable_data(work_package=str(wp.pk), lead_organisation=str(lead.pk)),
    )
    assert response.status_code == 302 and response["Location"] == project_url(ws) + "#deliverables"
    deliverable = Deliverable.objects.get(code="D6.1")
    assert (deliverable.project, deliverable.work_package, deliverable.lead_organisation) == (ws.project, wp, lead)
    assert deliverable.status == Deliverable.Status.PLANNED


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"code": "D2.1"}, "code", None),  # the project's code, the database's rule
        ({"code": ""}, "code", "required"),
        ({"due_date": "31.09.2026"}, "due_date", "invalid"),
        ({"kind": "poem"}, "kind", "invalid_choice"),
    ],
)
def test_deliverable_form_errors(client, ws, overrides, field, code):
    client.force_login(ws.users["coordinator"])
    response = client.post(url("deliverable_create", ws.project.slug), deliverable_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert (
        form.has_error(field, code)
        if code
        else form.errors[field] == ["The project already has a deliverable with this code."]
    )
    assert Deliverable.objects.filter(project=ws.project).count() == 3


def test_only_the_projects_work_packages_and_partners_are_choices(client, ws):
    client.force_login(ws.users["coordinator"])
    foreign_wp = WorkPackageFactory(project=ws.other)
    outsider = OrganisationFactory()
    response = client.post(
        url("deliverable_create", ws.project.slug),
        deliverable_data(work_package=str(foreign_wp.pk), lead_organisation=str(outsider.pk)),
    )
    form = response.context["form"]
    assert form.has_error("work_package", "invalid_choice") and form.has_error("lead_organisation", "invalid_choice")


def test_the_coordinator_changes_a_deliverables_plan_on_its_edit_page(client, ws):
    target = ws.deliverables["y"]
    client.force_login(ws.users["coordinator"])
    form = client.get(url("deliverable_edit", target.pk)).context["form"]
    assert form.initial["code"] == "D3.1" and "code" in form.fields
    response = client.post(
        url("deliverable_edit", target.pk),
        deliverable_data(
            code="D3.2",
            title="Training curriculum, second edition",
            due_date="2026-12-31",
            lead_organisation=str(target.lead_organisation_id),
            status="in_progress",
            submitted_on="",
            url="",
        ),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.code, target.due_date, target.status) == ("D3.2", dt.date(2026, 12, 31), "in_progress")
    assert any("D3.2" in message for message in flash(response))


def test_partner_staff_get_the_progress_form_only(client, ws):
    response = get(client, ws.users["staff_x"], url("deliverable_edit", ws.deliverables["x"].pk))
    assert "code" not in response.context["form"].fields and "status" in response.context["form"].fields
    # A plan smuggled into the POST is ignored.
    client.post(
        url("deliverable_edit", ws.deliverables["x"].pk),
        {"status": "in_progress", "submitted_on": "", "url": "", "description": "", "code": "D9.9"},
    )
    ws.deliverables["x"].refresh_from_db()
    assert (ws.deliverables["x"].code, ws.deliverables["x"].status) == ("D2.1", "in_progress")


# --- Updates -------------------------------------------------------------------------------------


def test_the_coordinator_writes_an_update_in_both_languages(client, ws):
    client.force_login(ws.users["coordinator"])
    body = client.get(url("update_create", ws.project.slug)).content.decode()
    assert 'lang="de"' in body and f'value="{timezone.localdate():%Y-%m-%d}"' in body
    response = client.post(
        url("update_create", ws.project.slug),
        {
            "kind": "press",
            "published_on": "2026-02-14",
            "title": "Ravenna opens its welcome desk",
            "title_de": "Ravenna eröffnet Willkommensschalter",
            "body": "",
            "body_de": "",
            "link": "https://example.org/",
            "source": "Il Resto del Carlino",
        },
    )
    assert response.status_code == 302 and response["Location"] == project_url(ws) + "#updates"
    update = Update.objects.get(project=ws.project, kind="press")
    assert (update.title_de, update.source, update.is_public) == (
        "Ravenna eröffnet Willkommensschalter",
        "Il Resto del Carlino",
        False,
    )


def test_an_update_without_any_title_is_a_form_error(client, ws):
    client.force_login(ws.users["coordinator"])
    response = client.post(url("update_create", ws.project.slug), {"kind": "news", "published_on": "2026-02-14"})
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Give the title in English, in German or in both."]
    assert not Update.objects.filter(project=ws.project).exists()


def test_the_coordinator_edits_an_update(client, ws):
    update = UpdateFactory(project=ws.project, title="Kick-off", published_on=dt.date(2026, 1, 10))
    client.force_login(ws.users["coordinator"])
    assert client.get(url("update_edit", update.pk)).context["form"].initial["title"] == "Kick-off"
    response = client.post(
        url("update_edit", update.pk),
        {"kind": "news", "published_on": "2026-01-10", "title": "Kick-off in Ravenna", "is_public": "on"},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.title, update.is_public) == ("Kick-off in Ravenna", True)


# --- Communities ---------------------------------------------------------------------------------


def community_data(**overrides) -> dict:
    return {
        "name": "CoP Lugo",
        "slug": "",
        "territory": "Lugo",
        "country": "IT",
        "visibility": "members",
        "membership_policy": "approval",
        "description": "",
        "description_de": "",
        **overrides,
    }


def test_the_coordinator_founds_a_community(client, ws):
    client.force_login(ws.users["coordinator"])
    body = client.get(url("community_create", ws.project.slug)).content.decode()
    assert "<legend>" in body and 'type="radio"' in body  # the radio groups are fieldsets with a legend
    response = client.post(url("community_create", ws.project.slug), community_data())
    assert response.status_code == 302 and response["Location"] == project_url(ws) + "#communities"
    community = Community.objects.get(name="CoP Lugo")
    assert (community.slug, community.project, community.visibility) == ("cop-lugo", ws.project, "members")


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": "CoP Ravenna"}, "name", "The project already has a community with this name."),
        ({"slug": "cop-ravenna"}, "slug", "Community of practice with this Slug already exists."),
        ({"slug": "not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"country": "XX"}, "country", "Select a valid choice."),
        ({"membership_policy": ""}, "membership_policy", "This field is required."),
    ],
)
def test_community_form_errors(client, ws, overrides, field, message):
    client.force_login(ws.users["coordinator"])
    response = client.post(url("community_create", ws.project.slug), community_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(error.startswith(message) for error in errors), errors
    assert Community.objects.filter(project=ws.project).count() == 1


def test_the_coordinator_changes_a_community_but_not_its_slug(client, ws):
    client.force_login(ws.users["coordinator"])
    response = client.get(url("community_edit", ws.community.slug))
    assert "slug" not in response.context["form"].fields
    response = client.post(
        url("community_edit", ws.community.slug),
        community_data(name="CoP Ravenna e Lugo", slug="hijacked-slug", membership_policy="open"),
    )
    assert response.status_code == 302
    ws.community.refresh_from_db()
    assert (ws.community.name, ws.community.slug, ws.community.membership_policy) == (
        "CoP Ravenna e Lugo",
        "cop-ravenna",
        "open",
    )


# --- The dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_sums_up_what_needs_attention_across_projects(client, ws):
    DeliverableFactory(project=ws.project, due_date=timezone.localdate() + dt.timedelta(days=10))
    second = ProjectRoleFactory(user=ws.users["coordinator"]).project
    MembershipFactory(community=CommunityFactory(project=second), pending=True)
    MeetingFactory(project=second, starts_at=soon(40))
    response = get(client, ws.users["coordinator"], reverse("workspace:dashboard"))
    attention = response.context["attention"]
    assert (attention["late"], attention["due_soon"], attention["meetings"], attention["requests"]) == (1, 1, 2, 2)
    body = response.content.decode()
    assert "Across your projects" in body and "2 requests to join a community wait for a decision" in body
    assert requests_url(ws) in body and url("meeting_create", ws.project.slug) in body
    rows = {row["project"].acronym: row for row in response.context["managed"]}
    assert rows["ALPHA"]["latest_report"] == "Done"
    for name in REGISTRANT_NAMES:
        assert name not in body


def test_the_dashboard_of_a_funder_shows_the_latest_report_but_no_requests(client, ws):
    response = get(client, ws.users["funder"], reverse("workspace:dashboard"))
    (row,) = response.context["funded"]
    assert row["latest_report"] == "Done" and row["project"].upcoming_meeting_count == 1
    body = response.content.decode()
    assert requests_url(ws) not in body and "Across your projects" not in body


def test_the_dashboard_of_a_facilitator_leads_to_the_requests(client, ws):
    facilitator = add_facilitator(ws)
    response = get(client, facilitator, reverse("workspace:dashboard"))
    (row,) = response.context["memberships"]
    assert row["decides"] and row["membership"].pending_request_count == 1
    assert requests_url(ws) in response.content.decode()
    # A member does not decide and is not shown the count.
    member_body = get(client, ws.users["member"], reverse("workspace:dashboard")).content.decode()
    assert requests_url(ws) not in member_body


# --- Query counts of the forms ---------------------------------------------------------------------


def add_choices(w: Workspace, n: int) -> None:
    """n more communities, work packages and partners: the forms' choices."""
    for _ in range(n):
        CommunityFactory(project=w.project)
        WorkPackageFactory(project=w.project, number=100 + Community.objects.count())
        ParticipationFactory(project=w.project)


@pytest.mark.parametrize("name", FORMS)
def test_form_pages_keep_their_query_count(client, ws, name):
    client.force_login(ws.users["coordinator"])
    address = form_urls(ws)[name]
    add_choices(ws, 1)
    few = count_queries(client, address)
    add_choices(ws, 49)
    many = count_queries(client, address)
    assert few == many <= MAX_QUERIES


def test_the_coordinators_deliverable_form_keeps_its_query_count(client, ws):
    client.force_login(ws.users["coordinator"])
    address = url("deliverable_edit", ws.deliverables["x"].pk)
    add_choices(ws, 1)
    few = count_queries(client, address)
    add_choices(ws, 49)
    assert count_queries(client, address) == few <= MAX_QUERIES


def test_project_page_attention_sections_keep_the_query_count(client, ws):
    """The attention sections add no query per row: pending requests, updates, upcoming meetings."""
    client.force_login(ws.users["coordinator"])
    few = count_queries(client, project_url(ws))
    for _ in range(49):
        community = CommunityFactory(project=ws.project)
        MembershipFactory(community=community, pending=True)
        meeting = MeetingFactory(project=ws.project, community=community, starts_at=soon(5))
        RegistrationFactory(meeting=meeting, waitlisted=True)
        UpdateFactory(project=ws.project)
        DeliverableFactory(project=ws.project, due_date=soon(9).date())
    assert count_queries(client, project_url(ws)) == few <= MAX_QUERIES


# --- Valid HTML ------------------------------------------------------------------------------------


def test_the_new_pages_are_valid_html_with_ids_that_exist(client, ws):
    """Strict parsing, unique ids, and every label and ARIA reference points at an element."""
    html5lib = pytest.importorskip("html5lib")
    client.force_login(ws.users["coordinator"])
    urls = form_urls(ws)
    pages = [
        ("GET", requests_url(ws), None),
        ("GET", project_url(ws), None),
        ("GET", reverse("workspace:dashboard"), None),
    ]
    pages += [("GET", address, None) for address in urls.values()]
    pages += [
        ("POST", urls["meeting_create"], meeting_data(ends_at="2026-10-06T09:00", capacity="0", title="")),
        ("POST", urls["deliverable_create"], deliverable_data(code="D2.1")),
        ("POST", urls["update_create"], {"kind": "news", "published_on": ""}),
        ("POST", urls["community_create"], community_data(name="CoP Ravenna", visibility="")),
    ]
    for method, address, data in pages:
        response = client.post(address, data) if method == "POST" else client.get(address)
        assert response.status_code == 200, address
        body = response.content.decode()
        document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(body)
        ids = [element.get("id") for element in document.iter() if element.get("id")]
        assert len(ids) == len(set(ids)), (address, sorted(i for i in ids if ids.count(i) > 1))
        for element in document.iter():
            for attribute in ("for", "aria-describedby", "aria-labelledby"):
                for target in (element.get(attribute) or "").split():
                    assert target in ids, (method, address, attribute, target)
