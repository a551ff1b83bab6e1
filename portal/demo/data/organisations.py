"""Organisations (funders, partners) and funding programmes of the five seed projects."""

# --------------------------------------------------------------------------------------
# Organisations. One row per real organisation, whatever name a seed gives it:
# "Comune di Ravenna" (EPI) is "Stadt Ravenna" (ECCIPA); the Cartagena agency, the
# Consorzio Comunità Brianza and Pro Arbeit appear in EPI and ECCIPA. A country or city
# the seeds do not give comes from general knowledge, and the row's illustrative_note
# says so.
# --------------------------------------------------------------------------------------

ORGANISATIONS: dict[str, dict] = {
    # Funders
    "eu": {
        "name": "European Union",
        "short_name": "EU",
        "kind": "funder",
        "country": "EU",
        "city": "Brussels",
        "description": "Funds EPI and EPIC UP through the Asylum, Migration and Integration Fund (AMIF).",
        "illustrative_note": "City (Brussels) from general knowledge: the seeds do not give it.",
    },
    "mercator": {
        "name": "Stiftung Mercator",
        "short_name": "Stiftung Mercator",
        "kind": "funder",
        "country": "DE",
        "city": "Essen",
        "description": "Private foundation; publishes the magazine AufRuhr.",
        "illustrative_note": (
            "Country (Germany) and city (Essen) from general knowledge: the seeds name the foundation only."
        ),
    },
    # EPIC UP
    "alda": {
        "name": "European Association for Local Democracy",
        "short_name": "ALDA",
        "kind": "network",
        "country": "FR",
        "city": "Strasbourg",
        "description": "Coordinates EPIC UP.",
        "illustrative_note": (
            "Country (France) and city (Strasbourg) from general knowledge: the seed names the association only."
        ),
    },
    # EPI: five technical partners
    "patrir": {
        "name": "PATRIR",
        "short_name": "PATRIR",
        "kind": "ngo",
        "country": "RO",
        "description": "Technical partner in EPI (listed first among its partners).",
    },
    "brianza": {
        "name": "Consorzio Comunità Brianza",
        "short_name": "Comunità Brianza",
        "kind": "ngo",
        "country": "IT",
        "description": "Technical partner in EPI and partner in ECCIPA.",
    },
    "aic": {
        "name": "Association of Intercultural Cities",
        "kind": "network",
        "country": "ES",
        "description": "Technical partner in EPI.",
    },
    "creative_ideas": {
        "name": "Creative Ideas",
        "kind": "ngo",
        "country": "LV",
        "description": "Technical partner in EPI.",
    },
    "tree_agency": {
        "name": "Tree Agency",
        "kind": "other",
        "country": "EE",
        "description": "Technical partner in EPI.",
    },
    # EPI: seven cities (ECCIPA: Cartagena, Ravenna)
    "cartagena": {
        "name": "Agencia de Desarrollo Local y Empleo de Cartagena",
        "short_name": "ADLE Cartagena",
        "kind": "employment_agency",
        "country": "ES",
        "city": "Cartagena",
        "description": "Local development and employment agency of the city of Cartagena; "
        "city partner in EPI and partner in ECCIPA.",
    },
    "cluj": {
        "name": "City of Cluj-Napoca",
        "short_name": "Cluj-Napoca",
        "kind": "public_authority",
        "country": "RO",
        "city": "Cluj-Napoca",
        "description": "City administration (Stadtverwaltung Cluj-Napoca); city partner in EPI.",
    },
    "dietzenbach": {
        "name": "Kreisstadt Dietzenbach",
        "short_name": "Dietzenbach",
        "kind": "public_authority",
        "country": "DE",
        "city": "Dietzenbach",
        "description": "District town of Kreis Offenbach; city partner in EPI, supported by Pro Arbeit. "
        "48% of its population have a migration background; about 10,000 people have no German passport.",
    },
    "linkoping": {
        "name": "City of Linköping",
        "short_name": "Linköping",
        "kind": "public_authority",
        "country": "SE",
        "city": "Linköping",
        "description": "City administration (Stadtverwaltung Linköping); city partner in EPI.",
    },
    "lublin": {
        "name": "City of Lublin",
        "short_name": "Lublin",
        "kind": "public_authority",
        "country": "PL",
        "city": "Lublin",
        "description": "City administration (Stadtverwaltung Lublin); city partner in EPI.",
    },
    "ravenna": {
        "name": "Comune di Ravenna",
        "short_name": "Ravenna",
        "kind": "public_authority",
        "country": "IT",
        "city": "Ravenna",
        "description": "City of Ravenna (listed as 'Stadt Ravenna' by ECCIPA); city partner in EPI and partner in ECCIPA.",
    },
    "riga": {
        "name": "Riga City Council Department of Education, Culture and Sport",
        "short_name": "Riga",
        "kind": "public_authority",
        "country": "LV",
        "city": "Riga",
        "description": "Rīgas domes Izglītības, kultūras un sporta departaments; city partner in EPI.",
    },
    # ECCIPA (and EPI)
    "proarbeit": {
        "name": "Pro Arbeit Kreis Offenbach AöR",
        "short_name": "Pro Arbeit",
        "kind": "employment_agency",
        "country": "DE",
        "city": "Dietzenbach",
        "description": "Jobcenter of Kreis Offenbach (public-law institution). Lead partner of ECCIPA; "
        "in EPI the technical support of Kreisstadt Dietzenbach, its RoOF a member of the expert panel.",
        "illustrative_note": "City (Dietzenbach) from general knowledge: the seeds give the country only.",
    },
    "accem": {
        "name": "ACCEM",
        "short_name": "ACCEM",
        "kind": "ngo",
        "country": "ES",
        "description": "NGO; partner in ECCIPA.",
    },
    # VALUES
    "eurocities": {
        "name": "EUROCITIES",
        "short_name": "EUROCITIES",
        "kind": "network",
        "country": "BE",
        "city": "Brussels",
        "description": "Network of European cities; publishes the VALUES digital toolkit.",
        "illustrative_note": (
            "Country (Belgium) and city (Brussels) from general knowledge: the seed names the network only."
        ),
    },
    "migrationwork": {
        "name": "MigrationWork",
        "short_name": "MigrationWork",
        "kind": "other",
        "country": "GB",
        "description": "European organisation taking part in VALUES.",
        "illustrative_note": ("Country (United Kingdom) from general knowledge: the seed names the organisation only."),
    },
    "cev": {
        "name": "European Volunteer Centre",
        "short_name": "CEV",
        "kind": "network",
        "country": "BE",
        "city": "Brussels",
        "description": "European organisation taking part in VALUES.",
        "illustrative_note": (
            "Country (Belgium) and city (Brussels) from general knowledge: the seed names the organisation only."
        ),
    },
    "duesseldorf": {
        "name": "Landeshauptstadt Düsseldorf",
        "short_name": "Düsseldorf",
        "kind": "public_authority",
        "country": "DE",
        "city": "Düsseldorf",
        "description": "City partner in VALUES, led by its Amt für Migration und Integration "
        "(Office for Migration and Integration); runs the Welcome Points.",
    },
    "oslo": {
        "name": "City of Oslo",
        "short_name": "Oslo",
        "kind": "public_authority",
        "country": "NO",
        "city": "Oslo",
        "description": "City partner in VALUES.",
        "illustrative_note": "Country (Norway) from general knowledge: the seed names the city only.",
    },
    "amsterdam": {
        "name": "City of Amsterdam",
        "short_name": "Amsterdam",
        "kind": "public_authority",
        "country": "NL",
        "city": "Amsterdam",
        "description": "City partner in VALUES.",
        "illustrative_note": "Country (Netherlands) from general knowledge: the seed names the city only.",
    },
    "thessaloniki": {
        "name": "City of Thessaloniki",
        "short_name": "Thessaloniki",
        "kind": "public_authority",
        "country": "GR",
        "city": "Thessaloniki",
        "description": "City partner in VALUES.",
        "illustrative_note": "Country (Greece) from general knowledge: the seed names the city only.",
    },
    # Teilhabe in ‚neuen' Ankunftsquartieren stärken
    "offenbach": {
        "name": "Stadt Offenbach am Main",
        "short_name": "Offenbach",
        "kind": "public_authority",
        "country": "DE",
        "city": "Offenbach am Main",
        "description": "Case-study municipality of 'Teilhabe in ‚neuen‘ Ankunftsquartieren stärken'; "
        "develops a new concept for diversity and participation.",
        "illustrative_note": (
            "'am Main' (in the name and the city) from general knowledge: the seeds say 'Stadt Offenbach'."
        ),
    },
    "saalfeld": {
        "name": "Stadt Saalfeld/Saale",
        "short_name": "Saalfeld",
        "kind": "public_authority",
        "country": "DE",
        "city": "Saalfeld/Saale",
        "description": "Case-study municipality (case study Saalfeld-Beulwitz).",
        "illustrative_note": (
            "Town (Saalfeld/Saale) from general knowledge: the seeds name only the case study Saalfeld-Beulwitz."
        ),
    },
    "duisburg": {
        "name": "Stadt Duisburg",
        "short_name": "Duisburg",
        "kind": "public_authority",
        "country": "DE",
        "city": "Duisburg",
        "description": "Hosted the first inter-municipal network meeting (5–6 June 2024).",
    },
    "dresden": {
        "name": "Landeshauptstadt Dresden",
        "short_name": "Dresden",
        "kind": "public_authority",
        "country": "DE",
        "city": "Dresden",
        "description": "Hosted the second inter-municipal exchange (17–18 February 2025).",
    },
    "bremerhaven": {
        "name": "Stadt Bremerhaven",
        "short_name": "Bremerhaven",
        "kind": "public_authority",
        "country": "DE",
        "city": "Bremerhaven",
        "description": "Hosted the third inter-municipal exchange (29–30 September 2025).",
    },
}

PROGRAMMES: list[dict] = [
    {
        "short_name": "AMIF",
        "name": "Asylum, Migration and Integration Fund",
        "funder": "eu",
        # EU money: reports carry the EU emblem and the funding statement.
        "eu_funded": True,
        "description": "EU fund; co-finances EPI (grant agreement 863614) and EPIC UP.",
    },
    {
        "short_name": "Stiftung Mercator",
        "name": "Stiftung Mercator",
        "funder": "mercator",
        # A private foundation: no EU money.
        "eu_funded": False,
        "description": "Funding by Stiftung Mercator. Shown as the funder of 'Teilhabe in ‚neuen‘ "
        "Ankunftsquartieren stärken' by inference (its magazine AufRuhr reports on the project); illustrative.",
    },
]
