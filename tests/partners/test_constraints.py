"""The database itself refuses bad organisations and contacts.

Rows are written with ``objects.create()`` (the factories), ``bulk_create()`` or
``update()``, never through ``full_clean()``, so only the database decides.
"""

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower

from partners.models import Contact, Organisation
from tests.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@contextmanager
def refused(model, constraint: str):
    """The block must fail with an IntegrityError from ``constraint`` and leave no row behind."""
    before = model.objects.count()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    message = str(excinfo.value)
    # SQLite names the columns of a violated unique index, not the index.
    if not (connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed")):
        assert constraint in message
    assert model.objects.count() == before


# Organisation ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Stadt Ravenna", "stadt ravenna", "STADT RAVENNA"])
def test_organisation_name_unique_per_country_ignoring_case(name):
    OrganisationFactory(name="Stadt Ravenna", country="IT")
    with refused(Organisation, "organisation_unique_name_country"):
        Organisation.objects.create(name=name, country="IT", kind=Organisation.Kind.PUBLIC_AUTHORITY)


def test_organisation_name_case_folding_covers_umlauts_on_postgresql():
    # SQLite's LOWER() folds ASCII only; PostgreSQL with a UTF-8 locale (as in production
    # and in the test server) folds every letter.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite folds ASCII letters only")
    OrganisationFactory(name="Landeshauptstadt München", country="DE")
    with refused(Organisation, "organisation_unique_name_country"):
        Organisation.objects.create(name="LANDESHAUPTSTADT MÜNCHEN", country="DE", kind="public_authority")


def test_organisation_same_name_in_another_country_is_allowed():
    OrganisationFactory(name="Caritas", country="DE")
    OrganisationFactory(name="Caritas", country="AT")
    assert Organisation.objects.filter(name="Caritas").count() == 2


def test_organisation_rename_onto_an_existing_name_is_refused():
    OrganisationFactory(name="Diakonie Hamburg", country="DE")
    other = OrganisationFactory(name="Diakonie Bremen", country="DE")
    with refused(Organisation, "organisation_unique_name_country"):
        Organisation.objects.filter(pk=other.pk).update(name="DIAKONIE HAMBURG")
    other.refresh_from_db()
    assert other.name == "Diakonie Bremen"


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"kind": "charity"}, "organisation_kind_valid"),
        ({"kind": ""}, "organisation_kind_valid"),
        ({"kind": "NGO"}, "organisation_kind_valid"),
        ({"name": ""}, "organisation_name_not_empty"),
        # Codes django-countries does not know reach the database as given (known ones such
        # as "de" or "DEU" it turns into "DE" first, see below). At most two characters, so
        # PostgreSQL's varchar(2) does not answer before the check.
        ({"country": "xx"}, "organisation_country_iso2"),
        ({"country": "Xk"}, "organisation_country_iso2"),
        ({"country": "D1"}, "organisation_country_iso2"),
        ({"country": "X"}, "organisation_country_iso2"),
        ({"country": ""}, "organisation_country_iso2"),
    ],
)
def test_organisation_bad_values_are_refused(fields, constraint):
    with refused(Organisation, constraint):
        OrganisationFactory(**fields)


@pytest.mark.parametrize("kind", Organisation.Kind.values)
def test_organisation_every_kind_is_accepted(kind):
    assert OrganisationFactory(kind=kind).pk


def test_organisation_country_codes_are_normalised_before_the_database():
    # The model field turns known codes into ISO alpha-2; the check is the backstop
    # for what bypasses the model (update(), raw SQL, other clients).
    assert OrganisationFactory(country="fr").country.code == "FR"
    assert OrganisationFactory(country="DEU").country.code == "DE"


@pytest.mark.parametrize("country", ["fr", "Fr", "fR"])
def test_organisation_lowercase_country_refused_on_update(country):
    organisation = OrganisationFactory(country="FR")
    with refused(Organisation, "organisation_country_iso2"):
        Organisation.objects.filter(pk=organisation.pk).update(country=country)
    organisation.refresh_from_db()
    assert organisation.country.code == "FR"


def test_organisation_lowercase_country_refused_on_update_by_expression():
    organisation = OrganisationFactory(country="FR")
    with refused(Organisation, "organisation_country_iso2"):
        Organisation.objects.filter(pk=organisation.pk).update(country=Lower("country"))


def test_organisation_bulk_create_with_one_bad_row_stores_none():
    rows = [
        Organisation(name="Comune di Bologna", kind=Organisation.Kind.PUBLIC_AUTHORITY, country="IT"),
        Organisation(name="Ajuntament de València", kind=Organisation.Kind.PUBLIC_AUTHORITY, country="e5"),
    ]
    with refused(Organisation, "organisation_country_iso2"):
        Organisation.objects.bulk_create(rows)
    assert not Organisation.objects.filter(name="Comune di Bologna").exists()


# Contact --------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["anna.schmidt@example.org", "Anna.Schmidt@Example.ORG"])
def test_contact_email_unique_per_organisation_ignoring_case(email):
    organisation = OrganisationFactory()
    ContactFactory(organisation=organisation, email="anna.schmidt@example.org")
    with refused(Contact, "contact_unique_email_per_organisation"):
        Contact.objects.create(organisation=organisation, name="Anna S.", email=email)


def test_contact_same_email_at_another_organisation_is_allowed():
    ContactFactory(email="info@example.org")
    ContactFactory(email="info@example.org")
    assert Contact.objects.filter(email="info@example.org").count() == 2


def test_contact_empty_emails_are_allowed_twice_in_one_organisation():
    organisation = OrganisationFactory()
    Contact.objects.bulk_create(
        [
            Contact(organisation=organisation, name="Giulia Rossi", email=""),
            Contact(organisation=organisation, name="Marco Bianchi", email=""),
        ]
    )
    assert organisation.contacts.filter(email="").count() == 2


def test_contact_changing_email_onto_a_colleagues_is_refused():
    organisation = OrganisationFactory()
    ContactFactory(organisation=organisation, email="claire.dubois@example.org")
    colleague = ContactFactory(organisation=organisation, email="")
    with refused(Contact, "contact_unique_email_per_organisation"):
        Contact.objects.filter(pk=colleague.pk).update(email="CLAIRE.DUBOIS@example.org")


def test_contact_name_not_empty():
    with refused(Contact, "contact_name_not_empty"):
        ContactFactory(name="")


def test_refused_rows_leave_nothing_behind_and_the_test_goes_on():
    organisation = OrganisationFactory(name="Stadt Offenbach", country="DE")
    ContactFactory(organisation=organisation, email="integration@offenbach.example")
    counts = (Organisation.objects.count(), Contact.objects.count())
    bad_rows = [
        lambda: OrganisationFactory(name="STADT OFFENBACH", country="DE"),
        lambda: OrganisationFactory(kind="charity"),
        lambda: ContactFactory(organisation=organisation, email="Integration@Offenbach.example"),
        lambda: ContactFactory(organisation=organisation, name=""),
    ]
    for write in bad_rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            write()
        assert (Organisation.objects.count(), Contact.objects.count()) == counts
    # The surrounding transaction is still usable.
    ContactFactory(organisation=organisation, email="")
    assert organisation.contacts.count() == 2
