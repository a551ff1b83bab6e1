"""RSS and Atom feeds of the public updates of public projects."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from projects.illustrative import with_illustrative_text
from projects.models import Update

from . import selectors


class UpdatesFeed(Feed):
    title = _("Project updates")
    description = _("News and press mentions of the public projects in the consortium portal.")

    def link(self) -> str:
        return reverse("home")

    def items(self):
        return selectors.public_updates(20)

    def item_title(self, item: Update) -> str:
        return f"{item.project.acronym}: {item.display_title}"

    def item_description(self, item: Update) -> str:
        # Feed readers render an item's description (RSS) and summary (Atom, type="html") as
        # HTML. A news text is plain text written by a coordinator, so it is escaped here and
        # its paragraphs become <p>: markup in it arrives as visible text, never as markup.
        # An invented date or text carries its note in the feed too: readers see no page around it.
        return linebreaks(with_illustrative_text(str(item.display_body or ""), item), autoescape=True)

    def item_link(self, item: Update) -> str:
        return reverse("catalogue:detail", args=[item.project.slug])

    def item_guid(self, item: Update) -> str:
        # Updates of one project share its link; without an own id, readers would merge them.
        return f"{self.item_link(item)}#update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Update) -> dt.datetime:
        # Updates carry a day only; noon Berlin time keeps the day the same in every reader.
        return timezone.make_aware(dt.datetime.combine(item.published_on, dt.time(12)))

    def item_updateddate(self, item: Update) -> dt.datetime:
        return self.item_pubdate(item)

    def item_categories(self, item: Update) -> list[str]:
        return [str(item.get_kind_display())]


class AtomUpdatesFeed(UpdatesFeed):
    feed_type = Atom1Feed
    subtitle = UpdatesFeed.description
