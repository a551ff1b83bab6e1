"""E-mails about requests to join (events/membership_notices.py), and the rule that a community
nobody may approve takes no requests.

Mail goes to Django's locmem backend; Celery runs the outbox's tasks eagerly once the
captured on-commit callbacks run.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from events import membership_notices
from events.models import Community, Membership
from events.services import membership_approve, membership_join, membership_leave, membership_reject
from outbox.models import Message
from tests.factories import CommunityFactory, MembershipFactory, ProjectRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.org"


@pytest.fixture
def world():
    community = CommunityFactory(membership_policy=Community.Policy.APPROVAL, name="CoP Essen")
    facilitator = MembershipFactory(
        community=community, role=Membership.Role.FACILITATOR, user=UserFactory(preferred_language="en")
    ).user
    coordinator = ProjectRoleFactory(project=community.project, user=UserFactory(preferred_language="de")).user
    # Not approvers: a plain member, a facilitator of another community, a former facilitator.
    MembershipFactory(community=community)
    MembershipFactory(role=Membership.Role.FACILITATOR)
    MembershipFactory(community=community, role=Membership.Role.FACILITATOR, left=True)
    applicant = UserFactory(preferred_language="de", first_name="Amal", last_name="Nasser")
    return community, facilitator, coordinator, applicant


def by_address() -> dict[str, object]:
    return {message.to[0]: message for message in mail.outbox}


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def assert_branded(message, language: str) -> None:
    html = html_of(message)
    assert message.extra_headers["Content-Language"] == language
    assert f'lang="{language}"' in html
    # The portal's name, why they get it, and their profile.
    assert "https://portal.example.org/accounts/profile/" in message.body
    assert "https://portal.example.org/accounts/profile/" in html
    assert "127.0.0.1" not in message.body + html


def test_a_request_tells_the_facilitators_and_coordinators(world, django_capture_on_commit_callbacks):
    community, facilitator, coordinator, applicant = world
    with django_capture_on_commit_callbacks(execute=True):
        membership_join(community=community, user=applicant)
    sent = by_address()
    assert set(sent) == {facilitator.email, coordinator.email}
    english, german = sent[facilitator.email], sent[coordinator.email]
    assert "Amal Nasser" in english.body and "CoP Essen" in english.subject
    assert f"/workspace/projects/{community.project.slug}/requests/" in english.body
    assert "decide on requests to join CoP Essen" in english.body
    assert_branded(english, "en")
    assert_branded(german, "de")
    assert "Hello" in english.body


def test_the_decision_goes_to_the_person(world, django_capture_on_commit_callbacks):
    community, facilitator, _coordinator, applicant = world
    applicant.preferred_language = "en"
    applicant.save()
    membership = membership_join(community=community, user=applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=membership, actor=facilitator)
    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert "approved" in message.body and "CoP Essen" in message.subject
    assert community.slug in message.body
    assert_branded(message, "en")

    # Asked again after leaving, and declined this time.
    membership_leave(membership=membership, actor=applicant)
    again = membership_join(community=community, user=applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_reject(membership=again, actor=facilitator)
    [declined] = mail.outbox
    assert declined.to == [applicant.email] and "declined" in declined.body
    assert_branded(declined, "en")


def test_a_decision_taken_twice_sends_once(world, django_capture_on_commit_callbacks):
    community, facilitator, coordinator, applicant = world
    membership = membership_join(community=community, user=applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=membership, actor=facilitator)
        membership_approve(membership=membership, actor=coordinator)  # already decided: no message
    assert len(mail.outbox) == 1


def test_a_redelivered_message_never_sends_twice(world):
    community, _facilitator, _coordinator, applicant = world
    membership = membership_join(community=community, user=applicant)
    mail.outbox.clear()
    [message] = Message.objects.filter(task=membership_notices.NOTICE_TASK)
    assert message.args == [membership.pk, "requested"]
    assert membership_notices.membership_notice_send(membership_id=membership.pk, kind="requested") == 2
    # The same task again (a worker lost after sending, a lease run out): nothing more.
    assert membership_notices.membership_notice_send(membership_id=membership.pk, kind="requested") == 0
    assert len(mail.outbox) == 2


def test_a_stale_notice_is_not_sent(world):
    community, facilitator, _coordinator, applicant = world
    membership = membership_join(community=community, user=applicant)
    membership_reject(membership=membership, actor=facilitator)
    mail.outbox.clear()
    # The request was decided before its notice ran; and an "approved" for a declined request.
    assert membership_notices.membership_notice_send(membership_id=membership.pk, kind="requested") == 0
    assert membership_notices.membership_notice_send(membership_id=membership.pk, kind="approved") == 0
    assert membership_notices.membership_notice_send(membership_id=0, kind="declined") == 0
    assert mail.outbox == []


def test_a_failed_send_is_retried_and_skips_who_got_it(world, monkeypatch):
    community, facilitator, coordinator, applicant = world
    membership = membership_join(community=community, user=applicant)
    mail.outbox.clear()
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_coordinator(self, messages):
        if messages[0].to == [coordinator.email]:
            raise OSError("mailbox unavailable")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_coordinator)
    with pytest.raises(OSError):
        membership_notices.membership_notice_send(membership_id=membership.pk, kind="requested")
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert membership_notices.membership_notice_send(membership_id=membership.pk, kind="requested") == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([facilitator.email, coordinator.email])


# --- A community nobody may approve ------------------------------------------------------------


def test_a_community_without_approver_refuses_requests():
    community = CommunityFactory(membership_policy=Community.Policy.APPROVAL)
    MembershipFactory(community=community)  # a member may not approve
    MembershipFactory(community=community, role=Membership.Role.FACILITATOR, left=True)
    user = UserFactory()
    assert not membership_notices.community_has_approver(community)
    with pytest.raises(ValidationError) as excinfo:
        membership_join(community=community, user=user)
    assert excinfo.value.code == "no_approver"
    assert "nobody may approve" in excinfo.value.messages[0]
    assert not Membership.objects.filter(user=user).exists()
    assert not Message.objects.exists()


@pytest.mark.parametrize("approver", ["facilitator", "coordinator"])
def test_one_approver_is_enough(approver):
    community = CommunityFactory(membership_policy=Community.Policy.APPROVAL)
    if approver == "facilitator":
        MembershipFactory(community=community, role=Membership.Role.FACILITATOR)
    else:
        ProjectRoleFactory(project=community.project)
    assert membership_notices.community_has_approver(community)
    assert membership_join(community=community, user=UserFactory()).status == Membership.Status.PENDING


def test_an_inactive_approver_does_not_count():
    community = CommunityFactory(membership_policy=Community.Policy.APPROVAL)
    ProjectRoleFactory(project=community.project, user=UserFactory(is_active=False))
    assert not membership_notices.community_has_approver(community)


def test_an_open_community_needs_no_approver():
    community = CommunityFactory(membership_policy=Community.Policy.OPEN)
    assert membership_join(community=community, user=UserFactory()).status == Membership.Status.ACTIVE
    assert not Message.objects.filter(task=membership_notices.NOTICE_TASK).exists()


def test_the_community_page_offers_no_request_without_approver(client):
    from django.urls import reverse

    community = CommunityFactory(membership_policy=Community.Policy.APPROVAL)
    client.force_login(UserFactory(preferred_language="en"))
    page = client.get(reverse("calendar:community", args=[community.slug]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert reverse("registrations:community_join", args=[community.slug]) not in body
    assert "nobody may approve" in body
