"""Template help for a project's consortium figures (projects.selectors.ConsortiumFigures)."""

from django import template

from projects.models import Project
from projects.selectors import ConsortiumFigures

register = template.Library()


@register.filter
def consortium_figures(project: Project) -> ConsortiumFigures:
    """The figures of a project read through ``with_consortium_figures``.

    Usage: ``{{ project|consortium_figures }}`` gives "12 partners + 13 associated partners,
    8 countries (1 partner, 1 country recorded here)".
    """
    return ConsortiumFigures.of(project)
