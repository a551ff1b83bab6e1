"""Invitations, from the invite form to the accepted role: who may invite and revoke,
the e-mail and its language, the signed link and every way it can stop working,
sign-up through an invitation, and the rules the database keeps."""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.urls import resolve, reverse
from django.utils import timezone

from events.models import Membership
from portal.invitations import selectors, services
from portal.invitations.tasks import send_invitation
from portal.invitations.tokens import SALT, make_token
from portal.models import Invitation
from projects.models import ProjectRole
from tests.factories import (
    CommunityFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Role = ProjectRole.Role


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs on_commit callbacks (the e-mail task) inside the test's transaction."""
    return django_capture_on_commit_callbacks


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-ups per IP in the cache, which is a shared Redis in the real run.
    cache.clear()


# --- A small world --------------------------------------------------------------------------


@pytest.fixture
def project():
    return ProjectFactory(acronym="WELCOME", slug="welcome")


@pytest.fixture
def coordinator(project):
    return ProjectRoleFactory(project=project, user=UserFactory(email="coord@example.org")).user


@pytest.fixture
def community(project):
    return CommunityFactory(project=project, name="CoP Offenbach", slug="cop-offenbach")


@pytest.fixture
def facilitator(community):
    return MembershipFactory(
        community=community, user=UserFactory(email="facil@example.org"), role=Membership.Role.FACILITATOR
    ).user


@pytest.fixture
def partner(project):
    organisation = OrganisationFactory(name="Caritas Offenbach")
    return ParticipationFactory(project=project, organisation=organisation).organisation


def make_invitation(**kwargs) -> Invitation:
    """An invitation saved directly, as the service would leave it (no e-mail)."""
    if "community" not in kwargs:
        kwargs.setdefault("project", kwargs.get("project") or ProjectFactory())
        kwargs.setdefault("role", Role.FUNDER_OFFICER)
    kwargs.setdefault("email", "invitee@example.org")
    if "invited_by" not in kwargs:
        target_project = kwargs.get("project") or kwargs["community"].project
        kwargs["invited_by"] = ProjectRoleFactory(project=target_project).user
    return Invitation.objects.create(**kwargs)


def accept_url(invitation: Invitation) -> str:
    return reverse("invitations:accept", kwargs={"token": make_token(invitation)})


def invite(client, coordinator, project, capture, *, language="en", **data):
    client.force_login(coordinator)
    with capture(execute=True):
        return client.post(
            reverse("invitations:project_create", kwargs={"slug": project.slug}),
            {"email": "new.person@example.org", "role": Role.FUNDER_OFFICER} | data,
            HTTP_ACCEPT_LANGUAGE=language,
        )


def link_in(message) -> str:
    (line,) = [line for line in message.body.splitlines() if "/invitations/accept/" in line]
    return urlsplit(line.strip()).path


# --- Creating and sending ---------------------------------------------------------------------


def test_coordinator_invites_to_a_project_role_and_the_email_carries_the_link(client, coordinator, project, on_commit):
    page = client.get(reverse("invitations:project_create", kwargs={"slug": project.slug}))
    assert page.status_code == 302  # not logged in yet: to the login page

    response = invite(client, coordinator, project, on_commit, email="New.Person@Example.ORG")

    assert response.status_code == 302
    assert response["Location"] == reverse("invitations:project_list", kwargs={"slug": "welcome"})
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert (invitation.project, invitation.role) == (project, Role.FUNDER_OFFICER)
    assert (invitation.invited_by, invitation.status, invitation.language) == (coordinator, "pending", "en")
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)
    assert invitation.sent_at is not None

    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert message.reply_to == ["coord@example.org"]
    assert "WELCOME" in message.subject
    link = link_in(message)
    assert f"http://testserver{link}" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html" and f'href="http://testserver{link}"' in html
    # The link names this invitation (the token carries a timestamp, so compare what it resolves to).
    assert selectors.invitation_for_token(token=resolve(link).kwargs["token"]) == invitation
    assert message.extra_headers["Content-Language"] == "en"
    assert "Funder officer" in message.body

    listing = client.get(response["Location"])
    assert listing.status_code == 200
    assert "new.person@example.org" in listing.content.decode()


