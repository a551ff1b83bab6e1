"""Models of the audit trail (see audit/__init__.py)."""
