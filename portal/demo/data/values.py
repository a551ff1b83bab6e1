"""VALUES – Volunteering Activities to Leverage Urban and European Social integration of migrants.

Seed: the news item of Landeshauptstadt Düsseldorf (Amt 54) on the project's results (German only;
the English is a translation).
"""

from decimal import Decimal

from .common import D, bilingual

VALUES_RESULTS_NEWS_EN = """\
EU project VALUES: final event in spring 2021 / exchange of expertise and best-practice examples in integration among European cities

To conclude the two-and-a-half-year European project "VALUES", a digital event took place in spring 2021 with the 16 city partners and the participating European organisations "EUROCITIES", "MigrationWork" and "CEV". The final event served to take stock and to present the most important findings from the project activities. The aim of the VALUES project was to enable the exchange of expertise and best-practice examples in integration among European cities, showing how measures can best be implemented locally. The most important results were recorded in a digital toolkit, which is now available online to everyone interested.

Exchange with project partner cities
Led by the Office for Migration and Integration (Amt für Migration und Integration), the state capital Düsseldorf hosted a virtual visit for its project partner cities Oslo, Amsterdam and Thessaloniki from 2 to 4 March 2021, with an exchange on "municipal cooperation with volunteers in the integration of migrants". The exchange showed the importance of also looking at integration from a spatial perspective. Low-threshold services and contact persons on site are essential when new residents arrive in the city's neighbourhoods.

The involvement of volunteers was considered just as indispensable. Through their commitment they contribute significantly to building relationships and trust between new and long-standing residents of Düsseldorf. They act as mediators, for example by explaining structures, responsibilities and institutions, and by accompanying their new neighbours to institutions when needed. The project also highlighted the importance of giving space in the neighbourhood – for the individual needs of new residents as well as physical space for encounter, further training, counselling and their own initiatives.

"In Düsseldorf we have successfully implemented the social-space approach to integration with the Welcome Points," says Miriam Koch, head of the Office for Migration and Integration.

Digital toolkit available online
In the course of the project, so-called "Communities of Practice" were founded, in which city staff and volunteers learned from and with each other through workshops, visits and the joint planning of concrete actions. The results of this work were recorded for each Community of Practice in a digital toolkit.

Those interested can use it to work towards the standards it sets out, to be inspired by Europe's most effective practice examples and so to achieve their own goals. Infographics presenting the most important results of each thematic cluster are available at: https://indd.adobe.com/view/eed35f6b-4992-4e35-8bd8-dfd49cd27861

The digital toolkit is available at: https://fr.zone-secure.net/187382/.Eurocities_VALUES_project_digital_toolkit/

Background:
"VALUES" stands for Volunteering Activities to Leverage Urban and European Social integration of migrants."""