def test_create_page_renders_for_the_coordinator(client, coordinator, project, partner):
    client.force_login(coordinator)
    response = client.get(reverse("invitations:project_create", kwargs={"slug": project.slug}))
    assert response.status_code == 200
    assert list(response.context["form"].fields["organisation"].queryset) == [partner]


def test_email_is_in_the_inviters_language_for_a_newcomer(client, facilitator, community, on_commit):
    client.force_login(facilitator)
    with on_commit(execute=True):
        response = client.post(
            reverse("invitations:community_create", kwargs={"slug": community.slug}),
            {"email": "neu@example.org", "role": Membership.Role.MEMBER},
            HTTP_ACCEPT_LANGUAGE="de",
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.community, invitation.community_role, invitation.language) == (community, "member", "de")
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "de"
    # "Member" as the German catalogue has it, in both parts.
    assert "Mitglied" in message.body
    assert "Mitglied" in message.alternatives[0][0] and '<html lang="de">' in message.alternatives[0][0]
    assert "CoP Offenbach" in message.subject


def test_email_is_in_the_invitees_language_when_they_have_an_account(client, facilitator, community, on_commit):
    UserFactory(email="known@example.org", preferred_language="en")
    client.force_login(facilitator)
    with on_commit(execute=True):
        client.post(
            reverse("invitations:community_create", kwargs={"slug": community.slug}),
            {"email": "Known@example.org", "role": Membership.Role.MEMBER},
            HTTP_ACCEPT_LANGUAGE="de",
        )

    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "en"
    assert "Member" in message.body and "Mitglied" not in message.body


def test_partner_staff_need_an_organisation_of_the_project(client, coordinator, project, partner, on_commit):
    outsider_organisation = OrganisationFactory()
    for organisation in ("", outsider_organisation.pk):
        response = invite(
            client,
            coordinator,
            project,
            on_commit,
            role=Role.PARTNER_STAFF,
            organisation=organisation,
        )
        assert response.status_code == 200
        assert response.context["form"].errors["organisation"]
    response = invite(client, coordinator, project, on_commit, role=Role.COORDINATOR, organisation=partner.pk)
    assert response.context["form"].errors["organisation"]
    assert not Invitation.objects.exists()

    response = invite(client, coordinator, project, on_commit, role=Role.PARTNER_STAFF, organisation=partner.pk)
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == partner


def test_nobody_invites_themselves_or_someone_who_already_has_the_role(client, coordinator, project, on_commit):
    response = invite(client, coordinator, project, on_commit, email="COORD@example.org", role=Role.FUNDER_OFFICER)
    assert response.status_code == 200 and response.context["form"].errors["email"]

    officer = ProjectRoleFactory(project=project, funder_officer=True).user
    response = invite(client, coordinator, project, on_commit, email=officer.email)
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert not Invitation.objects.exists() and not mail.outbox


def test_inviting_again_replaces_the_open_invitation(client, coordinator, project, on_commit):
    invite(client, coordinator, project, on_commit)
    invite(client, coordinator, project, on_commit)

    old, new = Invitation.objects.order_by("pk")
    assert (old.status, new.status) == ("revoked", "pending")
    assert len(mail.outbox) == 2
    client.logout()
    assert client.get(link_in(mail.outbox[0])).status_code == 410
    assert client.get(link_in(mail.outbox[1])).status_code == 200


def test_sending_is_idempotent_and_skips_dead_invitations():
    invitation = make_invitation()
    assert send_invitation(invitation.pk) is True
    assert send_invitation(invitation.pk) is False
    assert len(mail.outbox) == 1

    revoked = make_invitation(email="other@example.org", revoked_at=timezone.now())
    assert send_invitation(revoked.pk) is False
    assert send_invitation(999_999) is False
    assert len(mail.outbox) == 1


# --- Who may invite, list and revoke ------------------------------------------------------------


