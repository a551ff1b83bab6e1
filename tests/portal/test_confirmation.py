"""Confirm before you destroy (portal/confirmation.py): cancelling a registration, leaving a
community and revoking an invitation each ask first, on a page that works without JavaScript.

The panels' buttons are links (GET) to the question; only its form (POST) acts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Community, Membership, Registration
from portal.models import Invitation
from projects.models import ProjectRole
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.portal.test_html_validity import check_ids, parse_strictly

pytestmark = pytest.mark.django_db


def valid_html(response, where: str) -> str:
    assert response.status_code == 200, where
    body = response.content.decode()
    check_ids(parse_strictly(body, where), where)
    return body


def test_cancelling_a_registration_asks_first_and_acts_only_on_the_form(client):
    meeting = MeetingFactory(title="CoP Oberhausen: spring meeting", starts_at=timezone.now() + dt.timedelta(days=5))
    registration = RegistrationFactory(meeting=meeting)
    client.force_login(registration.user)
    page = client.get(reverse("registrations:registration", args=[registration.pk]))
    cancel_url = reverse("registrations:registration_cancel", args=[registration.pk])
    # The registration page offers a link to the question, not a button that cancels at once.
    assert f'href="{cancel_url}?next=' in page.content.decode()

    question = client.get(cancel_url, {"next": "/my/meetings/"})
    body = valid_html(question, "confirm cancel")
    assert "Cancel your registration?" in body
    assert "CoP Oberhausen: spring meeting" in body
    assert f'action="{cancel_url}"' in body
    assert 'name="next" value="/my/meetings/"' in body
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED  # asking changes nothing

    response = client.post(cancel_url, {"next": "/my/meetings/"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_the_cancel_question_never_sends_people_off_site(client):
    registration = RegistrationFactory(meeting=MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=5)))
    client.force_login(registration.user)
    body = valid_html(
        client.get(
            reverse("registrations:registration_cancel", args=[registration.pk]), {"next": "https://evil.example/"}
        ),
        "confirm cancel",
    )
    assert 'href="https://evil.example/"' not in body
    assert 'value="https://evil.example/"' not in body


def test_nobody_else_gets_the_question(client):
    registration = RegistrationFactory(meeting=MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=5)))
    client.force_login(UserFactory())
    assert client.get(reverse("registrations:registration_cancel", args=[registration.pk])).status_code == 404


def test_a_cancelled_or_started_registration_is_not_offered_for_cancelling(client):
    registration = RegistrationFactory(
        meeting=MeetingFactory(starts_at=timezone.now() - dt.timedelta(hours=1)),
    )
    client.force_login(registration.user)
    response = client.get(reverse("registrations:registration_cancel", args=[registration.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "status, title, button",
    [
        (Membership.Status.ACTIVE, "Leave CoP Oberhausen?", "Leave the community"),
        (Membership.Status.PENDING, "Withdraw your request to join CoP Oberhausen?", "Withdraw my request"),
    ],
)
def test_leaving_a_community_asks_first(client, status, title, button):
    community = CommunityFactory(
        name="CoP Oberhausen", slug="cop-oberhausen", membership_policy=Community.Policy.APPROVAL
    )
    membership = MembershipFactory(community=community, status=status)
    client.force_login(membership.user)
    leave_url = reverse("registrations:community_leave", args=[community.slug])
    panel = client.get(reverse("calendar:community", args=[community.slug])).content.decode()
    assert f'href="{leave_url}"' in panel

    body = valid_html(client.get(leave_url), "confirm leave")
    assert title in body and button in body
    assert Membership.objects.filter(pk=membership.pk).exists()

    client.post(leave_url)
    assert not Membership.objects.filter(pk=membership.pk, status=status).exists()


def test_revoking_an_invitation_asks_first(client):
    role = ProjectRoleFactory(role=ProjectRole.Role.COORDINATOR)
    invitation = Invitation.objects.create(
        project=role.project, role=ProjectRole.Role.FUNDER_OFFICER, email="officer@example.org", invited_by=role.user
    )
    client.force_login(role.user)
    revoke_url = reverse("invitations:revoke", args=[invitation.pk])
    listing = client.get(reverse("invitations:project_list", args=[role.project.slug])).content.decode()
    assert f'href="{revoke_url}"' in listing

    body = valid_html(client.get(revoke_url), "confirm revoke")
    assert "officer@example.org" in body
    invitation.refresh_from_db()
    assert invitation.is_usable

    client.post(revoke_url)
    invitation.refresh_from_db()
    assert not invitation.is_usable


def test_the_registration_page_offers_add_to_calendar(client):
    registration = RegistrationFactory(meeting=MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=5)))
    client.force_login(registration.user)
    body = valid_html(client.get(reverse("registrations:registration", args=[registration.pk])), "registration")
    ics = reverse("calendar:meeting_ics", args=[registration.meeting_id])
    assert f'href="{ics}"' in body
    assert client.get(ics)["Content-Type"].startswith("text/calendar")
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save()
    assert (
        f'href="{ics}"'
        not in client.get(reverse("registrations:registration", args=[registration.pk])).content.decode()
    )
