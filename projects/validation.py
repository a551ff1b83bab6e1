"""Model validation for services: the database's rules as form errors, on the right field.

``Model.full_clean()`` reports a failed constraint that spans several fields (end ≥ start,
a code unique per project) as a non-field error, so a form would show it at the top,
away from the field the person has to change. These helpers put each constraint's
message on the field it is about, and turn the IntegrityError of a lost race (two
people saving the same code at the same moment) into the same ValidationError.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

# A race lost to a rule we cannot name from the database's message.
CONFLICT_MESSAGE = _("Someone else saved a conflicting change a moment ago. Check the values and save again.")


def full_clean_on_fields(instance: models.Model, *, constraint_fields: Mapping[str, str]) -> None:
    """``instance.full_clean()``, with each failed constraint reported on its field.

    ``constraint_fields`` maps a constraint's name to the form field its message belongs
    to; constraints not named there stay non-field errors. Raises ValidationError.
    """
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # As full_clean does: a field that is already wrong is left out of the constraints,
    # which would only repeat its error or compare against an invalid value.
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    for constraint in instance._meta.constraints:
        try:
            constraint.validate(type(instance), instance, exclude=exclude)
        except ValidationError as error:
            field = constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
            errors.setdefault(field, []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def integrity_error_as_validation_error(
    error: IntegrityError, model: type[models.Model], *, constraint_fields: Mapping[str, str]
) -> ValidationError:
    """The ValidationError a form can show for a constraint the database enforced after all.

    full_clean() ran before the save, so this happens only when another request wrote a
    conflicting row in between; the database names the constraint in its message.
    """
    text = str(error)
    for constraint in model._meta.constraints:
        if constraint.name in text:
            field = constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
            return ValidationError({field: [constraint.get_violation_error_message()]})
    return ValidationError({NON_FIELD_ERRORS: [ValidationError(CONFLICT_MESSAGE, code="conflict")]})


def save_validated(
    instance: models.Model, *, constraint_fields: Mapping[str, str], update_fields: Iterable[str] | None = None
) -> None:
    """Validate ``instance`` (full_clean_on_fields), then save it in a transaction.

    Raises ValidationError for bad values and for a race lost to a constraint; nothing is
    written then.
    """
    full_clean_on_fields(instance, constraint_fields=constraint_fields)
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError as error:
        raise integrity_error_as_validation_error(error, type(instance), constraint_fields=constraint_fields) from error


def values_of(details: Any) -> dict[str, Any]:
    """A details dataclass as keyword arguments.

    Not dataclasses.asdict(), which deep-copies every value, model instances included.
    """
    return {field.name: getattr(details, field.name) for field in fields(details)}
