"""Search over projects, organisations, communities and meetings, within what a user may see.

PostgreSQL: full-text search in the language shown (``german``/``english``). The search
vector is taken from the model's own ``Meta.indexes`` entry, so the query uses exactly
the expression the GIN index was built on and the planner can use the index.
Other databases (SQLite, the embedded default): ``icontains`` over the same fields.

Each type costs one query (the rows up to the limit plus the total, via a window
count), so a search runs a constant number of queries whatever it finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import Count, F, Q, QuerySet, Window
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from events.models import Community, Meeting
from events.selectors.visibility import visible_communities, visible_meetings
from partners.models import Organisation
from projects.models import Project
from projects.selectors import visible_organisations, visible_projects

# Portal language → PostgreSQL text search configuration (and the index name suffix).
SEARCH_CONFIGS = {"de": "german", "en": "english"}
DEFAULT_LANGUAGE = "en"
PER_TYPE_LIMIT = 10
MAX_QUERY_LENGTH = 200
# Words shorter than this match almost everything in the icontains fallback.
MIN_WORD_LENGTH = 2


@dataclass(frozen=True)
class SearchType:
    key: str
    label: Promise
    index_prefix: str
    model: type[models.Model]
    # The rows this user may see.
    visible: Callable[[object], QuerySet]
    order_by: tuple[str, ...]


@dataclass
class SearchGroup:
    key: str
    label: Promise
    results: list[models.Model] = field(default_factory=list)
    count: int = 0


SEARCH_TYPES: tuple[SearchType, ...] = (
    SearchType("projects", _("Projects"), "project", Project, visible_projects, ("acronym", "pk")),
    SearchType(
        "organisations",
        _("Organisations"),
        "organisation",
        Organisation,
        # Only organisations with a page the user may open: one working only in private
        # projects stays unknown outside them, as in the directory.
        lambda user: visible_organisations(user, placed_only=True),
        ("name", "pk"),
    ),
    SearchType(
        "communities", _("Communities of practice"), "community", Community, visible_communities, ("name", "pk")
    ),
    SearchType("meetings", _("Meetings"), "meeting", Meeting, visible_meetings, ("-starts_at", "pk")),
)


def search_config(language: str | None) -> str:
    return SEARCH_CONFIGS.get((language or "")[:2], SEARCH_CONFIGS[DEFAULT_LANGUAGE])


def index_name(search_type: SearchType, language: str | None) -> str:
    code = (language or "")[:2]
    return f"{search_type.index_prefix}_search_{code if code in SEARCH_CONFIGS else DEFAULT_LANGUAGE}"


def search_vector(model: type[models.Model], name: str):
    """The expression of the model's full-text index ``name``: the single source of truth."""
    for index in model._meta.indexes:
        if index.name == name:
            return index.expressions[0]
    raise LookupError(f"{model._meta.label} has no index {name!r}")


def _field_names(expression) -> Iterator[str]:
    if isinstance(expression, F):
        yield expression.name
        return
    for source in expression.get_source_expressions():
        if source is not None:
            yield from _field_names(source)


def searched_fields(model: type[models.Model], language: str | None = None) -> list[str]:
    """The fields the full-text index covers, for the fallback to search the same ones."""
    prefix = {t.index_prefix for t in SEARCH_TYPES if t.model is model}.pop()
    name = f"{prefix}_search_{(language or DEFAULT_LANGUAGE)[:2]}"
    return list(dict.fromkeys(_field_names(search_vector(model, name))))


def normalise_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def _full_text(queryset: QuerySet, search_type: SearchType, query: str, language: str | None) -> QuerySet:
    vector = search_vector(queryset.model, index_name(search_type, language))
    search_query = SearchQuery(query, config=search_config(language), search_type="websearch")
    # Django inlines the annotation into WHERE, so the condition is textually the indexed
    # expression and the GIN index applies.
    return (
        queryset.annotate(search=vector)
        .filter(search=search_query)
        .annotate(rank=SearchRank(F("search"), search_query))
        .order_by("-rank", *search_type.order_by)
    )


def _contains(queryset: QuerySet, query: str, language: str | None) -> QuerySet:
    fields = searched_fields(queryset.model, language)
    words = [word for word in query.split() if len(word) >= MIN_WORD_LENGTH] or query.split()
    # Every word must appear in some field, as PostgreSQL's websearch query requires.
    per_word = [reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)) for word in words]
    return queryset.filter(reduce(and_, per_word))


def search_queryset(search_type: SearchType, user, query: str, language: str | None) -> QuerySet:
    queryset = search_type.visible(user)
    if connection.vendor == "postgresql":
        return _full_text(queryset, search_type, query, language)
    return _contains(queryset, query, language).order_by(*search_type.order_by)


def search(user, raw_query: str | None, language: str | None, limit: int = PER_TYPE_LIMIT) -> list[SearchGroup]:
    """Per type, the best ``limit`` matches the user may see and how many there are in all."""
    query = normalise_query(raw_query)
    groups = []
    for search_type in SEARCH_TYPES:
        group = SearchGroup(search_type.key, search_type.label)
        if query:
            rows = list(
                search_queryset(search_type, user, query, language).annotate(total_matches=Window(Count("pk")))[:limit]
            )
            group.results = rows
            group.count = rows[0].total_matches if rows else 0
        groups.append(group)
    return groups
