"""Pagination read when the page is rendered, not when the view builds its context.

A list whose rows sit in a fragment (portal/fragments.py) is rendered only on a miss; on a
hit the page needs neither the rows nor their count. ListView counts the rows as soon as it
builds the context (to check the page number); here the page, its rows and the count are
read on first use, inside the fragment. A page number out of range still answers 404: the
error is raised while rendering, before anything is sent or kept.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


class LazyPaginationMixin:
    """For ListView and FilterView: ``page_obj``, ``is_paginated`` and the rows are lazy."""

    page_kwarg: str
    kwargs: dict[str, Any]
    request: Any

    def rows(self, queryset: Any) -> Any:
        """The queryset the page's rows come from: add what only the rows need (counts in
        subqueries) here, so that building it costs nothing on a hit."""
        return queryset

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, Any, Any, Any]:
        paginator = SimpleLazyObject(
            lambda: self.get_paginator(  # type: ignore[attr-defined]
                self.rows(queryset),
                page_size,
                orphans=self.get_paginate_orphans(),  # type: ignore[attr-defined]
                allow_empty_first_page=self.get_allow_empty(),  # type: ignore[attr-defined]
            )
        )
        number = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        page = SimpleLazyObject(lambda: page_or_404(paginator, number))
        return (
            paginator,
            page,
            SimpleLazyObject(lambda: page.object_list),
            SimpleLazyObject(lambda: page.has_other_pages()),
        )


def page_or_404(paginator: Paginator, number: int | str) -> Page:
    """Django's MultipleObjectMixin.paginate_queryset, the page look-up: 404 for a bad number."""
    try:
        page_number = int(number)
    except ValueError:
        if number != "last":
            raise Http404(_("Page is not “last”, nor can it be converted to an int.")) from None
        page_number = paginator.num_pages
    try:
        return paginator.page(page_number)
    except InvalidPage as error:
        raise Http404(
            _("Invalid page (%(page_number)s): %(message)s") % {"page_number": page_number, "message": str(error)}
        ) from error