@pytest.fixture
def bystanders(project, community):
    """People who must not invite to ``project`` nor to ``community``."""
    other_project = ProjectFactory()
    return {
        "member": MembershipFactory(community=community).user,
        "outsider": UserFactory(),
        "coordinator_elsewhere": ProjectRoleFactory(project=other_project).user,
        "facilitator_elsewhere": MembershipFactory(
            community=CommunityFactory(project=project), role=Membership.Role.FACILITATOR
        ).user,
        "partner_staff": ProjectRoleFactory(project=project, partner_staff=True).user,
        "former_facilitator": MembershipFactory(community=community, role=Membership.Role.FACILITATOR, left=True).user,
    }


@pytest.mark.parametrize(
    "who",
    ["member", "outsider", "coordinator_elsewhere", "facilitator_elsewhere", "partner_staff", "former_facilitator"],
)
def test_others_cannot_invite_list_or_revoke(client, project, community, coordinator, bystanders, who):
    project_invitation = make_invitation(project=project, invited_by=coordinator)
    community_invitation = make_invitation(community=community, community_role="member", invited_by=coordinator)
    client.force_login(bystanders[who])

    for name, slug in [("project", project.slug), ("community", community.slug)]:
        assert client.get(reverse(f"invitations:{name}_create", kwargs={"slug": slug})).status_code == 403
        assert client.get(reverse(f"invitations:{name}_list", kwargs={"slug": slug})).status_code == 403
        response = client.post(
            reverse(f"invitations:{name}_create", kwargs={"slug": slug}), {"email": "x@example.org", "role": "member"}
        )
        assert response.status_code == 403
    for invitation in (project_invitation, community_invitation):
        assert client.post(reverse("invitations:revoke", kwargs={"pk": invitation.pk})).status_code == 403
        invitation.refresh_from_db()
        assert invitation.status == "pending"
    assert Invitation.objects.count() == 2


def test_facilitator_invites_to_the_community_but_not_to_project_roles(client, facilitator, community, project):
    client.force_login(facilitator)
    assert client.get(reverse("invitations:community_create", kwargs={"slug": community.slug})).status_code == 200
    assert client.get(reverse("invitations:community_list", kwargs={"slug": community.slug})).status_code == 200
    assert client.get(reverse("invitations:project_create", kwargs={"slug": project.slug})).status_code == 403


def test_coordinator_may_invite_to_the_projects_communities(client, coordinator, community):
    client.force_login(coordinator)
    assert client.get(reverse("invitations:community_create", kwargs={"slug": community.slug})).status_code == 200


def test_anonymous_people_are_sent_to_log_in(client, project):
    invitation = make_invitation(project=project)
    for url in (
        reverse("invitations:project_create", kwargs={"slug": project.slug}),
        reverse("invitations:project_list", kwargs={"slug": project.slug}),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("invitations:revoke", kwargs={"pk": invitation.pk})).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_unknown_targets_are_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("invitations:project_create", kwargs={"slug": "nope"})).status_code == 404
    assert client.post(reverse("invitations:revoke", kwargs={"pk": 999_999})).status_code == 404


def test_coordinator_revokes_and_the_link_stops_working(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=ProjectRoleFactory(project=project).user)
    client.force_login(coordinator)

    response = client.post(reverse("invitations:revoke", kwargs={"pk": invitation.pk}))

    assert response.status_code == 302
    assert response["Location"] == reverse("invitations:project_list", kwargs={"slug": project.slug})
    invitation.refresh_from_db()
    assert (invitation.status, invitation.revoked_by) == ("revoked", coordinator)
    client.logout()
    assert client.get(accept_url(invitation)).status_code == 410


def test_the_inviter_may_revoke_their_own_invitation_after_losing_the_role(client, community):
    former = MembershipFactory(community=community, role=Membership.Role.FACILITATOR, left=True).user
    invitation = make_invitation(community=community, community_role="member", invited_by=former)
    client.force_login(former)

    response = client.post(reverse("invitations:revoke", kwargs={"pk": invitation.pk}))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_accepted_invitations_cannot_be_revoked(client, coordinator, project):
    invitee = UserFactory(email="invitee@example.org")
    invitation = make_invitation(project=project, accepted_at=timezone.now(), accepted_by=invitee)
    client.force_login(coordinator)
    client.post(reverse("invitations:revoke", kwargs={"pk": invitation.pk}))
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


