"""calendar pages."""
