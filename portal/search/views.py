"""The search page: one form, results grouped by type."""

from django.utils.translation import get_language
from django.views.generic import TemplateView

from .selectors import MAX_QUERY_LENGTH, PER_TYPE_LIMIT, normalise_query, search


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = normalise_query(self.request.GET.get("q"))
        groups = search(self.request.user, query, get_language()) if query else []
        context.update(
            query=query,
            groups=groups,
            total=sum(group.count for group in groups),
            per_type_limit=PER_TYPE_LIMIT,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context
