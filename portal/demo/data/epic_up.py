"""EPIC UP (AMIF, coordinated by ALDA): the Oberhausen Community of Practice.

Seed: the news item on the CoP kick-off meeting of 6 February 2025 (German and English).
"""

from decimal import Decimal

from .common import D, bilingual

EPIC_UP_KICK_OFF_NEWS_EN = """\
On February 6th, 2025, the Community of Practices (CoPs) Kick-Off Meeting took place at Leerstand, kitev.

The meeting was part of the EPIC UP project, an initiative funded by the European Union (EU) through the AMIF program. The project aims to enhance migrants’ integration and inclusion at the local level by developing an improved model of multi-actor collaboration. It is coordinated by the European Association for Local Democracy (ALDA) and brings together 12 partner organizations and 13 associated partners from 8 EU countries.

30 stakeholders from the public, private, and artistic sectors—working on or connected to the topic of integration—gathered at Leerstand. The program included various activities, such as:

🔹 Speed-dating to get to know each other

🔹 Presentation of the EPIC UP project

🔹 Discussion on key topics:

What integration practices work well in Oberhausen?

What aspects can be improved?

The event was accompanied by delicious food from Refugees’ Kitchen, a recognized Good Practice in local integration efforts.

We are happy that the Kick-Off Meeting was a success and look forward to strong collaboration with the CoPs members and the next steps of the project!"""

EPIC_UP_KICK_OFF_NEWS_DE = """\
EPIC UP Kick-Off-Treffen der Communities of Practice (CoPs) im Leerstand

Am 6. Februar 2025 fand das Kick-Off-Treffen der Communities of Practice (CoPs) im Leerstand bei kitev statt.

Das Treffen war Teil des europäischen Projekts EPIC UP, einer von der Europäischen Union (EU) über das AMIF-Programm geförderten Initiative. Ziel des Projekts ist es, die Integration und Inklusion von Migrantinnen und Migranten auf lokaler Ebene zu verbessern, indem ein erweitertes Modell der Multi-Akteur-Zusammenarbeit entwickelt wird. Koordiniert wird das Projekt von der European Association for Local Democracy (ALDA) und vereint 12 Partnerorganisationen sowie 13 assoziierte Partner aus 8 EU-Ländern.

30 Stakeholder – aus dem öffentlichen, privaten und künstlerischen Sektor – kamen im Leerstand zusammen. Alle arbeiten entweder direkt an Integrationsthemen oder sind in irgendeiner Weise damit verbunden. Das Programm des Treffens umfasste verschiedene Aktivitäten, darunter:

🔹 Speed-Dating, um sich besser kennenzulernen

🔹 Präsentation des EPIC UP-Projekts

🔹 Diskussion über zentrale Fragen:

Welche Integrationspraktiken funktionieren in Oberhausen gut?

Welche Aspekte können verbessert werden?

Für das leibliche Wohl sorgte das Refugees’ Kitchen, eine lokale Good Practice im Bereich Integration.

Wir freuen uns über ein erfolgreiches Kick-Off-Meeting und blicken gespannt auf eine starke Zusammenarbeit mit den CoPs-Mitgliedern sowie auf die nächsten Schritte des Projekts!"""

# The Oberhausen CoP's meetings in 2027 are invented so that the portal has upcoming meetings.
_PLANNED_MEETING_NOTE = (
    "A planned meeting invented for the demo: date, times, venue, link, agenda and capacity are illustrative."
)

