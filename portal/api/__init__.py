"""The REST API under /api/v1/: the public data the pages show, as JSON.

The API has no rules of its own. Every list starts from the visibility selectors the pages
use, every detail is checked with the permission functions, and the figures (consortium
sizes, free seats) come from the same selectors as the pages.
"""
