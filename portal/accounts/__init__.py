"""Accounts: sign-up with the privacy notice, login abuse protection, the profile."""
