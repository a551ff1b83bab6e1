"""Access needs are stored only with an explicit, separate consent (GDPR Art. 9(2)(a))."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.services.registrations import NOTICE_TASK, RegistrationDetails, registration_create
from portal.registrations.forms import RegistrationForm
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory
from tests.outbox_capture import capture

pytestmark = pytest.mark.django_db

FORM = {"sector": "arts", "access_needs": "Step-free access", "interpretation_language": ""}


@pytest.fixture(autouse=True)
def notices(monkeypatch) -> list:
    sent: list = []
    return capture(monkeypatch, sent, task=NOTICE_TASK, args_only=True)


def upcoming():
    return MeetingFactory(starts_at=timezone.now() + dt.timedelta(days=7), capacity=5)


def test_the_consent_box_is_separate_and_unticked():
    form = RegistrationForm()
    assert "access_needs_consent" in form.fields and form.fields["access_needs_consent"].initial is False
    html = str(form["access_needs_consent"])
    assert 'type="checkbox"' in html and "checked" not in html


def test_needs_without_the_box_are_a_form_error_and_nothing_is_stored(client):
    meeting = upcoming()
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("registrations:register", args=[meeting.pk]), FORM)
    assert response.status_code == 200
    assert "access_needs_consent" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_needs_with_the_box_are_stored_with_the_moment_of_consent(client):
    meeting = upcoming()
    user = UserFactory()
    client.force_login(user)
    before = timezone.now()
    response = client.post(reverse("registrations:register", args=[meeting.pk]), {**FORM, "access_needs_consent": "on"})
    assert response.status_code == 302
    registration = Registration.objects.get(user=user)
    assert registration.access_needs == "Step-free access"
    assert registration.access_needs_consent_at is not None and registration.access_needs_consent_at >= before


def test_no_needs_no_consent_needed_and_none_recorded(client):
    meeting = upcoming()
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("registrations:register", args=[meeting.pk]), {**FORM, "access_needs": " "})
    assert response.status_code == 302
    registration = Registration.objects.get(user=user)
    assert (registration.access_needs, registration.access_needs_consent_at) == ("", None)


def test_the_service_refuses_needs_without_consent():
    meeting = upcoming()
    with pytest.raises(ValidationError) as caught:
        registration_create(
            meeting=meeting, user=UserFactory(), details=RegistrationDetails(access_needs="Hearing loop")
        )
    assert caught.value.code == "needs_consent"
    assert not Registration.objects.exists()


def test_the_database_refuses_needs_without_a_consent_time():
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(access_needs="Wheelchair")
