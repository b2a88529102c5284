"""The activity feed: what the members I follow did, newest first.

A read-time merge: for each source (ratings, comments, list reactions) the newest
`per_page + 1` visible rows by followed members older than the cursor, each source one
query whose followed-member condition is a subquery (so the query count and the
parameters sent stay the same at 10,000 follows); the rows are merged in Python and the
page ends at the `before` cursor of its last row. Members with a private diary are left
out, as are their rows.

Reading all of every followed member's rows to sort them costs what they add up to
(500 follows: 25,000 ratings for one page), so a first query finds a `floor` time the
page lies at or after: for each followed member their newest visible rating (one step
down the (member, rated_at, work) index), and the `per_page + 1`-th newest of these.
That many visible activities are at or after the floor, so the page's rows are too, in
every source; each source then reads only its rows from the floor on, a short range of
its (member, time) index per followed member. Once `per_page + 1` rows are merged, the
last of them is the next source's floor; with fewer raters than that, a source finds
its own floor the same way (a subquery), and without one reads all its rows. Four
queries, however many members are followed.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from heapq import merge
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import DateTimeField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from comments.models import Comment
from kcry_site.accounts.models import Follow
from votes.models import ListReaction, Rating


@dataclass
class Activity:
    kind: str  # "rating", "comment" or "reaction"
    at: datetime
    member: str  # the username of who did it
    row: dict  # the source's `fields` and "pk" (values(): no model instances to build)


@dataclass(frozen=True)
class Source:
    kind: str
    model: type
    member: str  # the field naming who did it
    time: str  # the field the feed orders by
    visible: Q  # the rows anyone may see in a feed
    fields: tuple  # what the page shows (read with values())


SOURCES = [
    Source(
        "rating",
        Rating,
        "member",
        "rated_at",
        Q(work__is_published=True),
        ("rated_at", "tears", "member__username", "work__title", "work__slug"),
    ),
    Source(
        "comment",
        Comment,
        "author",
        "created",
        Q(is_public=True, is_removed=False)
        & (Q(work__is_published=True) | Q(editorial_list__is_published=True)),
        (
            "created",
            "body",
            "is_spoiler",
            "author__username",
            "work_id",
            "work__title",
            "editorial_list__title",
        ),
    ),
    Source(
        "reaction",
        ListReaction,
        "member",
        "created",
        Q(editorial_list__is_published=True),
        (
            "created",
            "reaction",
            "member__username",
            "editorial_list__title",
            "editorial_list__slug",
        ),
    ),
]


# Older than any row: the floor when too few followed members have one.
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)


def followed(member):
    """The follows of `member` whose followed member's activity may be shown."""
    return Follow.objects.filter(
        follower=member, followed__is_active=True, followed__diary_is_private=False
    )


def followed_ids(member):
    """A subquery of the members `member` follows whose activity may be shown."""
    return followed(member).values("followed_id")


def _older(source, before):
    return Q(**{f"{source.time}__lt": before}) if before is not None else Q()


def _floor(member, source, before, limit):
    """A subquery: the `limit`-th newest of the followed members' newest visible rows of
    `source` older than `before` (NULL when fewer than `limit` have one)."""
    newest = (
        source.model.objects.filter(
            source.visible,
            _older(source, before),
            **{f"{source.member}_id": OuterRef("followed_id")},
        )
        .order_by(f"-{source.time}")
        .values(source.time)[:1]
    )
    heads = (
        followed(member)
        .annotate(head=Subquery(newest, output_field=DateTimeField()))
        .order_by(F("head").desc(nulls_last=True))
        .values("head")[limit - 1 : limit]
    )
    return Coalesce(Subquery(heads), Value(EARLIEST), output_field=DateTimeField())


def _activities(source, rows):
    member = f"{source.member}__username"
    for row in rows:
        yield Activity(source.kind, row[source.time], row[member], row)


def activity_page(member, *, before=None, per_page=20):
    """(activities, next_before): one page older than `before` (a datetime or None)."""
    limit = per_page + 1
    ids = followed_ids(member)
    # The ratings' floor as a value of its own: PostgreSQL plans the read from it with
    # its value known (a subquery's is not, and it then reads all the followed rows).
    rating_floor = (
        get_user_model()
        .objects.filter(pk=member.pk)
        .values_list(_floor(member, SOURCES[0], before, limit), flat=True)
        .get()
    )
    merged = []
    for source in SOURCES:
        if source is SOURCES[0]:
            floor = rating_floor
        elif len(merged) == limit:
            # `limit` activities in hand: the page is at or after the last of them.
            floor = merged[-1].at
        else:
            floor = _floor(member, source, before, limit)
        rows = (
            source.model.objects.filter(
                source.visible,
                _older(source, before),
                **{f"{source.time}__gte": floor, f"{source.member}__in": ids},
            )
            .order_by(f"-{source.time}", "-pk")
            .values("pk", *source.fields)[:limit]
        )
        merged = list(
            islice(
                merge(merged, _activities(source, rows), key=lambda a: a.at, reverse=True), limit
            )
        )
    page, more = merged[:per_page], len(merged) > per_page
    return page, (page[-1].at if more and page else None)