VALUES_RESULTS_NEWS_DE = """\
Ergebnisse des europäischen Projektes "VALUES" jetzt online abrufbar

EU-Projekt: VALUES

Abschlussveranstaltung im Frühjahr 2021/Austausch von Expertise und Best-Practice-Beispielen im Bereich Integration unter europäischen Städten

Zum Abschluss des zweieinhalbjährigen europäischen Projektes "VALUES" fand im Frühjahr 2021 eine digitale Veranstaltung mit den 16 Städtepartnern und den beteiligten europäischen Organisationen "EUROCITIES", "MigrationWork" und "CEV" statt. Die Abschlussveranstaltung diente dazu, ein Resümee zu ziehen und die wichtigsten Erkenntnisse aus den Projektaktivitäten zu präsentieren. Ziel des VALUES-Projektes war es, den Austausch von Expertise und Best-Practice-Beispielen im Bereich Integration unter europäischen Städten zu ermöglichen und dabei aufzuzeigen, wie Maßnahmen vor Ort bestmöglich umgesetzt werden können. Die wichtigsten Ergebnisse wurden in einem digitalen Werkzeugkasten (Toolkit) festgehalten, der jetzt allen Interessierten online zur Verfügung steht.

Austausch mit Projekt-Partnerstädten
Unter Federführung des Amtes für Migration und Integration richtete die Landeshauptstadt Düsseldorf vom 2. bis 4. März 2021 einen virtuellen Besuch für seine Projekt-Partnerstädte Oslo, Amsterdam und Thessaloniki aus, in welchem ein Austausch zum Thema "Städtische Zusammenarbeit mit Ehrenamtlichen bei der Integration von Migrantinnen und Migranten" stattfand. Der Austausch zeigte die Wichtigkeit, Integration auch unter räumlichen Gesichtspunkten zu betrachten. Niedrigschwellige Angebote und Ansprechpartnerinnen und Ansprechpartner vor Ort sind essentielle Bestandteile bei der Ankunft der Neubürgerinnen und Neubürgern in den Stadtteilen.

Als ebenso unerlässlich wurde die Einbindung von Ehrenamtlichen bewertet. Durch ihr Engagement tragen sie maßgeblich dazu bei, Beziehungen und Vertrauen zwischen Neu- und Alt-Düsseldorferinnen und Düsseldorfer aufzubauen. Sie nehmen dabei eine Vermittlerrolle ein, indem sie z. B. die Strukturen, Zuständigkeiten und Institutionen erklären sowie die neuen Nachbarinnen und Nachbarn bei Bedarf zu Einrichtungen begleiten. Zudem stellte das Projekt auch die Wichtigkeit heraus, Raum in der Nachbarschaft zu geben – für die individuellen Bedarfe der Neubürgerinnen und Neubürger ebenso wie den physischen Raum für Begegnung, Weiterbildung, Beratung und eigene Gestaltung.

"In Düsseldorf haben wir den sozialräumlichen Integrationsansatz mit den Welcome Points erfolgreich umgesetzt", so Miriam Koch, Leiterin des Amtes für Migration und Integration.

Digitales Toolkit online abrufbar
Im Zuge des Projekts wurden sogenannte "Communities of Practice" gegründet, in welchen städtische Mitarbeitende und Ehrenamtliche durch Workshops, Besuche und die gemeinsame Planung von konkreten Handlungen von- und miteinander lernten. Die Ergebnisse dieser Arbeit wurden für jede "Community of Practice" in einem digitalen Toolkit festgehalten.

Interessierte können dieses nutzen, um sich den darin festgelegten Standards anzunähern, sich von den wirkungsvollsten Praxisbeispielen Europas inspirieren zu lassen und somit eigene Ziele zu verwirklichen. Infografiken, die die wichtigsten Ergebnisse jedes thematischen Clusters übersichtlich darstellen, sind verfügbar unter: https://indd.adobe.com/view/eed35f6b-4992-4e35-8bd8-dfd49cd27861

Das digitale Toolkit finden Interessierte unter: https://fr.zone-secure.net/187382/.Eurocities_VALUES_project_digital_toolkit/

Hintergrund:
"VALUES" steht für Volunteering Activities to Leverage Urban and European Social integration of migrants (Freiwilligenarbeit zur Förderung der städtischen und europäischen sozialen Integration von Migrantinnen und Migranten)."""

