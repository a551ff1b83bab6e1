"""Counting database queries: the one helper the suite's query-count tests share.

A page's query count must not grow with its rows (an N+1 shows up as a count that does).
The tests render a page with few rows, add many, render it again and compare the counts;
pytest-django's ``django_assert_num_queries`` fixture compares with a fixed number.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext


def queries() -> CaptureQueriesContext:
    """``with queries() as captured:``; ``len(captured)`` is the number of queries in the block."""
    return CaptureQueriesContext(connection)


def get_with_queries(client, url: str, **extra) -> tuple[HttpResponse, int]:
    """GET ``url`` and say how many queries it took, whatever the answer."""
    with queries() as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def count_queries(client, url: str, **extra) -> int:
    """How many queries a GET of ``url`` takes; the page must answer 200."""
    response, count = get_with_queries(client, url, **extra)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return count


def assert_no_more_queries(few: CaptureQueriesContext, many: CaptureQueriesContext) -> None:
    """The second block ran as many queries as the first; else the message shows the extra SQL."""
    extra = [query["sql"] for query in many.captured_queries[len(few) :]]
    assert len(many) == len(few), "\n\n".join(extra)
