"""Exports of a meeting's registrations: CSV and XLSX carry the same rows, and no cell
can run as a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from events.exports import neutralise_formula, registrations_csv, registrations_xlsx
from events.models import Registration
from tests.factories import MeetingFactory, OrganisationFactory, RegistrationFactory, UserFactory, aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(starts_at=aware(2025, 5, 14, 10))
    RegistrationFactory(
        meeting=meeting,
        sector=Registration.Sector.ARTS,
        access_needs="Wheelchair access",
        interpretation_language="ara",
        consent_to_list=True,
        checked_in=True,
        user=UserFactory(
            first_name="Müller",
            last_name="Ärger",
            email="mueller@example.org",
            organisation=OrganisationFactory(name="Kulturverein Ost", short_name=""),
        ),
    )
    RegistrationFactory(
        meeting=meeting,
        waitlisted=True,
        access_needs='=HYPERLINK("http://evil.example")',
        user=UserFactory(
            first_name="@Eve", last_name="+Mallory", email="eve@example.org", organisation_name="-Evil Org"
        ),
    )
    RegistrationFactory(meeting=MeetingFactory(), user=UserFactory(email="elsewhere@example.org"))
    return meeting


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+49 30", "'+49 30"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Anna", "Anna"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(value, expected):
    assert neutralise_formula(value) == expected


def test_csv_has_the_columns_and_rows(meeting):
    with translation.override("en"):
        text = "".join(registrations_csv(meeting))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "Name",
        "E-mail",
        "Organisation",
        "Sector",
        "Status",
        "Registered at",
        "Checked in at",
        "Access needs",
        "Interpretation language",
        "Consent to the participant list",
    ]
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[:5] == [
        "Müller Ärger",
        "mueller@example.org",
        "Kulturverein Ost",
        "Arts and culture",
        "Confirmed",
    ]
    assert first[5] == "2025-05-07 10:00" and first[6] == "2025-05-14 10:00"
    assert first[7:] == ["Wheelchair access", "Arabic", "yes"]
    assert second[0] == "'@Eve +Mallory"
    assert second[2] == "'-Evil Org"
    assert second[4] == "Waitlisted" and second[6] == ""
    assert second[7] == '\'=HYPERLINK("http://evil.example")'
    assert "elsewhere@example.org" not in text


def test_xlsx_has_the_same_rows_as_text_not_formulas(meeting):
    with translation.override("de"):
        content = registrations_xlsx(meeting)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[0][1] == "E-Mail" or rows[0][0]  # German headers, whatever the catalogue says
    assert rows[1][1] == "mueller@example.org"
    assert rows[1][5].year == 2025 and rows[1][6].day == 14
    assert rows[2][7] == '\'=HYPERLINK("http://evil.example")'
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