# --- Accepting --------------------------------------------------------------------------------


def test_existing_account_accepts_a_project_role(client, coordinator, project, partner):
    invitation = make_invitation(
        project=project,
        role=Role.PARTNER_STAFF,
        organisation=partner,
        invited_by=coordinator,
        email="anna@example.org",
    )
    anna = UserFactory(email="Anna@Example.org")
    client.force_login(anna)

    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    content = page.content.decode()
    assert "WELCOME" in content and "Partner staff" in content and str(coordinator) in content
    assert "Caritas Offenbach" in content

    response = client.post(accept_url(invitation), follow=True)

    assert response.redirect_chain[0] == (reverse("workspace:dashboard"), 302)
    role = ProjectRole.objects.get(user=anna, project=project)
    assert (role.role, role.organisation, role.granted_by) == (Role.PARTNER_STAFF, partner, coordinator)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == ("accepted", anna)
    assert "Partner staff" in str(list(response.context["messages"])[0])


@pytest.mark.parametrize(
    ("before", "invited_as", "after_role"),
    [
        (None, "member", "member"),
        ("left", "facilitator", "facilitator"),
        ("pending", "member", "member"),
        ("facilitator", "member", "facilitator"),  # never demoted by an invitation
        ("member", "facilitator", "facilitator"),
    ],
)
def test_community_invitation_creates_or_reactivates_the_membership(
    client, coordinator, community, before, invited_as, after_role
):
    person = UserFactory(email="invitee@example.org")
    if before in ("left", "pending"):
        MembershipFactory(community=community, user=person, **{before: True})
    elif before:
        MembershipFactory(community=community, user=person, role=before)
    invitation = make_invitation(community=community, community_role=invited_as, invited_by=coordinator)
    client.force_login(person)

    assert client.post(accept_url(invitation)).status_code == 302

    membership = Membership.objects.get(community=community, user=person)
    assert (membership.status, membership.role) == ("active", after_role)
    assert membership.joined_at is not None and membership.left_at is None


def test_anonymous_visitor_sees_the_offer_with_login_and_signup(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator)
    # One token for both links: a token made a second later carries another timestamp.
    token = make_token(invitation)
    url = reverse("invitations:accept", kwargs={"token": token})

    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "WELCOME" in content and "Funder officer" in content
    assert f"{reverse('account_login')}?{urlencode({'next': url})}" in content
    assert reverse("invitations:accept_signup", kwargs={"token": token}) in content
    # Accepting needs an account: a POST without one goes to the login page.
    post = client.post(url)
    assert post.status_code == 302 and post["Location"].startswith(reverse("account_login"))
    assert not ProjectRole.objects.filter(role=Role.FUNDER_OFFICER).exists()


def test_new_account_signs_up_through_the_link_without_a_confirmation_email(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator, email="newcomer@example.org")
    # One token for both links: a token made a second later carries another timestamp.
    token = make_token(invitation)
    url = reverse("invitations:accept", kwargs={"token": token})

    page = client.get(url)
    signup_link = reverse("invitations:accept_signup", kwargs={"token": token})
    assert signup_link in page.content.decode()
    to_signup = client.get(signup_link)
    assert to_signup.status_code == 302
    target = urlsplit(to_signup["Location"])
    assert target.path == reverse("account_signup")
    assert parse_qs(target.query) == {"email": ["newcomer@example.org"], "next": [url]}

    form = client.get(to_signup["Location"])
    assert form.status_code == 200
    assert form.context["form"]["email"].value() == "newcomer@example.org"
    response = client.post(
        to_signup["Location"],
        {
            "first_name": "Olena",
            "last_name": "Kovalenko",
            "email": "newcomer@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
            "accept_privacy": "on",
            "next": url,
        },
    )

    assert response.status_code == 302 and response["Location"] == url
    assert mail.outbox == []  # no "confirm your address" e-mail
    user = get_user_model().objects.get(email="newcomer@example.org")
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(url).status_code == 200  # logged in, the offer with the accept button
    assert client.post(url).status_code == 302
    role = ProjectRole.objects.get(user=user, project=project)
    assert (role.role, role.granted_by) == (Role.FUNDER_OFFICER, coordinator)


