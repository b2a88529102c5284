"""The activity feed: what the members I follow did, newest first.

A read-time merge: for each source (ratings, comments, list reactions) the newest
`per_page + 1` rows by followed members older than the cursor, each source one query
whose followed-member condition is a subquery (so the query count and the parameters
sent stay the same at 10,000 follows) and which reads the source's (member, time)
index; the rows are merged in Python and the page ends at the `before` cursor of its
last row. Members with a private diary are left out, as are their rows.
"""

from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from itertools import islice

from django.db.models import Q

from comments.models import Comment
from kcry_site.accounts.models import Follow
from votes.models import ListReaction, Rating


@dataclass
class Activity:
    kind: str  # "rating", "comment" or "reaction"
    at: datetime
    member: object
    row: object


def followed_ids(member):
    """A subquery of the members `member` follows whose activity may be shown."""
    return Follow.objects.filter(
        follower=member, followed__is_active=True, followed__diary_is_private=False
    ).values("followed_id")


def activity_page(member, *, before=None, per_page=20):
    """(activities, next_before): one page older than `before` (a datetime or None)."""
    ids = followed_ids(member)
    limit = per_page + 1

    def older(field):
        return Q(**{f"{field}__lt": before}) if before is not None else Q()

    ratings = (
        Rating.objects.filter(older("rated_at"), member__in=ids, work__is_published=True)
        .select_related("member", "work")
        .order_by("-rated_at", "-pk")[:limit]
    )
    comments = (
        Comment.objects.visible()
        .filter(older("created"), author__in=ids)
        .filter(Q(work__is_published=True) | Q(editorial_list__is_published=True))
        .select_related("author", "work", "editorial_list")
        .order_by("-created", "-pk")[:limit]
    )
    reactions = (
        ListReaction.objects.filter(
            older("created"), member__in=ids, editorial_list__is_published=True
        )
        .select_related("member", "editorial_list")
        .order_by("-created", "-pk")[:limit]
    )
    streams = [
        (Activity("rating", row.rated_at, row.member, row) for row in ratings),
        (Activity("comment", row.created, row.author, row) for row in comments),
        (Activity("reaction", row.created, row.member, row) for row in reactions),
    ]
    merged = list(islice(merge(*streams, key=lambda a: a.at, reverse=True), limit))
    page, more = merged[:per_page], len(merged) > per_page
    return page, (page[-1].at if more and page else None)
