"""The portal layer's models: people (users), invitations, the legal pages and API tokens."""

from .api_tokens import ApiToken
from .invitations import *  # noqa: F403
from .legal import LegalText, PrivacyAcceptance, PrivacyNotice
from .users import User, UserManager

__all__ = ["ApiToken", "LegalText", "PrivacyAcceptance", "PrivacyNotice", "User", "UserManager"]
