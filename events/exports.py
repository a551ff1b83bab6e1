"""A meeting's registrations as CSV and XLSX, for its coordinators.

Both formats carry the same columns and rows (registration_rows). Memory stays bounded
whatever the size of the meeting: rows are read from the database in chunks, the CSV is
produced line by line for a streaming response, and the XLSX is written by openpyxl's
write-only workbook, which keeps rows in a temporary file rather than in memory.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return)
as a formula, and anybody can type such a name or access need into the registration
form: "=HYPERLINK(…)" would be a link in the coordinator's Excel. Every text cell that
starts with one of them gets a leading apostrophe, which the programs show as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .models import Meeting, Registration

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500

COLUMNS = [
    _("Name"),
    _("E-mail"),
    _("Organisation"),
    _("Sector"),
    _("Status"),
    _("Registered at"),
    _("Checked in at"),
    _("Access needs"),
    _("Interpretation language"),
    _("Consent to the participant list"),
]


def neutralise_formula(value: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before = + - @ tab CR."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def export_registrations(meeting: Meeting) -> Iterator[Registration]:
    """The meeting's registrations, seated ones first, then the waitlist, then cancelled."""
    order = {
        Registration.Status.CONFIRMED: 0,
        Registration.Status.WAITLISTED: 1,
        Registration.Status.CANCELLED: 2,
    }
    for status in sorted(order, key=order.get):
        yield from (
            Registration.objects.filter(meeting=meeting, status=status)
            .select_related("user", "user__organisation")
            .order_by("created_at", "id")
            .iterator(chunk_size=CHUNK_SIZE)
        )


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    # Spreadsheets know no time zones: the portal's local time, without its offset.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def registration_rows(meeting: Meeting) -> Iterator[list[Any]]:
    """One list per registration in COLUMNS order; texts already neutralised, times local."""
    yes, no = gettext("yes"), gettext("no")
    for registration in export_registrations(meeting):
        user = registration.user
        # An anonymised registration (account erased, or audit retention over) still counts.
        texts = [
            user.get_full_name() if user else gettext("anonymised"),
            user.email if user else "",
            user.organisation_label if user else "",
            registration.get_sector_display(),
            registration.get_status_display(),
        ]
        yield [
            *(neutralise_formula(str(text)) for text in texts),
            _local(registration.created_at),
            _local(registration.checked_in_at),
            neutralise_formula(registration.access_needs),
            registration.interpretation_language_name,
            yes if registration.consent_to_list else no,
        ]


class _Line:
    """A file-like object that hands back what csv.writer writes to it."""

    def write(self, value: str) -> str:
        return value


def registrations_csv(meeting: Meeting) -> Iterator[str]:
    """The CSV, line by line, for a StreamingHttpResponse.

    It starts with a byte-order mark, so Excel reads the umlauts of "Müller" as UTF-8.
    """
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([str(column) for column in COLUMNS])
    for row in registration_rows(meeting):
        yield writer.writerow(
            [value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value for value in row]
        )


def registrations_xlsx(meeting: Meeting) -> bytes:
    """The XLSX file: one sheet, a bold header row, real date-times in the two time columns."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=gettext("Registrations")[:31])
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(column))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in registration_rows(meeting):
        cells = []
        for value in row:
            if isinstance(value, str):
                # XML (inside every XLSX) cannot hold most control characters, and openpyxl
                # refuses them; a name pasted with one must not break the whole export.
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, str):
                # openpyxl itself turns a string starting with "=" into a formula; the
                # apostrophe above prevents that, and the type pins the cell to text.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
