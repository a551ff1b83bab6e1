"""Admin for invitations (registered from portal/admin.py)."""
