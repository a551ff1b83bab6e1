"""Invitations to a project role or a community (written in the invitations work)."""
