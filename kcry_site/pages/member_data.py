"""A member's own data across the apps: ratings and reactions (votes), comments.

This lives in the project because it mixes apps that must not import each other.
The rows are plain values: `votes.exporting.csv_response` turns them into a CSV
download (UTF-8 with BOM, formula-safe), and `everything` gathers them as one JSON
document.
"""

from django.utils import timezone

from comments.models import Comment
from votes import exporting
from votes.models import ListReaction, Rating, WatchlistEntry

COMMENT_FIELDS = [
    "id",
    "on",
    "target",
    "target_title",
    "reply_to",
    "body",
    "spoiler",
    "moment",
    "status",
    "me_too",
    "created",
    "edited",
    "url",
]


def comment_rows(member):
    """Every comment the member wrote that still has text, newest first.

    Comments hidden by moderators are included (marked), since they are still the
    member's; ones the member deleted have no text left and are not.
    """
    comments = (
        Comment.objects.filter(author=member, is_removed=False)
        .select_related("work", "editorial_list")
        .order_by("-created", "-pk")
    )
    for comment in comments.iterator(chunk_size=500):
        target = comment.target
        yield {
            "id": comment.pk,
            "on": "work" if comment.work_id else "list",
            "target": target.slug,
            "target_title": target.title,
            "reply_to": comment.parent_id,
            "body": comment.body,
            "spoiler": comment.is_spoiler,
            "moment": comment.moment_display or None,
            "status": "visible" if comment.is_public else "hidden by moderators",
            "me_too": comment.metoo_count,
            "created": exporting.local_iso(comment.created),
            "edited": exporting.local_iso(comment.edited_at),
            # An unpublished work or list has no page: no link that would lead to a 404.
            "url": comment.get_absolute_url() if target.is_published else None,
        }


WATCHLIST_FIELDS = ["work", "work_title", "added", "url"]


def watchlist_rows(member):
    """The works on the member's watchlist, newest first."""
    entries = WatchlistEntry.objects.filter(member=member).select_related("work")
    for entry in entries.order_by("-added", "-pk").iterator(chunk_size=500):
        yield {
            "work": entry.work.slug,
            "work_title": entry.work.title,
            "added": exporting.local_iso(entry.added),
            "url": entry.work.get_absolute_url(),
        }


FILES = {
    # name in the URL: (header, rows of a member)
    "ratings": (exporting.RATING_FIELDS, exporting.rating_rows),
    "comments": (COMMENT_FIELDS, comment_rows),
    "reactions": (exporting.REACTION_FIELDS, exporting.reaction_rows),
    "watchlist": (WATCHLIST_FIELDS, watchlist_rows),
}


def csv_download(member, name):
    """The CSV attachment for one of FILES."""
    fields, rows = FILES[name]
    return exporting.csv_response(exporting.export_filename(member, name), fields, rows(member))


def everything(member):
    """All of the member's data as one JSON-ready dict."""
    return {
        "member": member.get_username(),
        "exported_at": timezone.localtime().isoformat(),
        "ratings": list(exporting.rating_rows(member)),
        "comments": list(comment_rows(member)),
        "reactions": list(exporting.reaction_rows(member)),
        "watchlist": list(watchlist_rows(member)),
    }


def counts(member):
    """How many of each the member has, for the data page."""
    return {
        "ratings": Rating.objects.filter(member=member).count(),
        "comments": Comment.objects.filter(author=member, is_removed=False).count(),
        "reactions": ListReaction.objects.filter(member=member).count(),
        "watchlist": WatchlistEntry.objects.filter(member=member).count(),
    }
