"""Registering on PostgreSQL in one round trip: the statement that places a person in line.

Everybody registering for a meeting waits for its row lock in turn. In a burst of 200
people (bench/registration_burst.py) the registrations were 4.8 ms apart while a lone one
holds the lock 2 ms: each round trip made while holding it (the count, the INSERT, the
COMMIT) waited for the holder's process to be given the CPU again, and everybody behind
waited with it. So on PostgreSQL the transaction is sent at once, pipelined: BEGIN, the
lock, one statement that counts the line, checks the rules and writes the registration
and its notice, COMMIT. The server takes the lock, uses it and gives it back by itself,
and the burst's p95 went from 1.01-1.22 s to 0.73-1.04 s, 5.9-6.2 times the floor burst's
instead of 7.1-10.9 (bench/RESULTS.md).

The statement is the rule: :func:`events.services.registrations.registration_closed_reason`
and ``_place_in_line`` say the same in Python, for the refusal's message and for SQLite,
and tests/events/test_registrations.py runs the cases through both.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

from outbox.models import Message

from ..models import Meeting, Registration

# The meeting's row lock, taken before the statement starts: in READ COMMITTED each
# statement sees what was committed when it started, so the line is counted only once
# the previous holder has committed. (The race test's negative control replaces it.)
LOCK_SQL = "SELECT 1 FROM events_meeting WHERE id = %s FOR UPDATE"

Status = Registration.Status


@dataclass(frozen=True)
class Placed:
    registration_id: int
    status: str
    queued_at: dt.datetime
    waiting_before: int
    message_id: int


# Decided in the statement, not taken from the unsaved row.
_DECIDED = frozenset({"status", "created_at", "queued_at"})


@functools.cache
def _fields(model: type[Model], skip: frozenset[str] = frozenset()) -> tuple[Field, ...]:
    """The columns the ORM would write for a new ``model`` row, but ``skip``."""
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in skip)


def _values(instance: Model, prefix: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    return {f"{prefix}{i}": f.get_db_prep_save(getattr(instance, f.attname), connection) for i, f in enumerate(fields)}


@functools.cache
def _sql() -> str:
    """The one statement: count the line, check the rules, write both rows; nothing when
    refused. Made once per process, like line_state's (registrations.py)."""
    quote = connection.ops.quote_name
    registration_fields, message_fields = _fields(Registration, _DECIDED), _fields(Message)
    registration_columns = ", ".join(quote(f.column) for f in registration_fields)
    registration_values = ", ".join(f"%(r{i})s" for i in range(len(registration_fields)))
    message_columns = ", ".join(quote(f.column) for f in message_fields)
    message_values = ", ".join(f"%(m{i})s" for i in range(len(message_fields)))
    seat = "m.capacity IS NULL OR (line.confirmed < m.capacity AND line.waiting = 0)"
    return f"""
WITH t AS (SELECT clock_timestamp() AS now),
line AS (
    SELECT COUNT(*) FILTER (WHERE status = %(confirmed)s) AS confirmed,
           COUNT(*) FILTER (WHERE status = %(waitlisted)s) AS waiting,
           COUNT(*) FILTER (WHERE user_id = %(user)s AND status IN (%(confirmed)s, %(waitlisted)s)) AS mine
    FROM events_registration WHERE meeting_id = %(meeting)s
),
placed AS (
    SELECT CASE WHEN {seat} THEN %(confirmed)s ELSE %(waitlisted)s END AS status, line.waiting, t.now
    FROM events_meeting m, line, t
    WHERE m.id = %(meeting)s AND m.status <> %(cancelled)s AND m.starts_at > t.now
      AND (m.registration_opens_at IS NULL OR t.now >= m.registration_opens_at)
      AND (m.registration_closes_at IS NULL OR t.now <= m.registration_closes_at)
      AND line.mine = 0
      AND (m.waitlist_enabled OR {seat})
),
registration AS (
    INSERT INTO events_registration ({registration_columns}, status, created_at, queued_at)
    SELECT {registration_values}, placed.status, placed.now, placed.now FROM placed
    RETURNING id, status, queued_at
),
message AS (
    INSERT INTO outbox_message ({message_columns}) SELECT {message_values} FROM registration
    RETURNING id
)
SELECT registration.id, registration.status, registration.queued_at, placed.waiting, message.id
FROM registration, placed, message"""


def _statement(registration: Registration, message: Message) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {
        "meeting": registration.meeting_id,
        "user": registration.user_id,
        "confirmed": Status.CONFIRMED,
        "waitlisted": Status.WAITLISTED,
        "cancelled": Meeting.Status.CANCELLED,
        **_values(registration, "r", _fields(Registration, _DECIDED)),
        **_values(message, "m", _fields(Message)),
    }
    return _sql(), params


def place_in_line(*, registration: Registration, message: Message) -> Placed | None:
    """Write ``registration`` (unsaved; its status and times are decided here) and
    ``message`` in one transaction; None when the rules refused (nothing written).

    Outside a transaction the whole transaction is one round trip; inside one (a caller's,
    or a test's) it runs in a savepoint, statement by statement.
    """
    sql, params = _statement(registration, message)
    if connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(LOCK_SQL, [registration.meeting_id])
            cursor.execute(sql, params)
            row = cursor.fetchone()
    else:
        row = _one_round_trip(sql, params, registration.meeting_id)
    return Placed(*row) if row else None


def _one_round_trip(sql: str, params: dict[str, Any], meeting_id: int) -> tuple | None:
    """BEGIN, the lock, the statement and COMMIT sent together; the results read once all
    have arrived. Django's connection stays in autocommit: the transaction begins and ends here."""
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.cursor() as cursor, connection.cursor() as placing:
        try:
            with connection.connection.pipeline():
                cursor.execute("BEGIN")
                cursor.execute(LOCK_SQL, [meeting_id])
                placing.execute(sql, params)
                cursor.execute("COMMIT")
        except Exception:
            _roll_back(cursor)
            raise
        return placing.fetchone()


def _roll_back(cursor: Any) -> None:
    # A refused statement leaves the transaction aborted; a lost connection has none left
    # (Django closes it at the request's end). The first error is the one to report.
    try:
        cursor.execute("ROLLBACK")
    except Exception:
        return
