"""Bilingual texts: shown in the page's language, falling back to the other one."""

import pytest
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from projects.bilingual import text_in_language
from projects.models import Update
from tests.factories import CommunityFactory, ProjectFactory, UpdateFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("english", "german", "language", "shown", "lang"),
    [
        ("Participation", "Teilhabe", "en", "Participation", "en"),
        ("Participation", "Teilhabe", "de", "Teilhabe", "de"),
        ("", "Teilhabe", "en", "Teilhabe", "de"),
        ("Participation", "", "de", "Participation", "en"),
    ],
)
def test_the_page_language_wins_and_the_other_fills_in(english, german, language, shown, lang):
    project = ProjectFactory(title=english, title_de=german)
    with translation.override(language):
        assert project.display_title == shown
        assert project.display_title.lang == lang
    assert text_in_language(project, "title", language) == shown


@pytest.mark.django_db
def test_a_project_needs_its_title_in_at_least_one_language():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(title="", title_de="")


@pytest.mark.django_db
def test_an_update_needs_its_title_in_at_least_one_language_and_titles_stay_unique_per_day():
    update = UpdateFactory(title="", title_de="Netzwerktreffen in Duisburg")
    # A second German-only update on another subject the same day is fine: the empty English
    # titles do not collide.
    UpdateFactory(project=update.project, published_on=update.published_on, title="", title_de="Fachtag")
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateFactory(project=update.project, published_on=update.published_on, title="", title_de="Fachtag")
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateFactory(project=update.project, title="", title_de="")
    assert str(Update.objects.get(pk=update.pk)) == "Netzwerktreffen in Duisburg"


def test_lang_attr_marks_only_a_fallback():
    template = Template("{% load bilingual %}<p{{ text|lang_attr }}>{{ text }}</p>")

    class Holder:
        title, title_de = "", "Teilhabe"

    text = text_in_language(Holder(), "title", "en")
    with translation.override("en"):
        assert template.render(Context({"text": text})) == '<p lang="de">Teilhabe</p>'
    with translation.override("de"):
        assert template.render(Context({"text": text_in_language(Holder(), "title")})) == "<p>Teilhabe</p>"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "summary", "description"),
    [
        ("de", "Zusammen mit 12 Kommunen", "Lokale Akteure in Oberhausen"),
        ("en", "Together with 12 municipalities", "Lokale Akteure in Oberhausen"),
    ],
)
def test_project_page_shows_the_texts_in_the_page_language(client, language, summary, description):
    project = ProjectFactory(
        is_public=True,
        summary="Together with 12 municipalities",
        summary_de="Zusammen mit 12 Kommunen",
    )
    CommunityFactory(project=project, description="", description_de="Lokale Akteure in Oberhausen")
    response = client.get(reverse("catalogue:detail", args=[project.slug]), HTTP_ACCEPT_LANGUAGE=language)
    body = response.content.decode()
    assert summary in body
    assert description in body
    if language == "en":
        assert '<span lang="de">Lokale Akteure in Oberhausen</span>' in body
