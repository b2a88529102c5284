"""A work's comment thread as a feed (RSS 2.0 and Atom), newest comments first.

Only comments anyone may read are in it (public, not deleted). A spoiler's text is
never put in a feed: its item says so and links to the thread, where it opens on a
click. Bodies go out as the same escaped HTML the thread shows; titles and the rest
are escaped by catalog's feed formats wherever a reader takes them as HTML.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.feeds import EscapedAtomFeed, EscapedRssFeed
from catalog.models import Work

from .models import Comment
from .text import render_body

SPOILER_TEXT = gettext_lazy("Spoiler — open the thread to read")


def work_feed_urls(work):
    """(RSS URL, Atom URL) of a work's comment feed."""
    return (
        reverse("comments:work-feed", args=[work.slug]),
        reverse("comments:work-feed-atom", args=[work.slug]),
    )


class WorkCommentsFeed(Feed):
    feed_type = EscapedRssFeed

    def get_object(self, request, slug):
        return get_object_or_404(Work.objects.published(), slug=slug)

    def title(self, work):
        title = f"{work.title} ({work.title_ko})" if work.title_ko else work.title
        return _("Comments on %(title)s · kcry") % {"title": title}

    def link(self, work):
        return work.get_absolute_url() + "#comments"

    def description(self, work):
        return _("What kcry members say about %(title)s, newest first.") % {"title": work.title}

    def feed_url(self, work):
        return work_feed_urls(work)[0]

    def items(self, work):
        return (
            Comment.objects.on(work)
            .visible()
            .select_related("author")
            .order_by("-created", "-pk")[: settings.KCRY_COMMENT_FEED_ITEMS]
        )

    def _author(self, comment):
        return comment.author.get_username() if comment.author_id else _("a former member")

    def item_title(self, comment):
        reply = comment.parent_id is not None
        if comment.author_id:
            title = _("%(name)s replied") if reply else _("%(name)s commented")
            title %= {"name": comment.author.get_username()}
        else:
            # Whole sentences rather than a translated name: Korean writes 님 after a
            # member's name, which does not fit "a former member".
            title = _("A former member replied") if reply else _("A former member commented")
        if comment.is_spoiler:
            title = _("%(title)s (spoiler)") % {"title": title}
        return title

    def item_description(self, comment):
        if comment.is_spoiler:
            return format_html("<p><em>{}</em></p>", SPOILER_TEXT)
        moment = ""
        if comment.moment_display:
            tears_at = _("Tears at %(moment)s") % {"moment": comment.moment_display}
            moment = format_html("<p>{}</p>", tears_at)
        return format_html("{}<p>{}</p>", moment, render_body(comment.body))

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_author_name(self, comment):
        return self._author(comment)

    def item_pubdate(self, comment):
        return comment.created

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created


class WorkCommentsAtomFeed(WorkCommentsFeed):
    feed_type = EscapedAtomFeed

    def subtitle(self, work):
        return self.description(work)

    def feed_url(self, work):
        return work_feed_urls(work)[1]
