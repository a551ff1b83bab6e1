"""The change log: who changed which row, when, and each field's old and new value.

django-auditlog keeps the entries (its LogEntry table and admin), but no model is registered
with it: the portal writes no side effects in save() or signals, so each domain's single write
path (its services, and the admin's shared mixin in projects/admin_scope.py) calls
``change_record`` itself, with snapshots taken before and after the write.

Every entry names the project it belongs to (``additional_data["project_id"]``), so a
project's coordinators can read their project's history and the retention job can delete it
once the project's audit retention has ended (audit/retention.py). Further ids in ``scope``
(e.g. ``meeting_id`` for a registration) let a page show the history of one meeting.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

# A value as the log keeps it: JSON's own types; dates and decimals as text.
Value = str | int | float | bool | None
Snapshot = dict[str, Value]

# Fields whose values never go into the log: secrets, and personal data the log would keep
# longer than the row itself (a registration's access needs are erased with it).
NEVER_LOGGED = frozenset(
    {"password", "access_needs", "interpretation_language", "token", "token_hash", "secret", "key", "nonce"}
)
# object_repr is a text column; a title is enough to recognise a row.
MAX_REPR_LENGTH = 200


class ChangeAction(enum.IntEnum):
    """auditlog's actions, as the portal names them."""

    CREATE = LogEntry.Action.CREATE
    UPDATE = LogEntry.Action.UPDATE
    DELETE = LogEntry.Action.DELETE


def _value(field: models.Field, instance: models.Model) -> Value:
    if field.is_relation:
        related_id = getattr(instance, field.attname)
        if related_id is None:
            return None
        # The label costs a query when the related row is not loaded yet; an id alone would
        # say nothing to a coordinator reading the history years later.
        try:
            related = getattr(instance, field.name)
        except field.related_model.DoesNotExist:
            return f"#{related_id}"
        return f"{related} (#{related_id})"
    value = field.value_from_object(instance)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model, *, fields: Iterable[str] | None = None, exclude: Iterable[str] = ()) -> Snapshot:
    """The row's concrete fields as the log keeps them: foreign keys as "label (#id)", dates ISO.

    ``fields`` limits the snapshot to those names; ``exclude`` leaves some out. Timestamps
    Django sets by itself (``auto_now``) and the fields in NEVER_LOGGED are left out always.
    """
    wanted = set(fields) if fields is not None else None
    skipped = NEVER_LOGGED | set(exclude)
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in skipped or getattr(field, "auto_now", False):
            continue
        if wanted is not None and field.name not in wanted:
            continue
        values[field.name] = _value(field, instance)
    return values


def changed_values(before: Mapping[str, Value] | None, after: Mapping[str, Value] | None) -> dict[str, list[Value]]:
    """``{field: [old, new]}`` for each field whose value differs (auditlog's format)."""
    before, after = before or {}, after or {}
    names = list(before) + [name for name in after if name not in before]
    return {name: [before.get(name), after.get(name)] for name in names if before.get(name) != after.get(name)}


def _actor(actor: Any) -> Any | None:
    # A task or the demo loader acts for nobody; an anonymous user is nobody too.
    if actor is None or not getattr(actor, "is_authenticated", False) or getattr(actor, "pk", None) is None:
        return None
    return actor


def change_record(
    *,
    actor: Any | None,
    instance: models.Model,
    action: ChangeAction,
    before: Mapping[str, Value] | None,
    after: Mapping[str, Value] | None,
    project_id: int | None,
    scope: Mapping[str, int | None] | None = None,
    remote_addr: str | None = None,
    object_pk: Any = None,
) -> LogEntry | None:
    """Record one change of ``instance`` by ``actor``; returns the entry, or None when nothing changed.

    ``before`` and ``after`` are snapshots (``snapshot()``): None before a creation and after a
    deletion. An update whose snapshots agree records nothing. ``project_id`` is the project the
    row belongs to (None for rows of no project); ``scope`` adds ids to filter by (``meeting_id``).
    ``object_pk`` names the row when ``instance.pk`` no longer does (Model.delete() clears it).
    Call it inside the write's transaction, so the entry exists if and only if the change does.
    """
    changes = changed_values(before, after)
    if action == ChangeAction.UPDATE and not changes:
        return None
    data: dict[str, int] = {}
    if project_id is not None:
        data["project_id"] = project_id
    data.update({key: value for key, value in (scope or {}).items() if value is not None})
    who = _actor(actor)
    pk = instance.pk if object_pk is None else object_pk
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=str(instance)[:MAX_REPR_LENGTH],
        action=int(action),
        changes=changes,
        actor=who,
        actor_email=getattr(who, "email", None) if who is not None else None,
        remote_addr=remote_addr or None,
        additional_data=data or None,
    )


def create_record(
    *, actor: Any | None, instance: models.Model, project_id: int | None, **options: Any
) -> LogEntry | None:
    """Shorthand: ``instance`` was just created (every field from nothing)."""
    return change_record(
        actor=actor,
        instance=instance,
        action=ChangeAction.CREATE,
        before=None,
        after=snapshot(instance),
        project_id=project_id,
        **options,
    )


def update_record(
    *, actor: Any | None, instance: models.Model, before: Snapshot, project_id: int | None, **options: Any
) -> LogEntry | None:
    """Shorthand: ``instance`` (saved) was ``before`` (a snapshot taken before the write)."""
    return change_record(
        actor=actor,
        instance=instance,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(instance, fields=before.keys()),
        project_id=project_id,
        **options,
    )


def delete_record(
    *, actor: Any | None, instance: models.Model, before: Snapshot, project_id: int | None, **options: Any
) -> LogEntry | None:
    """Shorthand: ``instance`` (as ``before`` says) was deleted. Pass the pk it had."""
    return change_record(
        actor=actor,
        instance=instance,
        action=ChangeAction.DELETE,
        before=before,
        after=None,
        project_id=project_id,
        **options,
    )
