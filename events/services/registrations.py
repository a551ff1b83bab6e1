"""Writes to registrations: registering, cancelling, restoring, moving, filling seats.

A seat is never given twice. Every change that decides who holds a seat runs in one
transaction that first locks the meeting's row (``SELECT … FOR UPDATE``); the count of
confirmed seats and the write that depends on it both happen under that lock, so two
people registering at the same moment are served one after the other. The database's
partial unique constraint (registration_one_active_per_user) backs the rule "one active
registration per person and meeting" in case anything gets past the check.

The waiting list is first come, first served by ``(queued_at, id)``. ``queued_at`` is
set under the lock, so the line's order is the order in which people got the lock.

Notices go out through the tasks named ``NOTICE_TASK`` and, for a new registration,
``REGISTERED_TASK`` (events/tasks.py), queued on commit (the outbox, written in the same
transaction): nothing is sent for a change that rolled back, and nothing is lost when the
broker is away.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit.changes import snapshot, update_record
from outbox.services import message_build, message_enqueue, message_written

from ..languages import validate_language_code
from ..models import Meeting, Registration
from ..permissions import (
    can_cancel_registration,
    can_change_registration,
    can_manage_meeting,
    can_register_for_meeting,
    can_view_meeting,
)
from . import seat_statement

# The Celery task that tells a person what happened to their registration (events/tasks.py).
NOTICE_TASK = "events.send_registration_notice"
# The one that tells a person who has just registered where they stand (seat or waiting list).
REGISTERED_TASK = "events.send_registered_notice"

DUPLICATE_MESSAGE = _("You are already registered for this meeting.")
FULL_MESSAGE = _("This meeting is full and has no waiting list.")
# The codes of registration_create's ValidationErrors: a registration that exists already,
# and the refusals that concern the meeting rather than what the person filled in.
DUPLICATE_CODE = "duplicate"
REFUSAL_CODES = frozenset({"closed", "audience"})


@dataclass(frozen=True)
class RegistrationDetails:
    """What a person says about themselves when registering."""

    sector: str = Registration.Sector.OTHER
    access_needs: str = ""
    interpretation_language: str = ""
    consent_to_list: bool = False
    # The separate, explicit consent to store the access needs (GDPR Art. 9(2)(a)).
    access_needs_consent: bool = False


NEEDS_CONSENT_MESSAGE = _(
    "To store your access needs we need your consent: tick the box, or leave the access needs empty."
)


@dataclass(frozen=True)
class RegistrationResult:
    """A registration after a change, and its place on the waiting list (1 = next in line)."""

    registration: Registration
    position: int | None = None
    # Waitlisted people who got a seat freed by this change, in the order of the line.
    promoted: list[Registration] = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return self.registration.status == Registration.Status.CONFIRMED

    @property
    def waitlisted(self) -> bool:
        return self.registration.status == Registration.Status.WAITLISTED


# --- Reading under the lock ------------------------------------------------------------------


def _lock_meeting(pk: int) -> Meeting:
    """The meeting's row, locked until the transaction ends.

    Only the meeting's own columns are read: the lock is the one thing everybody waits
    for, so the statements taken while holding it are kept few and small.
    """
    return Meeting.objects.select_for_update().get(pk=pk)


def _lock_meetings(*pks: int) -> dict[int, Meeting]:
    """Several meetings locked in primary-key order, so two moves in opposite directions
    cannot wait for each other (a deadlock)."""
    return {pk: _lock_meeting(pk) for pk in sorted(set(pks))}


@dataclass(frozen=True)
class LineState:
    """A meeting's seats and line as counted under its lock."""

    confirmed: int
    waiting: int
    already_registered: bool = False

    def free_seats(self, meeting: Meeting) -> int | None:
        """Seats left; None when the meeting has no limit."""
        if meeting.capacity is None:
            return None
        return max(meeting.capacity - self.confirmed, 0)


