"""RSS and Atom feeds of what is new in the catalog: works and editorial lists.

Titles, blurbs and names are plain text typed by staff and members. Feed readers render
RSS titles and descriptions and Atom summaries (type="html") as HTML, so the feed
formats below escape what goes into those; Atom titles are text and go out as typed.
Feeds return SafeString (e.g. format_html) for HTML of their own making.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from .models import EditorialList, Work

FEED_ITEMS = 30


def _as_html(value):
    return None if value is None else conditional_escape(value)


class EscapedRssFeed(Rss201rev2Feed):
    """RSS whose titles and descriptions (channel and items) are escaped HTML."""

    def __init__(self, title, link, description, **kwargs):
        super().__init__(_as_html(title), link, _as_html(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        super().add_item(_as_html(title), link, _as_html(description), **kwargs)


class EscapedAtomFeed(Atom1Feed):
    """Atom whose summaries (type="html") are escaped; titles stay text, as Atom says."""

    def add_item(self, title, link, description, **kwargs):
        super().add_item(title, link, _as_html(description), **kwargs)


# Titles and descriptions are lazy: Feed reads them per request, in the visitor's language.
class NewWorksFeed(Feed):
    feed_type = EscapedRssFeed
    title = _("kcry: new works")
    description = _("Korean music videos, songs, films and dramas newly added to kcry.")

    def link(self):
        return reverse("catalog:works")

    def feed_url(self):
        return reverse("catalog:feed-works")

    def items(self):
        return Work.objects.published().with_artists().order_by("-created", "-pk")[:FEED_ITEMS]

    def item_title(self, work):
        title = f"{work.title} ({work.title_ko})" if work.title_ko else work.title
        return f"{title} – {work.get_kind_display()}"

    def item_description(self, work):
        people = ", ".join(credit.person.name for credit in work.headline_credits)
        facts = " · ".join(str(part) for part in (people, work.year) if part)
        return f"{facts}\n\n{work.blurb}".strip() if work.blurb else facts

    def item_pubdate(self, work):
        return work.created

    def item_updateddate(self, work):
        return work.updated

    def item_categories(self, work):
        return [work.get_kind_display()]


class NewWorksAtomFeed(NewWorksFeed):
    feed_type = EscapedAtomFeed
    subtitle = NewWorksFeed.description

    def feed_url(self):
        return reverse("catalog:feed-works-atom")


class NewListsFeed(Feed):
    feed_type = EscapedRssFeed
    title = _("kcry: new lists")
    description = _("Editorial lists of the saddest Korean works, newest first.")

    def link(self):
        return reverse("catalog:lists")

    def feed_url(self):
        return reverse("catalog:feed-lists")

    def items(self):
        return EditorialList.objects.published().order_by("-created", "-pk")[:FEED_ITEMS]

    def item_title(self, editorial_list):
        return editorial_list.title

    def item_description(self, editorial_list):
        return editorial_list.intro

    def item_pubdate(self, editorial_list):
        return editorial_list.created

    def item_updateddate(self, editorial_list):
        return editorial_list.updated


class NewListsAtomFeed(NewListsFeed):
    feed_type = EscapedAtomFeed
    subtitle = NewListsFeed.description

    def feed_url(self):
        return reverse("catalog:feed-lists-atom")
