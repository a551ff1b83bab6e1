"""The attendance sheet PDF: its text as pypdf reads it."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from events.attendance_sheet import NoAttendanceSheet, attendance_sheet_pdf, sheet_available
from events.models import Meeting
from tests.factories import (
    FundingProgrammeFactory,
    MeetingFactory,
    OrganisationFactory,
    ProjectFactory,
    RegistrationFactory,
    UserFactory,
    aware,
)

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    # Whitespace as one space: pypdf breaks lines wherever the layout did.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split()), len(reader.pages)


@pytest.fixture
def meeting():
    programme = FundingProgrammeFactory(
        name="Asylum, Migration and Integration Fund",
        short_name="AMIF-SHEET",
        funder=OrganisationFactory(name="European Commission DG HOME Sheet", short_name="European Commission"),
    )
    project = ProjectFactory(acronym="SHEETPRJ", programme=programme, grant_agreement="101234567")
    return MeetingFactory(
        project=project,
        title="Focus group on housing",
        venue="Stadtteilzentrum Nord",
        address="Hauptstraße 5",
        city="Offenbach",
        country="DE",
        # 08:00 UTC is 10:00 in Berlin in summer: the sheet shows the venue's clock.
        starts_at=aware(2025, 6, 12, 10),
        timezone="Europe/Berlin",
    )


def test_the_sheet_names_meeting_place_funding_and_confirmed_people(meeting):
    RegistrationFactory(
        meeting=meeting,
        user=UserFactory(
            first_name="Henrike",
            last_name="Abendroth",
            organisation=OrganisationFactory(name="Caritas Offenbach"),
        ),
    )
    RegistrationFactory(
        meeting=meeting,
        user=UserFactory(first_name="Yusuf", last_name="Zeller", organisation_name="Freie Schule"),
    )
    RegistrationFactory(meeting=meeting, user=UserFactory(first_name="Wanda", last_name="Waitlisted"), waitlisted=True)
    RegistrationFactory(meeting=meeting, user=UserFactory(first_name="Conrad", last_name="Cancelled"), cancelled=True)
    with translation.override("en"):
        text, pages = _text(attendance_sheet_pdf(meeting=meeting))
    assert pages == 1
    for expected in [
        "Focus group on housing",
        "Attendance sheet",
        "Stadtteilzentrum Nord",
        "Offenbach",
        "June 12, 2025, 10 a.m.",
        "Europe/Berlin",
        "AMIF-SHEET",
        "101234567",
        "Co-funded by European Commission",
        "Asylum, Migration and Integration Fund",
        "Henrike Abendroth",
        "Caritas Offenbach",
        "Yusuf Zeller",
        "Freie Schule",
        "Signature",
        "Page 1 of 1",
    ]:
        assert expected in text, expected
    assert "Waitlisted" not in text and "Cancelled" not in text
    # By surname: Abendroth before Zeller.
    assert text.index("Abendroth") < text.index("Zeller")


def test_the_sheet_speaks_german_and_keeps_the_venues_clock(meeting):
    RegistrationFactory(meeting=meeting)
    meeting.timezone = "Europe/London"  # 10:00 in Berlin is 09:00 in London
    meeting.save()
    with translation.override("de"):
        text, _ = _text(attendance_sheet_pdf(meeting=meeting))
    assert "Focus group on housing" in text and "101234567" in text
    assert "12. Juni 2025, 09:00" in text and "Europe/London" in text


def test_a_long_list_runs_over_pages_with_page_numbers(meeting):
    users = UserFactory.create_batch(60)
    for user in users:
        RegistrationFactory(meeting=meeting, user=user)
    with translation.override("en"):
        text, pages = _text(attendance_sheet_pdf(meeting=meeting))
    assert pages >= 2
    assert f"Page 2 of {pages}" in text
    # The table header is repeated on every page.
    assert text.count("Signature") == pages


def test_online_meetings_have_no_sheet(meeting):
    meeting.format = Meeting.Format.ONLINE
    assert not sheet_available(meeting)
    with pytest.raises(NoAttendanceSheet):
        attendance_sheet_pdf(meeting=meeting)
    meeting.format = Meeting.Format.HYBRID
    assert sheet_available(meeting)
