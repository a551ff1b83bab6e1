"""EPI – European Pact for Integration (AMIF, grant agreement 863614).

Seed: Pro Arbeit Kreis Offenbach's project page (German).
"""

from decimal import Decimal

from .common import D

EPI = {
    "slug": "epi",
    "acronym": "EPI",
    "title": "European Pact for Integration",
    "title_de": "European Pact for Integration – Optimierung lokaler Integrationsstrategien für Menschen mit Migrationshintergrund",
    "summary_de": (
        "EPI ist ein Gemeinschaftsprojekt von 7 europäischen Städten und 5 technischen Partnern, um mit einer Mischung aus "
        "Feldaktivitäten, Forschung und Netzwerkaktionen sowohl auf städtischer als auch auf europäischer Ebene neue "
        "Strategien für eine städtische Integration von Drittstaatsangehörigen zu entwickeln, zu erproben und zu "
        "implementieren."
    ),
    "programme": "AMIF",
    "grant_agreement": "863614",
    "start_date": D(2020, 1, 1),
    "end_date": D(2022, 6, 30),
    "total_budget": Decimal("1180000.00"),
    "funder_contribution": Decimal("1062000.00"),
    "declared_partners": 12,
    "declared_countries": 8,
    "summary": (
        "EPI – European Pact for Integration: optimising local integration strategies for people with a "
        "migration background. A joint project of 7 European cities and 5 technical partners that develops, "
        "tests and implements new strategies for the urban integration of third-country nationals, mixing field "
        "activities, research and networking at city and European level. Co-financed by the EU's Asylum, "
        "Migration and Integration Fund (AMIF) under grant agreement 863614, January 2020 to June 2022, by a "
        "transnational consortium of city administrations and experts from Spain, Romania, Sweden, Poland, "
        "Italy, Latvia, Estonia and Germany.\n\n"
        "Aims: mapping and evaluating the cities' actions so far to promote the integration of migrants; "
        "involving local actors in shaping political debate; optimising integration strategies for third-country "
        "nationals through the cooperation of all actors in a city; introducing, implementing, monitoring and "
        "evaluating the new urban integration strategies; building European partnerships; raising awareness of "
        "the importance of integration.\n\n"
        "The seven cities are Cartagena (Spain), Cluj-Napoca (Romania), Linköping (Sweden), Lublin (Poland), "
        "Ravenna (Italy), Riga (Latvia) and Kreisstadt Dietzenbach (Germany). Current local strategies are "
        "surveyed, evaluated and optimised; a pilot phase tests a set of measures that lead to improved "
        "integration strategies. Each city administration is paired with a technical partner that advises and "
        "supports it. For Dietzenbach, Pro Arbeit takes this role, supporting the city's aim of better "
        "labour-market integration of migrants.\n\n"
        "Dietzenbach chose young people's access to work as the area to optimise: it has the highest "
        "unemployment rate in the 15-to-under-25 age group of all municipalities in Kreis Offenbach. 48% of "
        "Dietzenbach's population have a migration background, and about 10,000 people have no German passport. "
        "EPI delivers optimised approaches to labour-market access for Pro Arbeit's clients under 25; "
        "Pro Arbeit's RoOF is a member of the expert panel."
    ),
    "illustrative_note": (
        "The seeds do not name the coordinator: PATRIR, listed first among the partners, is shown as "
        "coordinator for illustration. The budget (EUR 1,180,000, of which AMIF 90 %) is illustrative: the seeds give none."
    ),
    "participations": [
        {
            "organisation": "patrir",
            "role": "coordinator",
            "description": "Technical partner; coordinator role illustrative",
        },
        {"organisation": "brianza", "role": "technical", "description": "Technical partner"},
        {"organisation": "aic", "role": "technical", "description": "Technical partner"},
        {"organisation": "creative_ideas", "role": "technical", "description": "Technical partner"},
        {"organisation": "tree_agency", "role": "technical", "description": "Technical partner"},
        {"organisation": "cartagena", "role": "partner", "description": "City partner: Cartagena"},
        {"organisation": "cluj", "role": "partner", "description": "City partner"},
        {
            "organisation": "dietzenbach",
            "role": "partner",
            "description": "City partner; focus on young people's access to work, supported by Pro Arbeit",
        },
        {"organisation": "linkoping", "role": "partner", "description": "City partner"},
        {"organisation": "lublin", "role": "partner", "description": "City partner"},
        {"organisation": "ravenna", "role": "partner", "description": "City partner"},
        {"organisation": "riga", "role": "partner", "description": "City partner: Riga"},
        {
            # The seed pairs every city with a technical partner and names Pro Arbeit Dietzenbach's,
            # though not among its twelve "Projektpartner": 13 recorded here, 12 declared.
            "organisation": "proarbeit",
            "role": "technical",
            "description": "Technical partner of Kreisstadt Dietzenbach; its RoOF sits on the expert panel",
        },
    ],
    "communities": [
        {
            "slug": "epi-dietzenbach-expert-panel",
            "name": "EPI Dietzenbach expert panel",
            "territory": "Dietzenbach",
            "country": "DE",
            "visibility": "members",
            "membership_policy": "invitation",
            "description": (
                "Local expert panel (Expertengremium) of EPI in Kreisstadt Dietzenbach, with Pro Arbeit's RoOF "
                "among its members. Focus: young people's access to work. Dietzenbach has the highest "
                "unemployment rate in the 15-to-under-25 age group of all municipalities in Kreis Offenbach; "
                "48% of its population have a migration background and about 10,000 people have no German passport."
            ),
        },
    ],
}
