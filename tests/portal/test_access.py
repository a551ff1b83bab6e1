"""The one refusal policy (portal/access.py): 404 for whoever may not see the object, 403
for whoever may see it but may not do this, 404 for an unknown slug or id."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

import portal
from events.models import Meeting
from portal.access import object_or_404, project_or_404, refuse
from projects.models import Project
from projects.permissions import can_change_project, can_view_project
from tests.factories import MeetingFactory, ProjectFactory, ProjectRoleFactory, UserFactory


def _request(user=None):
    request = RequestFactory().get("/")
    request.user = user or SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=False, pk=None)
    return request


def _yes(user, obj) -> bool:
    return True


def _no(user, obj) -> bool:
    return False


THING = object()


# --- The rule, without a database -------------------------------------------------------------


def test_allowed_returns_the_object():
    assert object_or_404(_request(), lambda: THING, visible=_no, allowed=_yes) is THING


def test_refused_but_visible_is_403():
    with pytest.raises(PermissionDenied):
        object_or_404(_request(), lambda: THING, visible=_yes, allowed=_no)


def test_refused_and_not_visible_is_404():
    with pytest.raises(Http404):
        object_or_404(_request(), lambda: THING, visible=_no, allowed=_no)


@pytest.mark.parametrize("find", [lambda: None, lambda: Meeting.objects.none().get()])
def test_not_found_is_404_even_for_whoever_would_be_allowed(find):
    with pytest.raises(Http404):
        object_or_404(_request(), find, visible=_yes, allowed=_yes)


def test_not_found_is_the_same_answer_as_not_visible():
    """Nobody can tell an unknown id from one they may not see."""
    answers = []
    for find, visible in ((lambda: None, _yes), (lambda: THING, _no)):
        with pytest.raises(Http404) as caught:
            object_or_404(_request(), find, visible=visible, allowed=_no)
        answers.append((type(caught.value), str(caught.value)))
    assert answers[0] == answers[1]


def test_without_allowed_seeing_is_the_permission():
    assert object_or_404(_request(), lambda: THING, visible=_yes) is THING
    with pytest.raises(Http404):
        object_or_404(_request(), lambda: THING, visible=_no)


def test_the_permissions_are_asked_about_the_requesting_user():
    seen = []
    user = SimpleNamespace(name="asker")
    object_or_404(_request(user), lambda: THING, visible=_no, allowed=lambda u, o: seen.append((u, o)) or True)
    assert seen == [(user, THING)]


def test_on_refusal_runs_for_refusals_only():
    called = []
    for visible, allowed, expected in ((_yes, _no, PermissionDenied), (_no, _no, Http404)):
        with pytest.raises(expected):
            object_or_404(_request(), lambda: THING, visible=visible, allowed=allowed, on_refusal=called.append)
    assert called == [THING, THING]
    object_or_404(_request(), lambda: THING, visible=_no, allowed=_yes, on_refusal=called.append)
    with pytest.raises(Http404):
        object_or_404(_request(), lambda: None, visible=_no, allowed=_no, on_refusal=called.append)
    assert called == [THING, THING]


def test_refuse_alone_follows_the_same_rule():
    with pytest.raises(PermissionDenied):
        refuse(None, THING, visible=_yes)
    with pytest.raises(Http404):
        refuse(None, THING, visible=_no)


def test_a_does_not_exist_of_any_model_is_404():
    def find():
        raise ObjectDoesNotExist

    with pytest.raises(Http404):
        object_or_404(_request(), find, visible=_yes, allowed=_yes)


# --- Projects: "see" is can_view_project ---------------------------------------------------------


@pytest.mark.django_db
def test_project_or_404_by_role_and_visibility():
    private = ProjectFactory(slug="private-one", is_public=False)
    public = ProjectFactory(slug="public-one", is_public=True)
    staff = ProjectRoleFactory(project=private, partner_staff=True).user
    coordinator = ProjectRoleFactory(project=private).user
    stranger = UserFactory()

    assert project_or_404(_request(coordinator), "private-one", allowed=can_change_project) == private
    with pytest.raises(PermissionDenied):  # staff see the project
        project_or_404(_request(staff), "private-one", allowed=can_change_project)
    with pytest.raises(Http404):  # a stranger must not learn that it exists
        project_or_404(_request(stranger), "private-one", allowed=can_change_project)
    with pytest.raises(PermissionDenied):  # a public project is no secret
        project_or_404(_request(stranger), "public-one", allowed=can_change_project)
    assert project_or_404(_request(stranger), "public-one", allowed=can_view_project) == public
    with pytest.raises(Http404):
        project_or_404(_request(coordinator), "no-such-project", allowed=_yes)


@pytest.mark.django_db
def test_project_or_404_looks_in_the_given_queryset():
    ProjectFactory(slug="elsewhere")
    with pytest.raises(Http404):
        project_or_404(_request(), "elsewhere", allowed=_yes, queryset=Project.objects.none())
    project = project_or_404(
        _request(), "elsewhere", allowed=_yes, queryset=Project.objects.select_related("programme")
    )
    assert project.slug == "elsewhere"


# --- The pages agree ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_kind_of_page_answers_by_the_same_rule(client):
    """Workspace, reporting, invitations and attendance pages of one private project: partner
    staff, who see the project and its meeting, get 403; a stranger gets 404."""
    project = ProjectFactory(slug="rule", is_public=False)
    meeting = MeetingFactory(project=project, audience=Meeting.Audience.PUBLIC, community=None)
    staff = ProjectRoleFactory(project=project, partner_staff=True).user
    urls = [
        reverse("workspace:meeting_create", kwargs={"slug": project.slug}),
        reverse("workspace:reports", kwargs={"slug": project.slug}),
        reverse("reporting:download_log", kwargs={"slug": project.slug}),
        reverse("invitations:project_list", kwargs={"slug": project.slug}),
        reverse("workspace:meeting_edit", kwargs={"pk": meeting.pk}),
        reverse("attendance:meeting", kwargs={"pk": meeting.pk}),
        reverse("attendance:export_csv", kwargs={"pk": meeting.pk}),
    ]
    for user, status in ((staff, 403), (UserFactory(), 404)):
        client.force_login(user)
        assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, status)


def test_no_view_decides_404_or_403_on_its_own():
    """Every web page that looks an object up by slug or id goes through portal/access.py."""
    root = Path(portal.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*views.py"))
        if "get_object_or_404" in path.read_text() or "def _refuse" in path.read_text()
    ]
    assert offenders == []
