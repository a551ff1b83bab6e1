"""Pages of lists: numbered pages for the small lists, a cursor for meetings.

Meetings grow without end (every community meets every month); a cursor keeps each page one
indexed query however deep the caller reads, and pages do not shift when meetings are added.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination


class NumberedPages(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class MeetingCursor(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    # The calendar's order: soonest first.
    ordering = ("starts_at", "id")
