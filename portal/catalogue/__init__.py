"""catalogue pages."""