def line_state(meeting: Meeting, *, user: Any = None) -> LineState:
    """Seats taken, people waiting and whether ``user`` holds an active registration, in
    one query. A module function, so the negative control can widen the race window."""
    sql, params = _line_state_statement(user is not None)
    user_id = getattr(user, "pk", user)  # a person or their key
    bound = [meeting.pk if p == _MEETING_SLOT else user_id if p == _USER_SLOT else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        row = cursor.fetchone()
    confirmed, waiting, *mine = row or (0, 0, 0)
    return LineState(confirmed=confirmed, waiting=waiting, already_registered=bool(mine and mine[0]))


# Stand-ins for the meeting's and the person's keys in the compiled statement below: no row
# has a negative key, so neither can be mistaken for another of the statement's values.
_MEETING_SLOT = -7_000_001
_USER_SLOT = -7_000_002


@functools.cache
def _line_state_statement(with_user: bool) -> tuple[str, tuple[Any, ...]]:
    """line_state's statement, made by the ORM once per process.

    Every registration runs it while holding the meeting's lock, for which everybody else
    waits. Compiling the ORM's aggregate took longer than PostgreSQL took to answer it
    (0.6 ms against 0.16 ms, idle), and in a burst each of 200 people paid that in turn.
    """
    counts = {
        "confirmed": Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
        "waiting": Count("id", filter=Q(status=Registration.Status.WAITLISTED)),
    }
    if with_user:
        counts["mine"] = Count("id", filter=Q(user_id=_USER_SLOT, status__in=Registration.ACTIVE))
    rows = (
        Registration.objects.filter(meeting_id=_MEETING_SLOT)
        .order_by()
        .values("meeting_id")
        .annotate(**counts)
        .values_list(*counts)
    )
    return rows.query.sql_with_params()


def _waiting(meeting: Meeting) -> QuerySet[Registration]:
    return Registration.objects.filter(meeting=meeting, status=Registration.Status.WAITLISTED).order_by(
        "queued_at", "id"
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next in line; None unless the registration is waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = _waiting(registration.meeting).filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


def _notify(registration: Registration, kind: str) -> None:
    message_enqueue(task=NOTICE_TASK, args=[registration.pk, kind])


def _log_change(registration: Registration, *, actor: Any | None, before: dict, meeting: Meeting) -> None:
    """The change log entry of a registration's change, filed under its meeting (audit/changes.py).

    Only the changes of the people running the meeting are logged: a person registering or
    cancelling for themselves is recorded by the row itself (created_at, cancelled_by), and
    the log, kept for years after the project, would otherwise outlast the registration's
    own retention with the person's name in it.
    """
    update_record(
        actor=actor,
        instance=registration,
        before=before,
        project_id=meeting.project_id,
        scope={"meeting_id": meeting.pk},
    )


# --- The rules -------------------------------------------------------------------------------


def registration_closed_reason(meeting: Meeting, *, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register for the meeting right now, or None when they can.

    Seats are not looked at here: a full meeting still takes people onto its waiting list.
    """
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        return str(_("This meeting has been cancelled."))
    if meeting.starts_at <= now:
        return str(_("This meeting has already started or taken place; registration is closed."))
    if meeting.registration_opens_at and now < meeting.registration_opens_at:
        return str(_("Registration opens on %(moment)s.") % {"moment": _format_moment(meeting.registration_opens_at)})
    if meeting.registration_closes_at and now > meeting.registration_closes_at:
        return str(_("Registration closed on %(moment)s.") % {"moment": _format_moment(meeting.registration_closes_at)})
    return None


def _format_moment(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def audience_refusal(meeting: Meeting) -> str:
    """The message for a person outside the meeting's audience."""
    if meeting.audience == Meeting.Audience.MEMBERS:
        return str(_("This meeting is for members of its community. Join the community to register."))
    if meeting.audience == Meeting.Audience.PARTNERS:
        return str(_("This meeting is for the project's partners only."))
    return str(_("Please sign in to register."))


def _place_in_line(meeting: Meeting, state: LineState) -> str:
    """CONFIRMED or WAITLISTED for somebody joining the end of the line now; raises when
    the meeting is full and keeps no waiting list. Call with the meeting locked."""
    free = state.free_seats(meeting)
    # Nobody jumps the line: with people already waiting, a newcomer waits too (a seat
    # freed a moment ago goes to them through _promote).
    if free is None or (free > 0 and state.waiting == 0):
        return Registration.Status.CONFIRMED
    if not meeting.waitlist_enabled:
        raise ValidationError(FULL_MESSAGE, code="full")
    return Registration.Status.WAITLISTED


def _promote(meeting: Meeting, *, now: dt.datetime, actor: Any | None = None) -> list[Registration]:
    """Give free seats to the people waiting longest. Call with the meeting locked.

    ``actor`` is the organiser whose change freed the seats; the promotions are logged in
    their name. None (the attendee's own cancellation, more seats): not logged."""
    if meeting.status == Meeting.Status.CANCELLED or meeting.ends_at < now:
        return []
    free = line_state(meeting).free_seats(meeting)
    waiting = _waiting(meeting).select_related("user")
    chosen = list(waiting if free is None else waiting[:free])
    for registration in chosen:
        before = snapshot(registration, fields=["status"])
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        if actor is not None:
            _log_change(registration, actor=actor, before=before, meeting=meeting)
        _notify(registration, "promoted")
    return chosen


# --- Services --------------------------------------------------------------------------------


def registration_create(*, meeting: Meeting, user: Any, details: RegistrationDetails) -> RegistrationResult:
    """Register a person for a meeting: a seat if there is one, else the waiting list.

    Raises PermissionDenied for a meeting the person may not see, and ValidationError with
    a message to show for everything else: outside the audience, before or after the
    registration window, a meeting started, past or cancelled, full without a waiting
    list, or already registered. Nothing is written then.
    """
    if not can_view_meeting(user, meeting):
        raise PermissionDenied
    if not can_register_for_meeting(user, meeting):
        raise ValidationError(audience_refusal(meeting), code="audience")
    # Objects.create skips the field validators: an unknown language code stops here.
    validate_language_code(details.interpretation_language)
    if details.access_needs.strip() and not details.access_needs_consent:
        raise ValidationError(NEEDS_CONSENT_MESSAGE, code="needs_consent")
    try:
        if connection.vendor in ONE_STATEMENT_VENDORS:
            registration, position = _register_in_one_statement(meeting=meeting, user=user, details=details)
        else:
            registration, position = _register_under_lock(meeting=meeting, user=user, details=details)
    except IntegrityError as error:
        # Only the one-active-registration constraint can fail here: a second request of
        # the same person that got past the check (e.g. with the row lock switched off).
        if "registration_one_active_per_user" in str(error):
            raise ValidationError(DUPLICATE_MESSAGE, code=DUPLICATE_CODE) from error
        raise
    return RegistrationResult(registration=registration, position=position)


# Where registering is one statement sent with its lock and COMMIT in one round trip
# (events/services/seat_statement.py says why); elsewhere (SQLite, the embedded default,
# where a round trip costs nothing) the same rules run here, under the lock.
ONE_STATEMENT_VENDORS = frozenset({"postgresql"})
BUSY_MESSAGE = _("Many people are registering for this meeting at this moment. Please try again.")


def _unsaved(meeting: Meeting, user: Any, details: RegistrationDetails, now: dt.datetime) -> Registration:
    return Registration(
        meeting=meeting,
        user=user,
        sector=details.sector,
        access_needs=details.access_needs,
        access_needs_consent_at=now if details.access_needs.strip() else None,
        interpretation_language=details.interpretation_language,
        consent_to_list=details.consent_to_list,
    )


def _register_in_one_statement(
    *, meeting: Meeting, user: Any, details: RegistrationDetails
) -> tuple[Registration, int | None]:
    now = timezone.now()
    # Twice at most: a refusal is explained by reading the meeting and its line afresh, and
    # a line that changed in between (a seat freed, a waiting list switched on) gets one
    # more try rather than a wrong message.
    for _attempt in range(2):
        registration = _unsaved(meeting, user, details, now)
        message = message_build(task=REGISTERED_TASK, args=[meeting.pk, user.pk])
        placed = seat_statement.place_in_line(registration=registration, message=message)
        if placed is not None:
            break
        _explain_refusal(meeting.pk, user)
    else:
        raise ValidationError(BUSY_MESSAGE, code="busy")
    registration.pk = placed.registration_id
    registration.status = placed.status
    registration.created_at = registration.queued_at = placed.queued_at
    message.pk = placed.message_id
    message_written(message)
    # The rows were written without the ORM's save(): tell those who follow registrations'
    # saves (the page cache's figures, portal/page_cache.py) as save() would have.
    post_save.send(
        sender=Registration, instance=registration, created=True, update_fields=None, raw=False, using=connection.alias
    )
    # The newest in line (queued last, the highest id): right behind everybody waiting.
    position = placed.waiting_before + 1 if placed.status == Registration.Status.WAITLISTED else None
    return registration, position


def _explain_refusal(meeting_pk: int, user: Any) -> None:
    """Raise what refused the registration; return when nothing does any more."""
    fresh = Meeting.objects.filter(pk=meeting_pk).first()
    if fresh is None:
        raise PermissionDenied
    reason = registration_closed_reason(fresh)
    if reason:
        raise ValidationError(reason, code="closed")
    state = line_state(fresh, user=user)
    if state.already_registered:
        raise ValidationError(DUPLICATE_MESSAGE, code=DUPLICATE_CODE)
    _place_in_line(fresh, state)


def _register_under_lock(
    *, meeting: Meeting, user: Any, details: RegistrationDetails
) -> tuple[Registration, int | None]:
    with transaction.atomic():
        # The notice is written before the meeting's lock is taken, as every statement run
        # while holding it is paid for by everybody waiting. So the message names the meeting
        # and the person rather than the registration and its status, which are not known
        # yet; the task finds them when it runs (events/emails.py). A refusal below rolls
        # the message back with everything else.
        message_enqueue(task=REGISTERED_TASK, args=[meeting.pk, user.pk])
        locked = _lock_meeting(meeting.pk)
        now = timezone.now()
        reason = registration_closed_reason(locked, now=now)
        if reason:
            raise ValidationError(reason, code="closed")
        # One statement for the duplicate check and the seats: the lock is held meanwhile.
        state = line_state(locked, user=user)
        if state.already_registered:
            raise ValidationError(DUPLICATE_MESSAGE, code=DUPLICATE_CODE)
        registration = _unsaved(locked, user, details, now)
        registration.status = _place_in_line(locked, state)
        registration.created_at = registration.queued_at = now
        registration.save(force_insert=True)
    # The newest in line (queued now, the highest id): right behind everybody waiting.
    position = state.waiting + 1 if registration.status == Registration.Status.WAITLISTED else None
    return registration, position


def registration_cancel(*, registration: Registration, actor: Any) -> RegistrationResult:
    """Cancel a registration; a seat it held goes to the first person waiting, at once.

    The attendee may cancel until the meeting starts, the people running the meeting at
    any time. Raises PermissionDenied, or ValidationError for a registration that is
    already cancelled. Both the attendee and each promoted person are notified.
    """
    with transaction.atomic():
        meeting = _lock_meeting(registration.meeting_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        locked.meeting = meeting
        now = timezone.now()
        if locked.status == Registration.Status.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."), code="cancelled")
        if not can_cancel_registration(actor, locked, now=now):
            if locked.user_id == getattr(actor, "pk", None):
                raise ValidationError(
                    _("The meeting has started: the registration can no longer be cancelled here."), code="started"
                )
            raise PermissionDenied
        if locked.checked_in_at is not None:
            # Attendance is evidence for the funder: it is never lost as a side effect of a
            # cancellation (and the database refuses a checked-in cancelled registration).
            raise ValidationError(
                _("This person has already been checked in. Undo the check-in first to cancel the registration."),
                code="checked_in",
            )
        fields = ["status", "cancelled_at", "cancelled_by"]
        before = snapshot(locked, fields=fields)
        locked.status = Registration.Status.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_by = actor
        locked.save(update_fields=fields)
        by_organiser = locked.user_id != getattr(actor, "pk", None)
        if by_organiser:
            _log_change(locked, actor=actor, before=before, meeting=meeting)
        _notify(locked, "cancelled")
        promoted = _promote(meeting, now=now, actor=actor if by_organiser else None)
    return RegistrationResult(registration=locked, promoted=promoted)


def registration_restore(*, registration: Registration, actor: Any) -> RegistrationResult:
    """Undo a cancellation: the people running the meeting only.

    The person joins the end of the line (``queued_at`` = now): a seat if one is free and
    nobody is waiting, else the waiting list. Raises PermissionDenied, or ValidationError
    (not cancelled, registered again meanwhile, full without a waiting list, meeting over
    or cancelled).
    """
    if not can_change_registration(actor, registration):
        raise PermissionDenied
    with transaction.atomic():
        meeting = _lock_meeting(registration.meeting_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        locked.meeting = meeting
        now = timezone.now()
        if locked.status != Registration.Status.CANCELLED:
            raise ValidationError(_("Only a cancelled registration can be restored."), code="not_cancelled")
        _check_open_for_coordinator(meeting, now=now)
        state = line_state(meeting, user=locked.user_id)
        if state.already_registered:
            raise ValidationError(_("This person has registered again in the meantime."), code="duplicate")
        fields = ["status", "queued_at", "cancelled_at", "cancelled_by"]
        before = snapshot(locked, fields=fields)
        locked.status = _place_in_line(meeting, state)
        locked.queued_at = now
        locked.cancelled_at = None
        locked.cancelled_by = None
        locked.save(update_fields=fields)
        _log_change(locked, actor=actor, before=before, meeting=meeting)
        _notify(locked, "confirmed" if locked.status == Registration.Status.CONFIRMED else "waitlisted")
        position = waitlist_position(locked)
    return RegistrationResult(registration=locked, position=position)


def registration_move(*, registration: Registration, actor: Any, to_meeting: Meeting) -> RegistrationResult:
    """Move an active registration to another meeting of the same project.

    The person joins the end of the line there; a seat they held here goes to the first
    person waiting here. The people running both meetings only. Raises PermissionDenied,
    or ValidationError (another project, the same meeting, not active, already registered
    there, the other meeting full without a waiting list, over or cancelled).
    """
    if not (can_change_registration(actor, registration) and can_manage_meeting(actor, to_meeting)):
        raise PermissionDenied
    if to_meeting.project_id != registration.meeting.project_id:
        raise ValidationError(_("A registration can only move to another meeting of the same project."), code="project")
    if to_meeting.pk == registration.meeting_id:
        raise ValidationError(_("The registration is already for this meeting."), code="same")
    with transaction.atomic():
        meetings = _lock_meetings(registration.meeting_id, to_meeting.pk)
        source, target = meetings[registration.meeting_id], meetings[to_meeting.pk]
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        now = timezone.now()
        if locked.meeting_id != source.pk or locked.status not in Registration.ACTIVE:
            raise ValidationError(_("Only an active registration can be moved."), code="not_active")
        _check_open_for_coordinator(target, now=now)
        state = line_state(target, user=locked.user_id)
        if state.already_registered:
            raise ValidationError(_("This person is already registered for the other meeting."), code="duplicate")
        fields = ["meeting", "status", "queued_at", "checked_in_at", "checked_in_by", "reminder_sent_at"]
        locked.meeting = source
        before = snapshot(locked, fields=fields)
        locked.status = _place_in_line(target, state)
        locked.meeting = target
        locked.queued_at = now
        # Checked in at the old meeting says nothing about the new one.
        locked.checked_in_at = None
        locked.checked_in_by = None
        locked.reminder_sent_at = None
        locked.save(update_fields=fields)
        # One entry, in the history of both meetings: the one it joined and the one it left.
        update_record(
            actor=actor,
            instance=locked,
            before=before,
            project_id=target.project_id,
            scope={"meeting_id": target.pk, "from_meeting_id": source.pk},
        )
        _notify(locked, "confirmed" if locked.status == Registration.Status.CONFIRMED else "waitlisted")
        position = waitlist_position(locked)
        promoted = _promote(source, now=now, actor=actor)
    return RegistrationResult(registration=locked, position=position, promoted=promoted)


def waitlist_fill(*, meeting: Meeting) -> list[Registration]:
    """Give every free seat to the people waiting longest; returns those promoted.

    Called after anything that may free seats: a cancellation (inside its own transaction),
    a capacity raised by meeting_update.
    """
    with transaction.atomic():
        locked = _lock_meeting(meeting.pk)
        return _promote(locked, now=timezone.now())


def _check_open_for_coordinator(meeting: Meeting, *, now: dt.datetime) -> None:
    """Coordinators may place people outside the registration window, not into a meeting
    that is over or cancelled."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting has been cancelled."), code="closed")
    if meeting.ends_at < now:
        raise ValidationError(_("This meeting is over."), code="closed")


# --- Erasure (GDPR Art. 17) -------------------------------------------------------------------


def registrations_anonymise_for_user(*, user: Any, now: dt.datetime | None = None) -> int:
    """Take the person off all their registrations, keeping the rows: meeting counts, the
    figures by sector and the progress reports as of a period count these rows.

    A seat or place in line for a meeting that has not ended is cancelled first (nobody will
    come), and the people waiting move up as on any cancellation; the erased person is not
    told. A check-in already recorded stays (attendance is evidence), as do the rows of
    meetings that ended.
    Their needs, interpretation language and list consent go; status, sector, times and
    check-in stay. Returns how many rows were anonymised. Call inside the erasure's
    transaction (accounts.services.user_erase).
    """
    now = now or timezone.now()
    with transaction.atomic():
        upcoming = Registration.objects.filter(
            user=user, status__in=Registration.ACTIVE, meeting__ends_at__gt=now, checked_in_at__isnull=True
        )
        for meeting_id in sorted(set(upcoming.values_list("meeting_id", flat=True))):
            meeting = _lock_meeting(meeting_id)
            upcoming.filter(meeting=meeting).update(
                status=Registration.Status.CANCELLED, cancelled_at=now, cancelled_by=None
            )
            _promote(meeting, now=now)
        return Registration.objects.filter(user=user).update(
            user=None,
            access_needs="",
            access_needs_consent_at=None,
            interpretation_language="",
            consent_to_list=False,
            anonymised_at=now,
        )
