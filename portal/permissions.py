"""Who may manage people and their accounts."""

from __future__ import annotations

from typing import Any


def can_manage_users(user: Any) -> bool:
    """Accounts and their privileges (staff, superuser, groups): the platform admin only."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def can_change_user(user: Any, target: Any) -> bool:
    return can_manage_users(user)
