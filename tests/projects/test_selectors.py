"""A project's consortium figures (projects.selectors): what is counted, and the one text every page shows."""

import pytest
from django.utils import translation

from projects.models import Participation, Project
from projects.selectors import ConsortiumFigures, with_consortium_figures
from tests.factories import OrganisationFactory, ParticipationFactory, ProjectFactory

Role = Participation.Role


@pytest.mark.parametrize(
    "figures, english, german",
    [
        (ConsortiumFigures(1, 0, 1), "1 partner, 1 country", "1 Partner, 1 Land"),
        (ConsortiumFigures(3, 2, 2), "3 partners + 2 associated partners, 2 countries", None),
        (ConsortiumFigures(5, 0, 3, declared_partners=5, declared_countries=3), "5 partners, 3 countries", None),
        (
            ConsortiumFigures(13, 0, 8, declared_partners=12, declared_countries=8),
            "12 partners, 8 countries (13 partners recorded here)",
            "12 Partner, 8 Länder (hier erfasst: 13 Partner)",
        ),
        (
            ConsortiumFigures(1, 0, 1, declared_partners=12, declared_associated=13, declared_countries=8),
            "12 partners + 13 associated partners, 8 countries"
            " (1 partner, 0 associated partners, 1 country recorded here)",
            "12 Partner + 13 assoziierte Partner, 8 Länder (hier erfasst: 1 Partner, 0 assoziierte Partner, 1 Land)",
        ),
        (
            ConsortiumFigures(2, 1, 2),
            "2 partners + 1 associated partner, 2 countries",
            "2 Partner + 1 assoziierter Partner, 2 Länder",
        ),
    ],
)
def test_the_text_of_the_figures(figures, english, german):
    with translation.override("en"):
        assert str(figures) == english
    if german:
        with translation.override("de"):
            assert str(figures) == german


@pytest.mark.django_db
def test_the_query_and_the_rows_read_count_alike():
    project = ProjectFactory(declared_partners=12, declared_associated_partners=None, declared_countries=8)
    for role, country in [
        (Role.COORDINATOR, "IT"),
        (Role.PARTNER, "DE"),
        (Role.TECHNICAL, "DE"),
        (Role.ASSOCIATED, "FR"),
        # Advisory boards are not in the consortium: neither they nor their country count.
        (Role.ADVISORY, "ES"),
    ]:
        ParticipationFactory(project=project, role=role, organisation=OrganisationFactory(country=country))
    annotated = with_consortium_figures(Project.objects.filter(pk=project.pk)).get()
    counted = ConsortiumFigures.from_participations(project, project.participations.select_related("organisation"))
    assert ConsortiumFigures.of(annotated) == counted == ConsortiumFigures(3, 1, 3, 12, None, 8)
