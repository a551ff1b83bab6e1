"""Pages of lists: numbered pages for the small lists, a cursor for meetings.

Meetings grow without end (every community meets every month); a cursor keeps each page one
indexed query however deep the caller reads, and pages do not shift when meetings are added.
A page size that is not a whole number from 1 to 100 is refused (400), not silently replaced.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 100


class _StrictPageSize:
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        try:
            size = int(given)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size or str(size) != given.strip():
            message = gettext("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class NumberedPages(_StrictPageSize, PageNumberPagination):
    def get_page_number(self, request, paginator) -> str:
        # DRF reads an empty ?page= as the first page; a page is a whole number from 1, else 400.
        given = request.query_params.get(self.page_query_param)
        if given is not None and not (given.isascii() and given.isdigit() and int(given) >= 1):
            raise ValidationError({self.page_query_param: [gettext("A whole number from 1.")]})
        return given or "1"

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


class MeetingCursor(_StrictPageSize, CursorPagination):
    # The calendar's order: soonest first.
    ordering = ("starts_at", "id")
