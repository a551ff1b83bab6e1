"""Who may do what with organisations and contacts.

Organisations form one directory shared by every project, so changing one changes it
for all of them: only the platform admin does that. Staff (coordinators) may add new
organisations and pick existing ones.
"""

from __future__ import annotations

from typing import Any

from .models import Contact, Organisation


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


def can_view_organisation(user: Any, organisation: Organisation | None = None) -> bool:
    return True


def can_add_organisation(user: Any) -> bool:
    return _is_staff(user)


def can_change_organisation(user: Any, organisation: Organisation | None = None) -> bool:
    return _is_admin(user)


def can_delete_organisation(user: Any, organisation: Organisation | None = None) -> bool:
    return _is_admin(user)


def can_change_contact(user: Any, contact: Contact | None = None) -> bool:
    # Contacts are personal data (e-mail, phone); an organisation on a profile is only a
    # claim, so it grants nothing. The platform admin manages them, and alone sees them.
    return _is_admin(user)
