import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction


@pytest.mark.django_db
def test_email_is_the_login_and_is_stored_lower_case():
    user = get_user_model().objects.create_user(email="Ada.Lovelace@Example.org", password="pw")
    assert user.email == "ada.lovelace@example.org"
    assert get_user_model().USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None


@pytest.mark.django_db
def test_database_refuses_the_same_email_in_other_case():
    User = get_user_model()
    User.objects.create_user(email="member@example.org", password="pw")
    with transaction.atomic(), pytest.raises(IntegrityError):
        # Bypass the manager's lower-casing: only the database decides here.
        User.objects.create(email="MEMBER@example.org")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_superuser_needs_staff_and_superuser_flags():
    User = get_user_model()
    admin = User.objects.create_superuser(email="admin@example.org", password="pw")
    assert admin.is_staff and admin.is_superuser
    with pytest.raises(ValueError):
        User.objects.create_superuser(email="x@example.org", password="pw", is_staff=False)


@pytest.mark.django_db
def test_organisation_label_prefers_the_directory_entry():
    from tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(name="Pro Arbeit – Kreis Offenbach – (AöR)", short_name="Pro Arbeit")
    assert UserFactory(organisation=organisation, organisation_name="ignored").organisation_label == "Pro Arbeit"
    assert (
        UserFactory(organisation=None, organisation_name="Refugees' Kitchen").organisation_label == "Refugees' Kitchen"
    )
