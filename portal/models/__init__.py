"""The portal layer's models: people (users), invitations and the legal pages."""

from .invitations import *  # noqa: F403
from .legal import LegalText, PrivacyAcceptance, PrivacyNotice
from .users import User, UserManager

__all__ = ["LegalText", "PrivacyAcceptance", "PrivacyNotice", "User", "UserManager"]
