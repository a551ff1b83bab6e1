"""The years the portal's dates may fall in: 2000 to 2099.

Consortia plan and report within a few years of today, so a date outside these years is
a typing error (0001 for 2025, 9999 for "open end"). Such dates also break things far from
the form they were typed into: PostgreSQL stores year 1 in Berlin time as a date BC that
psycopg cannot read back (every page listing the meeting fails), and calendar files, time
zone conversions and PDFs overflow near year 9999. So every date a person enters is
checked by a field validator, and the database refuses the rest with a CheckConstraint.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2099
EARLIEST_DATE = dt.date(FIRST_YEAR, 1, 1)
LATEST_DATE = dt.date(LAST_YEAR, 12, 31)
# For timestamps (stored in UTC): a day's margin on both sides, so a moment whose local
# year is allowed is never refused because its zone is ahead of or behind UTC.
EARLIEST_MOMENT = dt.datetime(FIRST_YEAR - 1, 12, 31, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(LAST_YEAR + 1, 1, 2, tzinfo=dt.UTC)

# The years are written out (not placeholders): the database's constraints carry this
# message too, and Django fills in only the constraint's name there.
MESSAGE = _("Enter a date between 2000 and 2099.")


def validate_plausible_date(value: dt.date | dt.datetime | None) -> None:
    """A date or moment within the portal's years, judged by its own (local) year.

    Only the year attribute is read: comparing or converting a far-off aware moment could
    itself overflow, which is the failure this check exists to prevent.
    """
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(MESSAGE, code="implausible_date")


def plausible_date_constraint(field: str, *, prefix: str, moment: bool = False) -> models.CheckConstraint:
    """The database's copy of the rule for ``field`` (a DateField, or a DateTimeField with ``moment``)."""
    low, high = (EARLIEST_MOMENT, LATEST_MOMENT) if moment else (EARLIEST_DATE, LATEST_DATE)
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"{prefix}_{field}_plausible",
        violation_error_message=MESSAGE,
    )
