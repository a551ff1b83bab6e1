"""Who reads one registration, and who makes facilitators (issue 15).

A registration holds the sector, access needs (possibly health data), the interpretation
language and the check-in QR code: the registrant and the project's coordinators read it,
a community's facilitators do not (they see the consenting names on the meeting page).
Only the project's coordinators make somebody a facilitator.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import permissions as event_permissions
from events.models import Membership, Registration
from portal.invitations import services
from portal.invitations.forms import CommunityInvitationForm
from portal.invitations.tokens import make_token
from portal.models import Invitation
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict:
    project = ProjectFactory()
    community = CommunityFactory(project=project)
    meeting = MeetingFactory(project=project, community=community, starts_at=timezone.now() + dt.timedelta(days=7))
    coordinator = ProjectRoleFactory(project=project).user
    facilitator = MembershipFactory(community=community, role=Membership.Role.FACILITATOR).user
    member = MembershipFactory(community=community).user
    registrations = {
        consent: RegistrationFactory(
            meeting=meeting,
            user=MembershipFactory(community=community).user,
            consent_to_list=consent,
            access_needs="Step-free access, diabetic diet",
            interpretation_language="ukr",
        )
        for consent in (False, True)
    }
    return {
        "project": project,
        "community": community,
        "meeting": meeting,
        "coordinator": coordinator,
        "facilitator": facilitator,
        "member": member,
        "registrations": registrations,
    }


def page(registration: Registration) -> str:
    return reverse("registrations:registration", args=[registration.pk])


# --- One registration --------------------------------------------------------------------------


@pytest.mark.parametrize("consent", [False, True])
def test_a_facilitator_cannot_open_another_persons_registration(client, world, consent):
    registration = world["registrations"][consent]
    client.force_login(world["facilitator"])

    response = client.get(page(registration))

    assert response.status_code == 404
    assert b"diabetic" not in response.content
    assert not event_permissions.can_view_registration(world["facilitator"], registration)
    # Nor its cancel page, which names the meeting and the person.
    cancel = reverse("registrations:registration_cancel", args=[registration.pk])
    assert client.get(cancel).status_code == 404


@pytest.mark.parametrize("consent", [False, True])
def test_the_projects_coordinator_reads_the_registration_with_its_qr_code(client, world, consent):
    registration = world["registrations"][consent]
    client.force_login(world["coordinator"])

    response = client.get(page(registration))

    assert response.status_code == 200
    assert "diabetic" in response.content.decode()
    assert response.context["qr_svg"]


def test_the_registrant_reads_their_own_registration_with_its_qr_code(client, world):
    registration = world["registrations"][False]
    client.force_login(registration.user)

    response = client.get(page(registration))

    assert response.status_code == 200
    assert response.context["own"] and response.context["qr_svg"]
    assert 'class="qr-code"' in response.content.decode()


def test_a_member_and_a_facilitator_of_another_community_get_404(client, world):
    elsewhere = MembershipFactory(
        community=CommunityFactory(project=world["project"]), role=Membership.Role.FACILITATOR
    ).user
    for user in (world["member"], elsewhere):
        client.force_login(user)
        assert client.get(page(world["registrations"][True])).status_code == 404


def test_the_facilitator_still_sees_the_consenting_names_on_the_meeting_page(client, world):
    client.force_login(world["facilitator"])

    response = client.get(reverse("calendar:meeting", args=[world["meeting"].pk]))

    assert response.status_code == 200
    names = {registration.user_id for registration in response.context.get("participants") or []}
    assert names == {world["registrations"][True].user_id}
    assert b"diabetic" not in response.content


# --- Appointing facilitators ---------------------------------------------------------------------


def test_only_the_projects_coordinators_may_appoint_facilitators(world):
    community = world["community"]
    assert event_permissions.can_appoint_facilitator(world["coordinator"], community)
    assert not event_permissions.can_appoint_facilitator(world["facilitator"], community)
    assert not event_permissions.can_appoint_facilitator(world["member"], community)


def test_the_service_refuses_a_facilitator_making_a_facilitator(world):
    with pytest.raises(ValidationError):
        services.invitation_create(
            invited_by=world["facilitator"],
            email="new-facilitator@example.org",
            community=world["community"],
            community_role=Membership.Role.FACILITATOR,
        )
    assert not Invitation.objects.exists()


def test_the_service_lets_a_coordinator_make_a_facilitator(world):
    invitation = services.invitation_create(
        invited_by=world["coordinator"],
        email="new-facilitator@example.org",
        community=world["community"],
        community_role=Membership.Role.FACILITATOR,
    )
    assert invitation.community_role == Membership.Role.FACILITATOR


def test_a_facilitator_may_still_invite_members(world):
    invitation = services.invitation_create(
        invited_by=world["facilitator"],
        email="new-member@example.org",
        community=world["community"],
        community_role=Membership.Role.MEMBER,
    )
    assert invitation.community_role == Membership.Role.MEMBER


def test_the_invitation_form_offers_facilitator_to_coordinators_only(client, world):
    url = reverse("invitations:community_create", kwargs={"slug": world["community"].slug})

    client.force_login(world["facilitator"])
    response = client.get(url)
    assert response.status_code == 200
    assert [value for value, _label in response.context["form"].fields["role"].choices] == ["member"]
    assert 'value="facilitator"' not in response.content.decode()
    # A forged choice is refused and creates nothing.
    response = client.post(url, {"email": "forged@example.org", "role": "facilitator"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Invitation.objects.exists()

    client.force_login(world["coordinator"])
    response = client.get(url)
    assert "facilitator" in [value for value, _label in response.context["form"].fields["role"].choices]


def test_the_form_without_the_power_to_appoint_rejects_facilitator():
    form = CommunityInvitationForm(data={"email": "x@example.org", "role": "facilitator"})
    assert not form.is_valid() and "role" in form.errors
    form = CommunityInvitationForm(data={"email": "x@example.org", "role": "facilitator"}, can_appoint_facilitator=True)
    assert form.is_valid()


def test_an_old_facilitator_invitation_by_a_facilitator_no_longer_appoints(client, world):
    # Made before this rule (directly, as the service would have): accepting it now appoints nobody.
    invitation = Invitation.objects.create(
        email="invitee@example.org",
        community=world["community"],
        community_role=Membership.Role.FACILITATOR,
        invited_by=world["facilitator"],
    )
    invitee = UserFactory(email="invitee@example.org")
    client.force_login(invitee)

    client.post(reverse("invitations:accept", kwargs={"token": make_token(invitation)}))

    assert not Membership.objects.filter(
        community=world["community"], user=invitee, role=Membership.Role.FACILITATOR
    ).exists()


def test_the_facilitator_sees_needs_counted_without_names_or_text(client, world):
    client.force_login(world["facilitator"])

    response = client.get(reverse("calendar:meeting", args=[world["meeting"].pk]))

    body = response.content.decode()
    assert response.context["needs"] == {"access_needs": 2, "languages": [("Ukrainian", 2)]}
    assert "Interpretation into Ukrainian" in body
    assert "diabetic" not in body
    hidden = world["registrations"][False].user
    assert hidden.get_full_name() not in body


def test_a_participant_sees_no_needs_counts(client, world):
    client.force_login(world["registrations"][True].user)

    response = client.get(reverse("calendar:meeting", args=[world["meeting"].pk]))

    assert not response.context.get("needs")
    assert "needs-heading" not in response.content.decode()
