"""The audit trail: who changed what (django-auditlog's change log, written by the domain's
services and the admin) and who looked at someone else's personal data.

It sits just above the outbox: it knows users, content types and ids, nothing of the domain,
so every app above may write to it.
"""
