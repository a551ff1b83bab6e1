"""The portal layer's models: people (users) and invitations."""

from .invitations import *  # noqa: F403
from .users import User, UserManager

__all__ = ["User", "UserManager"]