def test_wrong_account_is_refused_clearly_and_nothing_is_granted(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator, email="invitee@example.org")
    client.force_login(UserFactory(email="someone.else@example.org"))

    page = client.get(accept_url(invitation))
    response = client.post(accept_url(invitation))

    for answer in (page, response):
        assert answer.status_code == 403
        content = answer.content.decode()
        assert "invitee@example.org" in content and "someone.else@example.org" in content
    assert not ProjectRole.objects.filter(role=Role.FUNDER_OFFICER).exists()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_expired_link_is_gone(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator)
    past = timezone.now() - dt.timedelta(days=30)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=past, expires_at=past + dt.timedelta(days=14))
    client.force_login(UserFactory(email="invitee@example.org"))

    page = client.get(accept_url(invitation))
    response = client.post(accept_url(invitation))

    assert page.status_code == response.status_code == 410
    assert "expired" in page.content.decode()
    assert not ProjectRole.objects.filter(role=Role.FUNDER_OFFICER).exists()
    invitation.refresh_from_db()
    assert invitation.status == "expired"


def test_used_link_is_gone_and_two_acceptances_make_one_role(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator)
    invitee = UserFactory(email="invitee@example.org")
    client.force_login(invitee)

    first = client.post(accept_url(invitation))
    second = client.post(accept_url(invitation))

    assert (first.status_code, second.status_code) == (302, 410)
    assert "already been used" in second.content.decode()
    assert ProjectRole.objects.filter(user=invitee, project=project).count() == 1
    assert client.get(accept_url(invitation)).status_code == 410
    client.logout()
    assert client.get(accept_url(invitation)).status_code == 410


def test_revoked_link_is_gone(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator, revoked_at=timezone.now())
    client.force_login(UserFactory(email="invitee@example.org"))
    response = client.post(accept_url(invitation))
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    signup = reverse("invitations:accept_signup", kwargs={"token": make_token(invitation)})
    assert client.get(signup).status_code == 410
    assert not ProjectRole.objects.filter(role=Role.FUNDER_OFFICER).exists()


def test_invitation_dies_with_the_inviters_authority(client, project):
    inviter_role = ProjectRoleFactory(project=project)
    invitation = make_invitation(project=project, invited_by=inviter_role.user)
    inviter_role.delete()
    client.force_login(UserFactory(email="invitee@example.org"))

    assert client.post(accept_url(invitation)).status_code == 410
    assert not ProjectRole.objects.filter(role=Role.FUNDER_OFFICER).exists()


