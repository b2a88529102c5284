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

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@dataclass
class Activity:
    kind: str  # "rating", "comment" or "reaction"
    at: datetime
    member: str  # the username of who did it
    row: dict  # the columns the page shows, by the names kcry_site/inbox/rows.py reads


@dataclass(frozen=True)
class Source:
    """One kind of activity, as SQL: the row is `s` in `tables` (with what the page shows
    and what `visible` needs joined), `columns` what the page shows (the acting member
    joined as `u`), `visible` the rows anyone may see in a feed."""

    kind: str
    time: str  # the column the feed orders by, as s.<time>
    member: str  # the column naming who did it, as s.<member>
    columns: str
    tables: str
    visible: str

    def select(self, *, before, floor):
        """The newest `limit` visible rows by followed members at or after the floor
        (`floor`: SQL for it), older than the cursor when there is one."""
        older = f"AND s.{self.time} < %(before)s" if before else ""
        # Joined through the follow (one per pair): `u` is the followed member, read
        # by key for the 500 followed rather than matched against every member.
        return (
            f"SELECT {self.columns} FROM {self.tables} "
            f"JOIN accounts_follow f ON f.followed_id = s.{self.member} "
            "AND f.follower_id = %(member)s "
            "JOIN accounts_user u ON u.id = f.followed_id "
            f"WHERE u.is_active AND NOT u.diary_is_private AND {self.visible} "
            f"AND s.{self.time} >= {floor} {older} "
            f"ORDER BY s.{self.time} DESC, s.id DESC LIMIT %(limit)s"
        )

    def floor(self, *, before):
        """SQL for the `limit`-th newest of the followed members' newest visible rows
        older than the cursor (the earliest time when fewer than `limit` have one): each
        followed member's newest is one step down the source's (member, time) index."""
        older = f"AND s.{self.time} < %(before)s" if before else ""
        newest = (
            f"SELECT s.{self.time} FROM {self.tables} "
            f"WHERE s.{self.member} = f.followed_id AND {self.visible} {older} "
            f"ORDER BY s.{self.time} DESC LIMIT 1"
        )
        return (
            f"COALESCE((SELECT heads.head FROM (SELECT ({newest}) AS head {FOLLOWS}) heads "
            "ORDER BY heads.head DESC NULLS LAST LIMIT 1 OFFSET %(skip)s), %(earliest)s)"
        )


# The follows whose followed member's activity may be shown (active, diary not private).
FOLLOWS = (
    "FROM accounts_follow f JOIN accounts_user fu ON fu.id = f.followed_id "
    "WHERE f.follower_id = %(member)s AND fu.is_active AND NOT fu.diary_is_private"
)

SOURCES = [
    Source(
        "rating",
        time="rated_at",
        member="member_id",
        columns=(
            's.id AS "pk", s.rated_at AS "rated_at", s.tears AS "tears", '
            'u.username AS "username", w.title AS "work__title", w.slug AS "work__slug"'
        ),
        tables="votes_rating s JOIN catalog_work w ON w.id = s.work_id",
        visible="w.is_published",
    ),
    Source(
        "comment",
        time="created",
        member="author_id",
        columns=(
            's.id AS "pk", s.created AS "created", s.body AS "body", '
            's.is_spoiler AS "is_spoiler", u.username AS "username", '
            's.work_id AS "work_id", w.title AS "work__title", l.title AS "editorial_list__title"'
        ),
        tables=(
            "comments_comment s LEFT JOIN catalog_work w ON w.id = s.work_id "
            "LEFT JOIN catalog_editoriallist l ON l.id = s.editorial_list_id"
        ),
        # As Comment.objects.visible(), on a published work or list.
        visible=(
            "s.is_public AND NOT s.is_removed "
            "AND (w.is_published IS TRUE OR l.is_published IS TRUE)"
        ),
    ),
    Source(
        "reaction",
        time="created",
        member="member_id",
        columns=(
            's.id AS "pk", s.created AS "created", s.reaction AS "reaction", '
            'u.username AS "username", l.title AS "editorial_list__title", '
            'l.slug AS "editorial_list__slug"'
        ),
        tables="votes_listreaction s JOIN catalog_editoriallist l ON l.id = s.editorial_list_id",
        visible="l.is_published",
    ),
]

# Older than any row: the floor when too few followed members have one.
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)


def _read(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _time(value):
    """A time as the database hands it back, made aware (SQLite's are naive UTC, and
    text where the column is computed, as the floor is)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)
    return value


def activity_page(member, *, before=None, per_page=20):
    """(activities, next_before): one page older than `before` (a datetime or None).

    The reads are written in SQL (the same on SQLite and PostgreSQL): built by the ORM,
    their nested subqueries cost more to compose than to run.
    """
    limit = per_page + 1
    adapt = connection.ops.adapt_datetimefield_value
    params = {
        "member": member.pk,
        "before": adapt(before),
        "limit": limit,
        "skip": limit - 1,
        "earliest": adapt(EARLIEST),
    }
    ratings = SOURCES[0]
    # The ratings' floor as a value of its own: PostgreSQL plans the read from it with
    # its value known (a subquery's is not, and it then reads all the followed rows).
    floor_sql = ratings.floor(before=before)
    (found,) = _read(f"SELECT {floor_sql} AS floor", params)
    rating_floor = _time(found["floor"])
    merged = []
    for source in SOURCES:
        if source is ratings:
            floor, floor_sql = rating_floor, "%(floor)s"
        elif len(merged) == limit:
            # `limit` activities in hand: the page is at or after the last of them.
            floor, floor_sql = merged[-1].at, "%(floor)s"
        else:
            floor, floor_sql = None, source.floor(before=before)
        rows = _read(
            source.select(before=before, floor=floor_sql), {**params, "floor": adapt(floor)}
        )
        activities = (
            Activity(source.kind, _time(row[source.time]), row["username"], row) for row in rows
        )
        merged = list(islice(merge(merged, activities, key=lambda a: a.at, reverse=True), limit))
    page, more = merged[:per_page], len(merged) > per_page
    return page, (page[-1].at if more and page else None)
