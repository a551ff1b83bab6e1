"""The admin answers impossible values with "400 Bad request", not a server error."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from events.models import Meeting
from portal.admin_site import PortalAdminSite
from tests.factories import MeetingFactory, ProjectRoleFactory

pytestmark = pytest.mark.django_db


def test_the_admin_site_is_the_portals():
    assert isinstance(admin.site, PortalAdminSite)


def test_every_admin_model_has_integer_ids():
    # The selection check (``_selected_action`` must be digits) relies on it.
    for model in admin.site._registry:
        assert model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}, model


@pytest.mark.parametrize(
    "query",
    [
        "starts_at__year=9999&starts_at__month=12",
        f"starts_at__year={10**30}",
        "starts_at__year=2026&starts_at__month=13",
        "starts_at__year=abc",
        f"project__id__exact={10**30}",
    ],
)
def test_impossible_list_addresses_are_bad_requests(admin_client, query):
    MeetingFactory()
    response = admin_client.get(f"{reverse('admin:events_meeting_changelist')}?{query}")
    assert response.status_code == 400


def test_a_plain_date_hierarchy_still_works(admin_client):
    meeting = MeetingFactory()
    year = timezone.localtime(meeting.starts_at).year
    response = admin_client.get(reverse("admin:events_meeting_changelist"), {"starts_at__year": year})
    assert response.status_code == 200 and meeting.title in response.content.decode()


@pytest.mark.parametrize("selected", ["abc", str(10**30)])
def test_an_action_on_a_selection_that_is_no_id_is_a_bad_request_and_deletes_nothing(admin_client, selected):
    MeetingFactory()
    response = admin_client.post(
        reverse("admin:events_meeting_changelist"),
        {"action": "delete_selected", "index": "0", "_selected_action": [selected]},
    )
    assert response.status_code == 400
    assert Meeting.objects.count() == 1


def test_a_coordinator_gets_the_same_answer(client):
    role = ProjectRoleFactory()
    role.user.is_staff = True
    role.user.save(update_fields=["is_staff"])
    client.force_login(role.user)
    response = client.get(reverse("admin:events_meeting_changelist"), {"starts_at__year": "9999"})
    assert response.status_code == 400


def test_the_axes_cleanup_action_works_from_the_admin(admin_client):
    old = AccessAttempt.objects.create(
        username="someone@example.org",
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=3,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timezone.timedelta(days=2))
    fresh = AccessAttempt.objects.create(
        username="other@example.org",
        ip_address="10.0.0.2",
        user_agent="test",
        failures_since_start=1,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "index": "0", "_selected_action": [str(fresh.pk)]},
    )
    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 expired access attempt removed."]


@pytest.mark.parametrize(
    "name, query",
    [
        ("admin:events_meeting_changelist", "starts_at__gte=0001-01-01"),
        ("admin:events_meeting_changelist", "q=" + "x" * 50_000),
        ("admin:events_meeting_changelist", "q=" + "+".join(["ab"] * 1000)),
        ("admin:autocomplete", "app_label=events&model_name=meeting&field_name=community&term=" + "x" * 50_000),
    ],
)
def test_year_one_filters_and_endless_searches_are_bad_requests(admin_client, name, query):
    assert admin_client.get(f"{reverse(name)}?{query}").status_code == 400


def test_an_ordinary_search_and_date_filter_still_work(admin_client):
    meeting = MeetingFactory(title="Autumn study visit")
    response = admin_client.get(
        reverse("admin:events_meeting_changelist"),
        {"q": "autumn study visit", "starts_at__gte": "2000-01-02 00:00:00+00:00"},
    )
    assert response.status_code == 200 and meeting.title in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in_whatever_the_address(client):
    response = client.get(reverse("admin:events_meeting_changelist"), {"starts_at__year": "9999"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_long_numbers_in_a_change_form_are_the_forms_business(admin_client):
    from partners.models import Contact
    from tests.factories import ContactFactory

    contact = ContactFactory()
    url = reverse("admin:partners_contact_change", args=[contact.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["phone"] = "0049301234567890123"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).phone == "0049301234567890123"
