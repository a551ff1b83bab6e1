"""Workspace and admin forms: both languages for titles and names, and the confirmation a
deliverable due after the project's end needs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from events.models import Community, Meeting
from projects.admin import DeliverableAdminForm
from projects.models import Deliverable
from tests.portal.test_workspace import ws  # noqa: F401  (ws is a fixture)
from tests.portal.test_workspace_coordinator import community_data, deliverable_data, meeting_data, url

pytestmark = pytest.mark.django_db

CONFIRM = "confirm_due_after_end"


def test_a_meeting_with_only_a_german_title_and_agenda(client, ws):
    client.force_login(ws.users["coordinator"])
    body = client.get(url("meeting_create", ws.project.slug)).content.decode()
    assert 'name="title_de"' in body and 'name="agenda_de"' in body and 'lang="de"' in body
    data = meeting_data(title="", title_de="Herbsttreffen der CoP", agenda_de="1. Begrüßung")
    response = client.post(url("meeting_create", ws.project.slug), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(title_de="Herbsttreffen der CoP")
    assert (meeting.title, meeting.agenda_de) == ("", "1. Begrüßung")


def test_a_meeting_without_any_title_is_a_form_error(client, ws):
    client.force_login(ws.users["coordinator"])
    response = client.post(url("meeting_create", ws.project.slug), meeting_data(title="", title_de=""))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Give the title in English, in German or in both."]


def test_a_community_with_only_a_german_name_gets_its_slug_from_it(client, ws):
    client.force_login(ws.users["coordinator"])
    response = client.post(
        url("community_create", ws.project.slug), community_data(name="", name_de="Runder Tisch Lugo")
    )
    assert response.status_code == 302
    community = Community.objects.get(name_de="Runder Tisch Lugo")
    assert community.slug == "runder-tisch-lugo" and community.name == ""
    response = client.post(url("community_create", ws.project.slug), community_data(name="", name_de=""))
    assert response.context["form"].errors["name"] == ["Give the name in English, in German or in both."]


def test_a_deliverable_with_both_titles(client, ws):
    client.force_login(ws.users["coordinator"])
    data = deliverable_data(title="Toolkit", title_de="Werkzeugkasten")
    assert client.post(url("deliverable_create", ws.project.slug), data).status_code == 302
    assert Deliverable.objects.get(code="D6.1").title_de == "Werkzeugkasten"


def test_a_deliverable_due_after_the_project_ends_needs_a_tick(client, ws):
    client.force_login(ws.users["coordinator"])
    create = url("deliverable_create", ws.project.slug)
    body = client.get(create).content.decode()
    assert f'name="{CONFIRM}"' not in body  # only shown when it is needed
    late = deliverable_data(due_date="2028-03-31")  # the project ends on 2027-12-31
    response = client.post(create, late)
    assert response.status_code == 200
    assert "after the project ends" in response.context["form"].errors["due_date"][0]
    assert f'name="{CONFIRM}"' in response.content.decode()
    assert not Deliverable.objects.filter(code="D6.1").exists()
    assert client.post(create, {**late, CONFIRM: "on"}).status_code == 302
    assert Deliverable.objects.get(code="D6.1").due_date == dt.date(2028, 3, 31)
    # On time: no question asked.
    assert client.post(create, deliverable_data(code="D6.2", due_date="2027-12-31")).status_code == 302


def test_editing_asks_again_only_when_the_due_date_moves_past_the_end(client, ws):
    deliverable = ws.deliverables["x"]
    client.force_login(ws.users["coordinator"])
    edit = reverse("workspace:deliverable_edit", args=[deliverable.pk])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        work_package=str(deliverable.work_package_id),
        lead_organisation=str(deliverable.lead_organisation_id),
        due_date="2028-06-30",
        description="",
        url="",
        submitted_on="",
    )
    response = client.post(edit, data)
    assert response.status_code == 200 and "due_date" in response.context["form"].errors
    assert client.post(edit, {**data, CONFIRM: "on"}).status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.due_date == dt.date(2028, 6, 30)
    # Saved once confirmed; a later save keeping that date asks nothing.
    assert client.post(edit, {**data, "description": "Draft ready"}).status_code == 302


def _admin_data(deliverable: Deliverable, **overrides) -> dict:
    return {
        "project": str(deliverable.project_id),
        "code": deliverable.code,
        "title": deliverable.title,
        "title_de": "",
        "kind": deliverable.kind,
        "dissemination": deliverable.dissemination,
        "due_date": deliverable.due_date.isoformat(),
        "status": deliverable.status,
        "description": "",
        "url": "",
        "illustrative_note": "",
        **overrides,
    }


def test_the_admin_form_warns_and_saves_once_confirmed(ws):
    deliverable = ws.deliverables["x"]
    form = DeliverableAdminForm(data=_admin_data(deliverable, due_date="2028-01-15"), instance=deliverable)
    assert not form.is_valid()
    assert "after the project ends" in form.errors["due_date"][0]
    deliverable.refresh_from_db()
    form = DeliverableAdminForm(
        data=_admin_data(deliverable, due_date="2028-01-15", **{CONFIRM: "on"}), instance=deliverable
    )
    assert form.is_valid(), form.errors
    deliverable.refresh_from_db()
    form = DeliverableAdminForm(data=_admin_data(deliverable), instance=deliverable)
    assert form.is_valid(), form.errors  # within the project: nothing to confirm


def test_the_admin_change_page_offers_the_confirmation(client, ws):
    client.force_login(ws.users["admin"])
    deliverable = ws.deliverables["x"]
    change = reverse("admin:projects_deliverable_change", args=[deliverable.pk])
    body = client.get(change).content.decode()
    assert f'name="{CONFIRM}"' in body and 'name="title_de"' in body
    response = client.post(change, _admin_data(deliverable, due_date="2028-02-01"))
    assert response.status_code == 200  # the form again, with the warning
    deliverable.refresh_from_db()
    assert deliverable.due_date != dt.date(2028, 2, 1)
