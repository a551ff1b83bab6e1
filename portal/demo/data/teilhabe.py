"""Teilhabe in ‚neuen‘ Ankunftsquartieren stärken: 12 German case-study municipalities.

Seed: the project's news feed (German only; the English is a translation).
"""

from decimal import Decimal

from .common import D, bilingual

_TEILHABE_BERLIN_EN = (
    "What are 'new' arrival neighbourhoods? How does arrival work for newcomers in neighbourhoods that have "
    "so far seen little immigration? What support can they draw on in their arrival process? And what "
    "experiences do practitioners have in their municipalities? These were just some of the questions that the "
    'team of the project "Teilhabe in ‚neuen‘ Ankunftsquartieren stärken" discussed with the Transferbeirat '
    "(advisory board) and representatives of the selected case-study municipalities in mid-March at the "
    "project's first expert workshop in Berlin."
)
_TEILHABE_BERLIN_DE = (
    "Was sind ‚neue‘ Ankunftsquartiere? Wie funktioniert das Ankommen von Neuzugewanderten in Quartieren, die "
    "bislang nur wenig von Zuwanderung gekennzeichnet waren? Auf welche Unterstützungsangebote können sie in "
    "ihrem Ankommensprozess zurückgreifen? Und welche Erfahrungen machen Praxisakteur*innen in ihren Kommunen "
    "vor Ort? Das waren nur einige der Fragen die das Team des Projekts „Teilhabe in ‚neuen‘ Ankunftsquartieren "
    "stärken“ gemeinsam mit dem Transferbeirat sowie Vertreter*innen aus den ausgewählten Fallstudien-Kommunen "
    "Mitte März beim ersten Expert*innenworkshop des Projekts in Berlin diskutierten."
)


def _date_note(chosen: str = "") -> str:
    """The note of a news or press item: the seed lists them without dates."""
    reason = f"; chosen {chosen}" if chosen else ""
    return f"The publication date is illustrative: the seed gives none{reason}."


