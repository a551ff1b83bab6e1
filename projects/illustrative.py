"""Values the demo invents where the sources are silent, and how they are marked.

A record's ``illustrative_note`` says which of its values are invented (a budget, an exact
day, a meeting time). Wherever such a record is shown, pages, feeds and PDFs alike, the
mark goes with it, so nobody mistakes an invented value for a sourced one.
"""

from django.utils.translation import gettext_lazy as _

ILLUSTRATIVE_HELP = _(
    "What in this record is illustrative rather than taken from a source "
    "(e.g. a budget or an exact day the sources do not give). Empty means every value is sourced."
)