VALUES = {
    "slug": "values",
    "acronym": "VALUES",
    "title": "Volunteering Activities to Leverage Urban and European Social integration of migrants",
    "title_de": "VALUES – Ehrenamt für die soziale Integration von Migrantinnen und Migranten in europäischen Städten",
    "summary_de": (
        "Ziel des zweieinhalbjährigen europäischen Projektes „VALUES“ war es, den Austausch von Expertise und "
        "Best-Practice-Beispielen im Bereich Integration unter europäischen Städten zu ermöglichen und dabei aufzuzeigen, "
        "wie Maßnahmen vor Ort bestmöglich umgesetzt werden können. Beteiligt waren 16 Städtepartner und die europäischen "
        "Organisationen EUROCITIES, MigrationWork und CEV. Die wichtigsten Ergebnisse wurden in einem digitalen "
        "Werkzeugkasten (Toolkit) festgehalten."
    ),
    "programme": "AMIF",
    "grant_agreement": "",
    "start_date": D(2018, 10, 1),
    "end_date": D(2021, 3, 31),
    "total_budget": Decimal("1040000.00"),
    "funder_contribution": Decimal("936000.00"),
    "declared_partners": 19,
    "summary": (
        "VALUES – Volunteering Activities to Leverage Urban and European Social integration of migrants – was "
        "a two-and-a-half-year European project of 16 partner cities and the European organisations EUROCITIES, "
        "MigrationWork and CEV (European Volunteer Centre). It enabled the exchange of expertise and "
        "best-practice examples in integration among European cities and showed how measures can best be "
        "implemented locally, with a focus on municipal cooperation with volunteers.\n\n"
        "In Communities of Practice, city staff and volunteers learned from and with each other through "
        "workshops, visits and the joint planning of concrete actions. The results are recorded for each "
        "Community of Practice in a digital toolkit, with infographics for each thematic cluster. The project "
        "closed with a digital final event in spring 2021."
    ),
    "illustrative_note": (
        "Start and end dates are illustrative: the seed says only 'two and a half years', ending in spring "
        "2021. The funding programme (AMIF) is illustrative: the seed does not name it. EUROCITIES as "
        "coordinator is inferred (the toolkit is published as Eurocities' VALUES toolkit). The seed names only "
        "4 of the 16 partner cities, so only they are listed (declared: 16 cities + 3 organisations). "
        "The budget (EUR 1,040,000, of which 90 % from the programme) is illustrative: the seed gives none."
    ),
    "participations": [
        {
            "organisation": "eurocities",
            "role": "coordinator",
            "description": "European organisation; coordinator (inferred)",
        },
        {"organisation": "migrationwork", "role": "partner", "description": "European organisation"},
        {"organisation": "cev", "role": "partner", "description": "European organisation"},
        {
            "organisation": "duesseldorf",
            "role": "partner",
            "description": "City partner, led by the Amt für Migration und Integration; host of the virtual visit in March 2021",
        },
        {"organisation": "oslo", "role": "partner", "description": "City partner"},
        {"organisation": "amsterdam", "role": "partner", "description": "City partner"},
        {"organisation": "thessaloniki", "role": "partner", "description": "City partner"},
    ],
    "communities": [
        {
            "slug": "values-duesseldorf-cop",
            "name": "VALUES Düsseldorf CoP",
            "territory": "Düsseldorf",
            "country": "DE",
            "visibility": "public",
            "membership_policy": "approval",
            "description": (
                "Community of Practice of city staff and volunteers in Düsseldorf, led by the Amt für Migration "
                "und Integration. Theme: municipal cooperation with volunteers in the integration of migrants – "
                "low-threshold services and contact persons in the neighbourhoods, volunteers as mediators "
                "between new and long-standing residents, and space for encounter."
            ),
        },
    ],
    "meetings": [
        {
            "title": "Virtual visit to Düsseldorf: municipal cooperation with volunteers in the integration of migrants",
            "kind": "study_visit",
            "community": "values-duesseldorf-cop",
            "start": "2021-03-02 09:30",
            "end": "2021-03-04 13:00",
            "timezone": "Europe/Berlin",
            "format": "online",
            "city": "Düsseldorf",
            "country": "DE",
            "language": "en",
            "audience": "partners",
            "description": (
                "Landeshauptstadt Düsseldorf, led by its Amt für Migration und Integration, hosted a virtual "
                "visit for its project partner cities Oslo, Amsterdam and Thessaloniki. Theme: municipal "
                "cooperation with volunteers in the integration of migrants. The exchange showed the importance "
                "of looking at integration from a spatial perspective: low-threshold services and contact persons "
                "on site are essential when newcomers arrive in the neighbourhoods, and volunteers build "
                "relationships and trust between new and long-standing residents."
            ),
            "illustrative_note": "Daily times and the meeting language are illustrative: the seed gives the dates only.",
        },
        {
            "title": "VALUES final event",
            "kind": "conference",
            "start": "2021-03-25 10:00",
            "end": "2021-03-25 13:00",
            "timezone": "Europe/Brussels",
            "format": "online",
            "language": "en",
            # The seed announces it publicly and says the toolkit it presented is open to all.
            "audience": "public",
            "description": (
                "Digital final event with the 16 city partners and the European organisations EUROCITIES, "
                "MigrationWork and CEV: taking stock and presenting the main findings of the project activities."
            ),
            "illustrative_note": "The exact date and times are illustrative: the seed says 'spring 2021'.",
        },
    ],
    "deliverables": [
        {
            "code": "D1",
            "title": "VALUES digital toolkit",
            "kind": "toolkit",
            "description": (
                "The results of each Community of Practice: standards to work towards and Europe's most "
                "effective practice examples in municipal cooperation with volunteers."
            ),
            "url": "https://fr.zone-secure.net/187382/.Eurocities_VALUES_project_digital_toolkit/",
            "lead_organisation": "eurocities",
            "due_date": D(2021, 3, 31),
            "submitted_on": D(2021, 3, 31),
            "status": "approved",
            "illustrative_note": "Code, due date and submission date are illustrative; the lead organisation is inferred from the toolkit's address.",
        },
        {
            "code": "D2",
            "title": "VALUES infographics of the thematic clusters",
            "kind": "other",
            "description": "Infographics presenting the most important results of each thematic cluster.",
            "url": "https://indd.adobe.com/view/eed35f6b-4992-4e35-8bd8-dfd49cd27861",
            "due_date": D(2021, 3, 31),
            "submitted_on": D(2021, 3, 31),
            "status": "approved",
            "illustrative_note": "Code, due date and submission date are illustrative.",
        },
    ],
    "updates": [
        {
            "kind": "news",
            "title": 'Results of the European project "VALUES" now available online',
            "title_de": "Ergebnisse des europäischen Projektes „VALUES“ jetzt online abrufbar",
            "published_on": D(2021, 4, 15),
            "source": "Landeshauptstadt Düsseldorf, Amt 54 News",
            "body": bilingual(VALUES_RESULTS_NEWS_EN, VALUES_RESULTS_NEWS_DE, translated=True),
            "illustrative_note": (
                "The publication date is illustrative: the seed gives none (the final event was in spring 2021)."
            ),
        },
    ],
}