EPIC_UP = {
    "slug": "epic-up",
    "acronym": "EPIC UP",
    "title": "EPIC UP – multi-actor collaboration for migrants' integration and inclusion at local level",
    "title_de": "EPIC UP – Multi-Akteur-Zusammenarbeit für die Integration und Inklusion von Migrant*innen auf lokaler Ebene",
    "summary_de": (
        "EPIC UP ist ein von der Europäischen Union über das AMIF-Programm gefördertes Projekt. Ziel ist es, die "
        "Integration und Inklusion von Migrantinnen und Migranten auf lokaler Ebene zu verbessern, indem ein erweitertes "
        "Modell der Multi-Akteur-Zusammenarbeit entwickelt wird. Koordiniert wird das Projekt von der European Association "
        "for Local Democracy (ALDA); es vereint 12 Partnerorganisationen sowie 13 assoziierte Partner aus 8 EU-Ländern."
    ),
    "programme": "AMIF",
    "grant_agreement": "",
    "start_date": D(2024, 9, 1),
    "end_date": D(2027, 8, 31),
    "total_budget": Decimal("2850000.00"),
    "funder_contribution": Decimal("2565000.00"),
    "declared_partners": 12,
    "declared_associated_partners": 13,
    "declared_countries": 8,
    "summary": (
        "EPIC UP is an initiative funded by the European Union through the Asylum, Migration and "
        "Integration Fund (AMIF). It aims to enhance migrants' integration and inclusion at the local level "
        "by developing an improved model of multi-actor collaboration. It is coordinated by the European "
        "Association for Local Democracy (ALDA) and brings together 12 partner organisations and "
        "13 associated partners from 8 EU countries.\n\n"
        "In Oberhausen, a local Community of Practice (CoP) of stakeholders from the public, private and "
        "artistic sectors, all working on or connected to integration, started with a kick-off meeting on "
        "6 February 2025 at Leerstand (kitev)."
    ),
    "illustrative_note": (
        "Start and end dates are illustrative: the seed gives no project dates (chosen so that the project "
        "is running in the demo). The title describes the project in the seed's words; the seed does not "
        "spell out the acronym. The seed names only the coordinator, so no other partner is listed; the "
        "consortium size (12 partners, 13 associated partners, 8 countries) is as declared. The budget (EUR 2,850,000, of which AMIF 90 %) is illustrative: the seed gives none."
    ),
    "participations": [
        {"organisation": "alda", "role": "coordinator", "description": "Coordinator"},
    ],
    "communities": [
        {
            "slug": "epic-up-oberhausen-cop",
            "name": "EPIC UP Oberhausen CoP",
            "territory": "Oberhausen",
            "country": "DE",
            "visibility": "public",
            "membership_policy": "approval",
            "description": (
                "The local Community of Practice of EPIC UP in Oberhausen: stakeholders from the public, "
                "private and artistic sectors who work on or are connected to integration. It asks which "
                "integration practices work well in Oberhausen and what can be improved. "
                "Kick-off with 30 stakeholders on 6 February 2025 at Leerstand (kitev)."
            ),
        },
    ],
    "meetings": [
        {
            "title": "EPIC UP CoP kick-off meeting in Oberhausen",
            "kind": "kick_off",
            "community": "epic-up-oberhausen-cop",
            "start": "2025-02-06 17:00",
            "end": "2025-02-06 20:00",
            "timezone": "Europe/Berlin",
            "format": "in_person",
            "venue": "Leerstand (kitev)",
            "city": "Oberhausen",
            "country": "DE",
            "language": "de",
            "audience": "public",
            "reported_attendance": 30,
            "description": (
                "Kick-off meeting of the Communities of Practice (CoPs) of EPIC UP: 30 stakeholders from the "
                "public, private and artistic sectors, working on or connected to the topic of integration, "
                "gathered at Leerstand (kitev)."
            ),
            "agenda": (
                "1. Speed-dating to get to know each other\n"
                "2. Presentation of the EPIC UP project\n"
                "3. Discussion: Which integration practices work well in Oberhausen? What can be improved?\n\n"
                "Catering: Refugees' Kitchen, a recognised good practice in local integration."
            ),
            "illustrative_note": "Start and end times are illustrative: the seed gives the date only.",
        },
        {
            "title": "Oberhausen CoP: integration practices that work",
            "kind": "cop_meeting",
            "community": "epic-up-oberhausen-cop",
            "start": "2027-01-20 17:00",
            "end": "2027-01-20 19:30",
            "timezone": "Europe/Berlin",
            "format": "in_person",
            "venue": "Leerstand (kitev)",
            "city": "Oberhausen",
            "country": "DE",
            "language": "de",
            "audience": "public",
            "capacity": 40,
            "registration_opens": "2026-11-16 09:00",
            "registration_closes": "2027-01-17 23:59",
            "description": (
                "Open CoP meeting: members and newcomers collect the integration practices that work well "
                "in Oberhausen, following up the kick-off discussion."
            ),
            "agenda": "1. Welcome and round of introductions\n2. Gallery of local practices\n3. Next steps",
            "illustrative_note": _PLANNED_MEETING_NOTE,
        },
        {
            # Two seats, both taken, and one person waiting: a member who cancels sees the
            # seat go to the next in line (the demo registrations are in people.py).
            "title": "Oberhausen CoP study circle: welcome practices",
            "kind": "focus_group",
            "community": "epic-up-oberhausen-cop",
            "start": "2027-02-10 17:00",
            "end": "2027-02-10 18:30",
            "timezone": "Europe/Berlin",
            "format": "in_person",
            "venue": "Leerstand (kitev)",
            "city": "Oberhausen",
            "country": "DE",
            "language": "de",
            "audience": "public",
            "capacity": 2,
            "registration_opens": "2026-11-16 09:00",
            "registration_closes": "2027-02-07 23:59",
            "description": "A small study circle: two participants compare welcome practices with the facilitator.",
            "agenda": "1. Two welcome practices up close\n2. What could Oberhausen adopt?",
            "illustrative_note": _PLANNED_MEETING_NOTE,
        },
        {
            "title": "Oberhausen CoP workshop: what can be improved?",
            "kind": "workshop",
            "community": "epic-up-oberhausen-cop",
            "start": "2027-03-17 16:00",
            "end": "2027-03-17 19:00",
            "timezone": "Europe/Berlin",
            "format": "in_person",
            "venue": "Leerstand (kitev)",
            "city": "Oberhausen",
            "country": "DE",
            "language": "de",
            "audience": "members",
            "capacity": 25,
            "registration_opens": "2027-01-25 09:00",
            "registration_closes": "2027-03-14 23:59",
            "description": "Members' workshop on the aspects of integration in Oberhausen that can be improved.",
            "agenda": "1. Input from the CoP facilitators\n2. Working groups\n3. Priorities for the action plan",
            "illustrative_note": _PLANNED_MEETING_NOTE,
        },
        {
            "title": "Oberhausen CoP meeting: multi-actor collaboration in practice",
            "kind": "cop_meeting",
            "community": "epic-up-oberhausen-cop",
            "start": "2027-05-12 17:00",
            "end": "2027-05-12 19:00",
            "timezone": "Europe/Berlin",
            "format": "hybrid",
            "venue": "Leerstand (kitev)",
            "city": "Oberhausen",
            "country": "DE",
            "online_link": "https://meet.example.org/epic-up-oberhausen-cop",
            "language": "de",
            "audience": "public",
            "capacity": 60,
            "registration_opens": "2027-03-20 09:00",
            "registration_closes": "2027-05-10 23:59",
            "description": "Hybrid CoP meeting on how public, private and artistic actors work together in Oberhausen.",
            "agenda": "1. Examples from the CoP\n2. Exchange with another EPIC UP city (online)\n3. Outlook",
            "illustrative_note": _PLANNED_MEETING_NOTE,
        },
    ],
    "updates": [
        {
            "kind": "news",
            "title": "EPIC UP Kick-Off Meeting of the Communities of Practice (CoPs) at Leerstand",
            "title_de": "EPIC UP Kick-Off-Treffen der Communities of Practice (CoPs) im Leerstand",
            "published_on": D(2025, 2, 7),
            "body": bilingual(EPIC_UP_KICK_OFF_NEWS_EN, EPIC_UP_KICK_OFF_NEWS_DE),
        },
    ],
}
