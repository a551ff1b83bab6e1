"""directory pages."""