def _tampered(token: str) -> str:
    """The token with one character of its payload changed."""
    replacement = "A" if token[2] != "A" else "B"
    return token[:2] + replacement + token[3:]


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(_tampered, id="payload-changed"),
        pytest.param(lambda token: token[:-1] + ("a" if token[-1] != "a" else "b"), id="signature-changed"),
        pytest.param(lambda token: token[: len(token) // 2], id="truncated"),
        pytest.param(lambda token: "garbage", id="garbage"),
        pytest.param(lambda token: "a:b:c", id="colons"),
        pytest.param(lambda token: "%%%", id="percent"),
        pytest.param(lambda token: "Zm9v" * 200, id="long-base64"),
        pytest.param(lambda token: "ü", id="unicode"),
        pytest.param(lambda token: signing.dumps({"id": 1, "n": "x"}, salt="another.purpose"), id="other-salt"),
        pytest.param(lambda token: signing.dumps([1, 2], salt=SALT), id="signed-list"),
        pytest.param(lambda token: signing.dumps({"id": "1", "n": "x"}, salt=SALT), id="signed-string-id"),
    ],
)
def test_forged_or_garbled_tokens_are_400_never_500(client, coordinator, project, make_bad):
    invitation = make_invitation(project=project, invited_by=coordinator)
    client.force_login(UserFactory(email="invitee@example.org"))
    bad = make_bad(make_token(invitation))
    assert bad != make_token(invitation)

    for url in (
        reverse("invitations:accept", kwargs={"token": bad}),
        reverse("invitations:accept_signup", kwargs={"token": bad}),
    ):
        assert client.get(url).status_code == 400
    response = client.post(reverse("invitations:accept", kwargs={"token": bad}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not ProjectRole.objects.filter(role=Role.FUNDER_OFFICER).exists()


def test_signed_token_for_a_missing_invitation_or_another_nonce_is_gone(client, coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator)
    for payload in ({"id": 999_999, "n": invitation.nonce}, {"id": invitation.pk, "n": "guessed"}):
        token = signing.dumps(payload, salt=SALT)
        assert client.get(reverse("invitations:accept", kwargs={"token": token})).status_code == 410


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_give_one_role():
    """Real PostgreSQL: the row lock lets exactly one of two simultaneous accepts through."""
    invitation = make_invitation()
    invitee = UserFactory(email="invitee@example.org")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept() -> None:
        try:
            barrier.wait()
            services.invitation_accept(invitation_id=invitation.pk, user=invitee)
            outcomes.append("accepted")
        except services.InvitationNotUsable:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "refused"]
    assert ProjectRole.objects.filter(user=invitee).count() == 1


# --- The model and the database ---------------------------------------------------------------


def test_status_follows_the_dates():
    invitation = make_invitation()
    assert (invitation.status, invitation.is_usable) == ("pending", True)
    assert list(Invitation.objects.with_status("pending")) == [invitation]
    invitation.created_at = timezone.now() - dt.timedelta(days=20)
    invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
    invitation.save()
    assert (invitation.status, invitation.is_usable) == ("expired", False)
    assert list(Invitation.objects.with_status("expired")) == [invitation]
    assert not Invitation.objects.with_status("pending").exists()
    invitation.revoked_at = timezone.now()
    invitation.save()
    assert (invitation.status, invitation.get_status_display()) == ("revoked", "Revoked")
    assert list(Invitation.objects.with_status("revoked")) == [invitation]
    assert not Invitation.objects.with_status("expired").exists()


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(**fields)


def test_database_refuses_both_or_neither_target_and_incomplete_rows():
    project = ProjectFactory()
    community = CommunityFactory(project=project)
    organisation = ParticipationFactory(project=project).organisation
    inviter = UserFactory()
    base = {"email": "x@example.org", "invited_by": inviter}
    now = timezone.now()

    _refused(**base)  # neither
    _refused(**base, project=project, role=Role.COORDINATOR, community=community)  # both
    _refused(**base, project=project, role=Role.COORDINATOR, community=community, community_role="member")
    _refused(**base, project=project)  # a project target without a role
    _refused(**base, community=community)  # a community target without a role
    _refused(**base, community=community, community_role="member", role=Role.COORDINATOR)
    _refused(**base, project=project, role="owner")
    _refused(**base, project=project, role=Role.PARTNER_STAFF)  # without organisation
    _refused(**base, project=project, role=Role.COORDINATOR, organisation=organisation)
    _refused(**base, project=project, role=Role.COORDINATOR, created_at=now, expires_at=now)
    _refused(**base, project=project, role=Role.COORDINATOR, accepted_at=now, accepted_by=inviter, revoked_at=now)
    _refused(**base, project=project, role=Role.COORDINATOR, accepted_at=now)
    _refused(**base, project=project, role=Role.COORDINATOR, accepted_by=inviter)
    _refused(**base, project=project, role=Role.COORDINATOR, revoked_by=inviter)
    _refused(**base | {"email": "X@example.org"}, project=project, role=Role.COORDINATOR)
    _refused(**base, project=project, role=Role.COORDINATOR, nonce="")

    Invitation.objects.create(**base, project=project, role=Role.COORDINATOR)
    _refused(**base, project=project, role=Role.COORDINATOR)  # a second open one
    Invitation.objects.create(**base, project=project, role=Role.FUNDER_OFFICER)
    Invitation.objects.create(**base, project=project, role=Role.PARTNER_STAFF, organisation=organisation)
    Invitation.objects.create(**base, community=community, community_role="facilitator")
    _refused(**base, community=community, community_role="member")
    assert Invitation.objects.count() == 4


def test_every_invitation_has_its_own_nonce():
    first, second = make_invitation(), make_invitation(email="second@example.org")
    assert len(first.nonce) >= 40 and first.nonce != second.nonce
    assert make_token(first) != make_token(second)


# --- Admin ------------------------------------------------------------------------------------


def _changelist(client):
    response = client.get(reverse("admin:portal_invitation_changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_admin_scopes_invitations_to_the_coordinators_projects(client, project, community):
    coordinator = ProjectRoleFactory(project=project, user=UserFactory(is_staff=True)).user
    own_role = make_invitation(project=project, invited_by=coordinator)
    own_community = make_invitation(community=community, community_role="member", invited_by=coordinator)
    elsewhere = make_invitation(email="else@example.org")
    client.force_login(coordinator)

    assert _changelist(client) == {own_role, own_community}
    assert client.get(reverse("admin:portal_invitation_change", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("admin:portal_invitation_change", args=[own_community.pk])).status_code == 200
    assert client.get(reverse("admin:portal_invitation_add")).status_code == 403
    model_admin = admin.site._registry[Invitation]
    assert model_admin.list_display[0] == "email" and model_admin.search_fields == ("email",)

    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert _changelist(client) == {own_role, own_community, elsewhere}
    assert client.get(reverse("admin:portal_invitation_add")).status_code == 200


def test_admin_action_revokes_selected_invitations(client, project):
    coordinator = ProjectRoleFactory(project=project, user=UserFactory(is_staff=True)).user
    open_one = make_invitation(project=project, invited_by=coordinator)
    accepted = make_invitation(
        project=project,
        invited_by=coordinator,
        email="taken@example.org",
        role=Role.COORDINATOR,
        accepted_at=timezone.now(),
        accepted_by=UserFactory(email="taken@example.org"),
    )
    elsewhere = make_invitation(email="else@example.org")
    client.force_login(coordinator)

    response = client.post(
        reverse("admin:portal_invitation_changelist"),
        {"action": "revoke_selected", "_selected_action": [open_one.pk, accepted.pk, elsewhere.pk]},
    )

    assert response.status_code == 302
    statuses = {inv.pk: inv.status for inv in Invitation.objects.all()}
    assert statuses == {open_one.pk: "revoked", accepted.pk: "accepted", elsewhere.pk: "pending"}


def test_platform_admin_adds_an_invitation_through_the_service(client, project, on_commit):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    with on_commit(execute=True):
        response = client.post(
            reverse("admin:portal_invitation_add"),
            {"email": "Added@Example.org", "project": project.pk, "role": Role.FUNDER_OFFICER, "language": "en"},
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.invited_by) == ("added@example.org", superuser)
    assert len(mail.outbox) == 1


# --- The inviter hears of the acceptance --------------------------------------------------------


def test_the_inviter_hears_once_that_the_invitation_was_accepted(settings, coordinator, project, community, on_commit):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    coordinator.preferred_language = "en"
    coordinator.save()
    invitation = make_invitation(community=community, community_role="member", invited_by=coordinator)
    invitee = UserFactory(email="invitee@example.org", first_name="Lina", last_name="Haddad")
    mail.outbox.clear()
    with on_commit(execute=True):
        services.invitation_accept(invitation_id=invitation.pk, user=invitee)
    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert "Lina Haddad" in message.subject and "CoP Offenbach" in message.body
    assert "because you invited invitee@example.org" in message.body
    [(html, _mimetype)] = message.alternatives
    assert 'lang="en"' in html and "https://portal.example.org/accounts/profile/" in html
    # A re-delivered task sends nothing more.
    assert services.invitation_accepted_notice_send(invitation_id=invitation.pk) == 0
    assert len(mail.outbox) == 1


def test_no_acceptance_notice_for_an_open_invitation_or_an_inviter_gone(coordinator, project):
    invitation = make_invitation(project=project, invited_by=coordinator)
    assert services.invitation_accepted_notice_send(invitation_id=invitation.pk) == 0
    coordinator.is_active = False
    coordinator.save()
    services.invitation_accept(invitation_id=invitation.pk, user=UserFactory(email="invitee@example.org"))
    assert services.invitation_accepted_notice_send(invitation_id=invitation.pk) == 0
    assert mail.outbox == []
