"""The portal layer's models: people (users) and invitations."""

from .invitations import *  # noqa: F401,F403
from .users import User, UserManager

__all__ = ["User", "UserManager"]
