"""Interpretation languages: ISO 639-3 codes, named in the page's language, common ones first."""

from __future__ import annotations

import importlib

import pycountry
import pytest
from django.conf.global_settings import LANGUAGES as DJANGO_LANGUAGES
from django.core.exceptions import ValidationError
from django.utils import translation

from events.languages import (
    COMMON_CODES,
    _sort_key,
    language_choices,
    language_codes,
    language_name,
    validate_language_code,
)
from events.models import Registration
from portal.registrations.forms import RegistrationForm

MIGRATION = importlib.import_module("events.migrations.0009_bilingual_names_iso639_3")

EXPECTED_ORDER = ["ara", "prs", "fas", "pus", "tir", "som", "kmr", "ckb", "tur", "ukr", "rus", "gsg", "ils"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_languages_of_migration_to_germany_come_first_in_their_order(language):
    (common_label, common), (other_label, others) = language_choices(language)
    assert [code for code, _name in common] == EXPECTED_ORDER == list(COMMON_CODES)
    assert common_label != other_label
    other_codes = [code for code, _name in others]
    assert not set(other_codes) & set(EXPECTED_ORDER)  # each language once
    # The world's major languages and a few more of migration to Germany: a list a person
    # can scroll and type into, not 7,000 entries on every registration page.
    assert 150 < len(other_codes) == len(set(other_codes)) < 250
    assert {"deu", "eng", "fra", "apc", "rmn"} <= set(other_codes)


def test_every_living_language_stays_a_valid_stored_value():
    codes = language_codes()
    assert len(codes) > 7000
    assert {"prs", "kmr", "gsg", "tig", "bcc"} <= codes


def test_the_others_are_sorted_by_their_name_in_the_page_language():
    for language in ("de", "en"):
        names = [name for _code, name in language_choices(language)[1][1]]
        assert names == sorted(names, key=_sort_key)
    german = dict(language_choices("de")[1][1])
    english = dict(language_choices("en")[1][1])
    assert german["deu"] == "Deutsch" and english["deu"] == "German"
    # Umlauts sort with their base letter (DIN 5007-1): "Ägyptisch" among the A's, not after Z.
    german_names = [name for _code, name in language_choices("de")[1][1]]
    first_z = next(i for i, name in enumerate(german_names) if name.startswith("Z"))
    assert all(not name.startswith(("Ä", "Ö", "Ü")) for name in german_names[first_z:])


def test_names_are_in_the_page_language():
    assert language_name("ara", "de") == "Arabisch" and language_name("ara", "en") == "Arabic"
    assert language_name("gsg", "de") == "Deutsche Gebärdensprache"
    assert language_name("gsg", "en") == "German Sign Language"
    assert language_name("kmr", "de") == "Nordkurdisch (Kurmanji)"
    assert language_name("ckb", "en") == "Central Kurdish (Sorani)"
    assert language_name("pus", "de") == "Paschtu"  # the first of the catalogue's synonyms
    with translation.override("de"):
        assert language_name("tur") == "Türkisch"
        assert Registration(interpretation_language="prs").interpretation_language_name == "Dari"
        assert Registration(interpretation_language="").interpretation_language_name == ""
    assert language_name("zzz-unknown", "de") == "zzz-unknown"


def test_the_codes_are_iso_639_3_of_living_languages():
    codes = language_codes()
    assert set(EXPECTED_ORDER) <= codes
    assert all(len(code) == 3 for code in codes)
    extinct = [lang.alpha_3 for lang in pycountry.languages if lang.type == "E" and not hasattr(lang, "alpha_2")]
    assert extinct and not set(extinct) & codes
    validate_language_code("prs")
    validate_language_code("")
    for bad in ("ar", "xx", "ARA", "<script>"):
        with pytest.raises(ValidationError):
            validate_language_code(bad)


@pytest.mark.parametrize(
    ("stored", "code"),
    [("ar", "ara"), ("uk", "ukr"), ("fa", "fas"), ("zh", "zho"), ("tr", "tur"), ("ast", "ast"), ("xx", ""), ("", "")],
)
def test_the_migration_maps_django_codes_to_iso_639_3(stored, code):
    assert MIGRATION.to_iso639_3(stored) == code


def test_every_language_django_offered_maps_to_a_valid_code():
    for django_code, _name in DJANGO_LANGUAGES:
        if "-" not in django_code:
            assert MIGRATION.to_iso639_3(django_code) in language_codes(), django_code
    assert MIGRATION.to_iso639_1("ara") == "ar" and MIGRATION.to_iso639_1("prs") == ""


def test_the_form_offers_a_grouped_select_in_the_page_language_and_refuses_unknown_codes():
    with translation.override("de"):
        html = str(RegistrationForm()["interpretation_language"])
        assert '<optgroup label="' in html
        assert html.index('<option value="ara">Arabisch</option>') < html.index('<option value="deu">Deutsch</option>')
        form = RegistrationForm(data={"sector": "arts", "access_needs": "", "interpretation_language": "xx"})
        assert not form.is_valid() and "interpretation_language" in form.errors
    form = RegistrationForm(data={"sector": "arts", "access_needs": "", "interpretation_language": "gsg"})
    assert form.is_valid() and form.details.interpretation_language == "gsg"


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_rewrites_stored_codes_and_goes_back():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import MeetingFactory, UserFactory

    meeting = MeetingFactory()
    users = [UserFactory() for _ in range(3)]
    executor = MigrationExecutor(connection)
    executor.migrate([("events", "0008_plausible_dates")])
    try:
        old = executor.loader.project_state([("events", "0008_plausible_dates")]).apps
        OldRegistration = old.get_model("events", "Registration")
        for user, code in zip(users, ["ar", "uk", ""], strict=True):
            OldRegistration.objects.create(meeting_id=meeting.pk, user_id=user.pk, interpretation_language=code)
        executor.loader.build_graph()
        executor.migrate([("events", "0009_bilingual_names_iso639_3")])
        stored = sorted(Registration.objects.values_list("interpretation_language", flat=True))
        assert stored == ["", "ara", "ukr"]
        executor.loader.build_graph()
        executor.migrate([("events", "0008_plausible_dates")])
        stored = sorted(OldRegistration.objects.values_list("interpretation_language", flat=True))
        assert stored == ["", "ar", "uk"]
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