TEILHABE = {
    "slug": "teilhabe-neue-ankunftsquartiere",
    "acronym": "Neue Ankunftsquartiere",
    "title": "Strengthening participation in 'new' arrival neighbourhoods",
    "title_de": "Teilhabe in ‚neuen‘ Ankunftsquartieren stärken",
    "programme": "Stiftung Mercator",
    "grant_agreement": "",
    "start_date": D(2024, 1, 1),
    "end_date": D(2025, 12, 31),
    "total_budget": Decimal("640000.00"),
    "funder_contribution": Decimal("640000.00"),
    "declared_partners": 12,
    "declared_countries": 1,
    "summary_de": (
        "Zusammen mit 12 deutschen Kommunen untersucht das Projekt in zwei Jahren, wie Ankommen und Teilhabe "
        "Neuzugewanderter vor Ort unterstützt werden können. Was sind ‚neue‘ Ankunftsquartiere? Wie funktioniert das "
        "Ankommen von Neuzugewanderten in Quartieren, die bislang nur wenig von Zuwanderung gekennzeichnet waren? Auf "
        "welche Unterstützungsangebote können sie zurückgreifen? Und welche Erfahrungen machen Praxisakteur*innen in "
        "ihren Kommunen vor Ort?"
    ),
    "summary": (
        "Strengthening participation in 'new' arrival neighbourhoods: together with 12 German municipalities, "
        "the project studies over two years how the arrival and participation of newcomers can be supported "
        "locally. What are 'new' arrival neighbourhoods? How does arrival work in neighbourhoods that have so "
        "far seen little immigration? What support can newcomers draw on, and what experiences do practitioners "
        "have in their municipalities?\n\n"
        "The project team works with a Transferbeirat (advisory board) and the case-study municipalities: a "
        "first expert workshop in Berlin in March 2024, inter-municipal network meetings in Duisburg "
        "(June 2024), Dresden (February 2025) and Bremerhaven (September 2025), and case studies such as "
        "Saalfeld-Beulwitz. In the city of Offenbach a new concept for diversity and participation is being "
        "developed."
    ),
    "illustrative_note": (
        "The seeds do not name the project team's institution, so no coordinator is recorded. Stiftung Mercator "
        "as funder is an inference (its magazine AufRuhr reports on the project). Start and end dates are "
        "illustrative ('in the coming two years'). The short name is illustrative (the project has no acronym). "
        "Of the 12 case-study municipalities the seeds name Offenbach and Saalfeld; that the hosts of the network "
        "meetings (Duisburg, Dresden, Bremerhaven) are case-study municipalities is inferred. The day of the "
        "Berlin workshop ('mid-March'), the date of the Offenbach Fachtag and all meeting times are "
        "illustrative. The budget (EUR 640,000, fully funded) is illustrative: the seed gives none."
    ),
    "participations": [
        {
            "organisation": "offenbach",
            "role": "partner",
            "description": "Case-study municipality; develops a new concept for diversity and participation",
        },
        {
            "organisation": "saalfeld",
            "role": "partner",
            "description": "Case-study municipality (case study Saalfeld-Beulwitz)",
        },
        {
            "organisation": "duisburg",
            "role": "partner",
            "description": "Host of the first network meeting; case-study municipality (inferred)",
        },
        {
            "organisation": "dresden",
            "role": "partner",
            "description": "Host of the second network meeting; case-study municipality (inferred)",
        },
        {
            "organisation": "bremerhaven",
            "role": "partner",
            "description": "Host of the third network meeting; case-study municipality (inferred)",
        },
    ],
    "communities": [
        {
            "slug": "teilhabe-transferbeirat",
            "name": "Transferbeirat",
            "territory": "Germany",
            "country": "DE",
            "visibility": "members",
            "membership_policy": "invitation",
            "description": (
                "The project's advisory board (Transferbeirat). It discussed the project's questions at the first "
                "expert workshop in Berlin and took part in the network meeting in Bremerhaven."
            ),
        },
        {
            "slug": "teilhabe-fallstudien-netzwerk",
            "name": "Network of the case-study municipalities",
            "territory": "Germany",
            "country": "DE",
            "visibility": "members",
            "membership_policy": "invitation",
            "description": (
                "Representatives of the 12 case-study municipalities (Fallstudien-Kommunen) who meet in "
                "inter-municipal network meetings to exchange on the participation and social cohesion of "
                "newcomers."
            ),
        },
    ],
    "meetings": [
        {
            "title": "First expert workshop in Berlin",
            "kind": "workshop",
            "community": "teilhabe-transferbeirat",
            "start": "2024-03-14 10:00",
            "end": "2024-03-14 16:00",
            "timezone": "Europe/Berlin",
            "city": "Berlin",
            "country": "DE",
            "language": "de",
            "audience": "partners",
            "description": (
                "The project team, the Transferbeirat (advisory board) and representatives of the selected "
                "case-study municipalities discuss what 'new' arrival neighbourhoods are, how newcomers arrive "
                "there, what support they can draw on and what practitioners experience locally."
            ),
            "illustrative_note": "The day and times are illustrative: the seed says mid-March 2024.",
        },
        {
            "title": "First inter-municipal network meeting in Duisburg",
            "kind": "workshop",
            "community": "teilhabe-fallstudien-netzwerk",
            "start": "2024-06-05 10:00",
            "end": "2024-06-06 15:00",
            "timezone": "Europe/Berlin",
            "city": "Duisburg",
            "country": "DE",
            "language": "de",
            "audience": "partners",
            "description": (
                "Representatives of the 12 case-study municipalities exchange on the social participation and "
                "cohesion of immigrants."
            ),
            "illustrative_note": "Times are illustrative: the seed gives the dates only.",
        },
        {
            "title": "Inter-municipal exchange in Dresden",
            "kind": "workshop",
            "community": "teilhabe-fallstudien-netzwerk",
            "start": "2025-02-17 10:00",
            "end": "2025-02-18 15:00",
            "timezone": "Europe/Berlin",
            "city": "Dresden",
            "country": "DE",
            "language": "de",
            "audience": "partners",
            "description": (
                "Two-day workshop of the project team and the cooperation partners from the administrations: "
                "current challenges in migration and arrival, learning from one another, developing local concepts."
            ),
            "illustrative_note": "Times are illustrative: the seed gives the dates only.",
        },
        {
            "title": "Inter-municipal exchange in Bremerhaven",
            "kind": "workshop",
            "community": "teilhabe-fallstudien-netzwerk",
            "start": "2025-09-29 10:00",
            "end": "2025-09-30 15:00",
            "timezone": "Europe/Berlin",
            "city": "Bremerhaven",
            "country": "DE",
            "language": "de",
            "audience": "partners",
            "description": (
                "Two-day workshop of the project team, the municipal project partners, civil-society actors and "
                "the advisory board on communication, cooperation and participation in arrival neighbourhoods."
            ),
            "illustrative_note": "Times are illustrative: the seed gives the dates only.",
        },
        {
            "title": 'Fachtag "Wir mischen die Quartiere auf" in Offenbach',
            "kind": "conference",
            "start": "2025-05-22 09:30",
            "end": "2025-05-22 16:00",
            "timezone": "Europe/Berlin",
            "city": "Offenbach am Main",
            "country": "DE",
            "language": "de",
            "audience": "public",
            "description": "Specialist conference day (Fachtag) in Offenbach; a press article reported on it.",
            "illustrative_note": "Date and times are illustrative: the seed mentions only the press article about the Fachtag.",
        },
    ],
    "updates": [
        {
            "kind": "news",
            "title": "First expert workshop in Berlin",
            "title_de": "Erster Expert*innenworkshop in Berlin",
            "published_on": D(2024, 3, 25),
            "illustrative_note": _date_note("after the workshop in mid-March 2024"),
            "body": bilingual(_TEILHABE_BERLIN_EN, _TEILHABE_BERLIN_DE, translated=True),
        },
        {
            "kind": "news",
            "title": "First inter-municipal network meeting in Duisburg",
            "title_de": "Erstes interkommunales Netzwerktreffen in Duisburg",
            "published_on": D(2024, 6, 12),
            "illustrative_note": _date_note("after the meeting on 5–6 June 2024"),
            "body": bilingual(
                "The first inter-municipal network meeting took place in Duisburg on 5–6 June 2024. "
                "Representatives of our 12 case-study municipalities exchanged views on the social participation "
                "and cohesion of immigrants.",
                "Vom 5. bis 6. Juni 2024 fand das erste interkommunale Netzwerktreffen in Duisburg statt. "
                "Vertreter*innen unserer 12 Fallstudien-Kommunen tauschten sich zu gesellschaftlicher Teilhabe und "
                "Zusammenhalt von Zugewanderten aus.",
                translated=True,
            ),
        },
        {
            "kind": "news",
            "title": "Inter-municipal exchange in Dresden",
            "title_de": "Interkommunaler Austausch in Dresden",
            "published_on": D(2025, 2, 25),
            "illustrative_note": _date_note("after the exchange on 17–18 February 2025"),
            "body": bilingual(
                "After the first inter-municipal exchange in 2024, the project team and the cooperation partners "
                "from the administrations met in Dresden this time, on 17 and 18 February. The two-day workshop "
                "was about discussing current challenges in migration and arrival, learning from one another and "
                "developing local concepts.",
                "Nach dem ersten interkommunalen Austausch im Jahr 2024 trafen sich das Projektteam und die "
                "Kooperationspartner*innen aus der Verwaltung am 17. und 18. Februar dieses Mal in Dresden. Bei dem "
                "zweitägigen Workshop ging es darum, aktuelle Herausforderungen im Bereich Migration und Ankommen zu "
                "diskutieren, voneinander zu lernen und lokale Konzepte zu entwickeln.",
                translated=True,
            ),
        },
        {
            "kind": "press",
            "title": "AufRuhr: our case study Saalfeld-Beulwitz",
            "title_de": "AufRuhr: unsere Fallstudie Saalfeld-Beulwitz",
            "published_on": D(2025, 4, 10),
            "illustrative_note": _date_note(),
            "source": "AufRuhr (Stiftung Mercator)",
            "body": bilingual(
                "A new article about our case study Saalfeld-Beulwitz has appeared in Stiftung Mercator's "
                "magazine AufRuhr.",
                "Ein neuer Artikel über unsere Fallstudie Saalfeld-Beulwitz ist im Magazin AufRuhr der Stiftung "
                "Mercator erschienen.",
                translated=True,
            ),
        },
        {
            "kind": "press",
            "title": 'Press article on the Fachtag "Wir mischen die Quartiere auf" in Offenbach',
            "title_de": "Presseartikel zum Fachtag „Wir mischen die Quartiere auf“ in Offenbach",
            "published_on": D(2025, 5, 27),
            "illustrative_note": _date_note("a few days after the (illustrative) date of the Fachtag"),
            "body": bilingual(
                'A press article on the Fachtag (specialist conference day) "Wir mischen die Quartiere auf" in '
                "Offenbach has appeared.",
                'Ein Presseartikel zum Fachtag "Wir mischen die Quartiere auf" in Offenbach ist erschienen.',
                translated=True,
            ),
        },
        {
            "kind": "press",
            "title": "Berliner Morgenpost: Jun.-Prof. Dr. Heike Hanhörster on the importance of arrival places",
            "title_de": "Berliner Morgenpost: Jun.-Prof. Dr. Heike Hanhörster über die Bedeutung von Ankunftsorten",
            "published_on": D(2025, 7, 10),
            "illustrative_note": _date_note(),
            "source": "Berliner Morgenpost",
            "body": bilingual(
                "A new newspaper article with Jun.-Prof. Dr. Heike Hanhörster on the importance of arrival places "
                "has appeared in the Berliner Morgenpost.",
                "Ein neuer Zeitungsartikel mit Jun.-Prof. Dr. Heike Hanhörster über die Bedeutung von Ankunftsorten "
                "ist in der Berliner Morgenpost erschienen.",
                translated=True,
            ),
        },
        {
            "kind": "news",
            "title": "Inter-municipal exchange in Bremerhaven",
            "title_de": "Interkommunaler Austausch in Bremerhaven",
            "published_on": D(2025, 10, 6),
            "illustrative_note": _date_note("after the exchange on 29–30 September 2025"),
            "body": bilingual(
                "After the first and second inter-municipal exchanges in Duisburg and Dresden, the project team, "
                "the municipal project partners, civil-society actors and our advisory board met in Bremerhaven "
                "this time, on 29 and 30 September. The two-day workshop focused on communication, cooperation "
                "and participation in arrival neighbourhoods.",
                "Nach den ersten und zweiten interkommunalen Austauschformaten in Duisburg und Dresden, trafen sich "
                "das Projektteam, die kommunalen Projektpartner*innen, zivilgesellschaftlichen Akteur*innen sowie "
                "unser Beirat am 29. und 30. September dieses Mal in Bremerhaven. Im Mittelpunkt des zweitägigen "
                "Workshops standen die Themen Kommunikation, Kooperation und Beteiligung in Ankunftsquartieren.",
                translated=True,
            ),
        },
        {
            "kind": "news",
            "title": "A new concept for diversity and participation for the city of Offenbach",
            "title_de": "Ein neues Konzept für Vielfalt und Teilhabe für die Stadt Offenbach",
            "published_on": D(2025, 10, 20),
            "illustrative_note": _date_note(),
            "body": bilingual(
                "A new concept for diversity and participation is being developed in the city of Offenbach.",
                "Ein neues Konzept für Vielfalt und Teilhabe wird in der Stadt Offenbach entwickelt.",
                translated=True,
            ),
        },
    ],
}
