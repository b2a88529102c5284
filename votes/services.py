"""Every write of the votes app: ratings, list reactions, tear marks, account deletion.

Each function validates, then works inside one transaction that also updates the stored
figures (`WorkStats`, `WorkDay`) with F() expressions, so a rating and the figures that
describe it commit or roll back together.

Concurrency: a rating write locks the member's rating row, then the work's figures row
(its UPDATE … RETURNING), then the day buckets, always in that order (on SQLite the
IMMEDIATE transaction mode serialises writers anyway), so writes to the same work queue
up while writes to different works proceed; the F() updates keep each change relative
to the committed value in any case.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F
from django.db.models.sql import UpdateQuery
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import EditorialList
from catalog.services import check_member, check_published_work
from catalog.text import format_moment

from .models import (
    TEAR_VALUES,
    ListReaction,
    ListReactionCounts,
    Rating,
    Reaction,
    TearBucket,
    TearMark,
    WatchlistEntry,
    WorkDay,
    WorkStats,
    score_expression,
)
from .stats import current_baseline, refresh_scores_if_stale, rising_since


def _check_tears(tears):
    if isinstance(tears, bool) or not isinstance(tears, int) or tears not in TEAR_VALUES:
        raise ValidationError(
            _("A tear rating is a whole number of tissues from 0 to 5."), code="tears_range"
        )


STATS_COLUMNS = ("n", "total", "c0", "c1", "c2", "c3", "c4", "c5", "score")


def _update_returning(queryset, columns, **changes):
    """queryset.update(**changes) as one UPDATE … RETURNING `columns`: the first row, or None."""
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(changes)
    sql, params = query.get_compiler(queryset.db).as_sql()
    quote = connections[queryset.db].ops.quote_name
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {', '.join(map(quote, columns))}", params)
        return cursor.fetchone()


def _change_figures(work_id, *, taken=None, added=None):
    """Take rating value `taken` out of the work's figures and/or put `added` in; return
    the figures as this change left them (a WorkStats, not read again).

    One UPDATE … RETURNING changes the count, sum, histogram and score together and hands
    back the row: F() keeps each change relative to the stored value, and SQL computes
    the new score from the row's old columns plus the change (SET expressions all read
    the row as it was). The UPDATE also locks the row until the transaction ends, which
    serialises the per-day buckets below. A work without a figures row gets one first.
    """
    changes = {}
    n_delta = total_delta = 0
    for value, sign in ((taken, -1), (added, +1)):
        if value is None:
            continue
        n_delta += sign
        total_delta += sign * value
        column = f"c{value}"
        changes[column] = changes.get(column, 0) + sign
    baseline = current_baseline()
    update = {column: F(column) + delta for column, delta in changes.items() if delta}
    values = dict(
        n=F("n") + n_delta,
        total=F("total") + total_delta,
        score=score_expression(
            mean=baseline.mean, weight=baseline.weight, n_delta=n_delta, total_delta=total_delta
        ),
        **update,
    )
    row = _update_returning(WorkStats.objects.filter(pk=work_id), STATS_COLUMNS, **values)
    if row is None:
        WorkStats.objects.get_or_create(work_id=work_id)
        row = _update_returning(WorkStats.objects.filter(pk=work_id), STATS_COLUMNS, **values)
    if baseline.stale:
        transaction.on_commit(refresh_scores_if_stale)
    return WorkStats(work_id=work_id, **dict(zip(STATS_COLUMNS, row, strict=True)))


def _change_days(work_id, *, taken=None, added=None):
    """The per-day buckets: `taken` and `added` are (tears, rated_at) or None.

    Runs after `_change_figures`, whose UPDATE holds the figures row's lock, so two
    first ratings of a day for one work cannot both insert its bucket.
    """
    buckets = {}
    for rating, sign in ((taken, -1), (added, +1)):
        if rating is None:
            continue
        tears, when = rating
        n, total = buckets.get(timezone.localdate(when), (0, 0))
        buckets[timezone.localdate(when)] = (n + sign, total + sign * tears)
    for day, (n, total) in buckets.items():
        if not (n or total):
            continue
        changed = WorkDay.objects.filter(stats_id=work_id, day=day).update(
            n=F("n") + n, total=F("total") + total
        )
        # A missing bucket to take from was pruned (older than the rising window): fine.
        # A missing bucket to add to is new; the figures row lock makes this insert safe.
        # A work's first rating of the day also drops its buckets older than the window,
        # so the table stays a month deep without a scheduled job.
        if not changed and n > 0:
            WorkDay.objects.filter(stats_id=work_id, day__lt=rising_since()).delete()
            WorkDay.objects.create(stats_id=work_id, day=day, n=n, total=total)


# PostgreSQL: give or change a rating in one statement that also hands back the value it
# replaced. `old` locks the member's existing rating (FOR UPDATE waits for a concurrent
# change and then sees its result); the upsert changes it, or inserts a new one. When a
# concurrent first rating of the same work by the same member committed after this
# statement's snapshot, `old` is empty but the insert meets that row: the WHERE leaves it
# unchanged (though locked) and no row comes back, and the caller reads it afresh.
UPSERT_RATING = """
WITH old AS (
    SELECT tears, rated_at FROM votes_rating
    WHERE member_id = %(member)s AND work_id = %(work)s FOR UPDATE
)
INSERT INTO votes_rating AS r (member_id, work_id, tears, created, rated_at)
VALUES (%(member)s, %(work)s, %(tears)s, %(now)s, %(now)s)
ON CONFLICT (member_id, work_id) DO UPDATE
    SET tears = EXCLUDED.tears,
        rated_at = CASE WHEN r.tears = EXCLUDED.tears THEN r.rated_at ELSE EXCLUDED.rated_at END
    WHERE EXISTS (SELECT 1 FROM old)
RETURNING r.id, r.created, r.rated_at, (SELECT tears FROM old), (SELECT rated_at FROM old)
"""


def _upsert_rating(member, work, tears, now):
    """(rating, old tears or None, old rated_at or None), the rating row locked; or None
    when PostgreSQL's one-statement path does not apply."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT_RATING, {"member": member.pk, "work": work.pk, "tears": tears, "now": now}
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, created, rated_at, old_tears, old_rated_at = row
    rating = Rating(
        pk=pk, member=member, work=work, tears=tears, created=created, rated_at=rated_at
    )
    return rating, old_tears, old_rated_at


def _set_rating(member, work, tears, now):
    """The portable path: read the member's rating under a lock, then insert or update."""
    rating = Rating.objects.select_for_update().filter(member=member, work=work).first()
    if rating is None:
        fields = dict(member=member, work=work, tears=tears, created=now, rated_at=now)
        if connection.vendor == "sqlite":
            # SQLite's IMMEDIATE transactions let one writer in at a time: nobody else
            # can insert this rating between the read above and this insert.
            return Rating.objects.create(**fields), None, None
        try:
            with transaction.atomic():
                return Rating.objects.create(**fields), None, None
        except IntegrityError:
            # A double submission won the race: change that rating instead.
            rating = Rating.objects.select_for_update().get(member=member, work=work)
    old_tears, old_rated_at = rating.tears, rating.rated_at
    if rating.tears != tears:
        Rating.objects.filter(pk=rating.pk).update(tears=tears, rated_at=now)
        rating.tears, rating.rated_at = tears, now
    return rating, old_tears, old_rated_at


def rating_set(*, member, work, tears) -> Rating:
    """Give or change `member`'s tear rating of `work` (0-5 tissues).

    Afterwards `work.tear_stats` holds the work's figures as this write left them, so
    the caller can show them without reading them again.

    Locks are taken in one order everywhere (the member's rating, then the work's
    figures row, then its day buckets), so concurrent writes queue without deadlocks.
    """
    check_member(member)
    check_published_work(work)
    _check_tears(tears)
    with transaction.atomic():
        now = timezone.now()
        written = _upsert_rating(member, work, tears, now) or _set_rating(member, work, tears, now)
        rating, old_tears, old_rated_at = written
        if old_tears is None:
            work.tear_stats = _change_figures(work.pk, added=tears)
            _change_days(work.pk, added=(tears, now))
        elif old_tears != tears:
            work.tear_stats = _change_figures(work.pk, taken=old_tears, added=tears)
            _change_days(work.pk, taken=(old_tears, old_rated_at), added=(tears, now))
        else:
            work.tear_stats = WorkStats.objects.get(pk=work.pk)
        return rating


def _withdraw_locked(rating):
    """Take out a rating whose row this transaction has locked; returns the figures."""
    Rating.objects.filter(pk=rating.pk).delete()
    stats = _change_figures(rating.work_id, taken=rating.tears)
    _change_days(rating.work_id, taken=(rating.tears, rating.rated_at))
    return stats


def rating_withdraw(*, member, work) -> bool:
    """Remove `member`'s rating of `work`; False when there was none."""
    check_member(member)
    check_published_work(work)
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(member=member, work=work).first()
        if rating is None:
            return False
        work.tear_stats = _withdraw_locked(rating)
        return True


def rating_remove(rating):
    """Staff removal of a rating (admin). Unlike rating_withdraw it does not ask the
    member to be active: moderators remove a banned member's ratings too."""
    with transaction.atomic():
        locked = Rating.objects.select_for_update().filter(pk=rating.pk).first()
        if locked is not None:
            _withdraw_locked(locked)


def _count_reaction(list_id, reaction, sign):
    ListReactionCounts.objects.filter(pk=list_id).update(**{reaction: F(reaction) + sign})


def reaction_set(*, member, editorial_list, reaction) -> ListReaction | None:
    """Set `member`'s reaction to a list; an empty reaction removes it (returns None)."""
    check_member(member)
    if not isinstance(editorial_list, EditorialList) or not editorial_list.is_published:
        raise ValidationError(_("There is no such list."), code="unknown_list")
    reaction = reaction or ""
    if reaction and reaction not in Reaction.values:
        choices = ", ".join(Reaction.values)
        raise ValidationError(
            _("A reaction is one of: %(choices)s.") % {"choices": choices}, code="reaction_choice"
        )
    with transaction.atomic():
        # Lock the list's counts row first: reactions to one list queue up.
        if not ListReactionCounts.objects.select_for_update().filter(pk=editorial_list.pk).exists():
            ListReactionCounts.objects.get_or_create(editorial_list_id=editorial_list.pk)
            ListReactionCounts.objects.select_for_update().get(pk=editorial_list.pk)
        current = (
            ListReaction.objects.select_for_update()
            .filter(member=member, editorial_list=editorial_list)
            .first()
        )
        if current is not None and current.reaction == reaction:
            return current
        if current is not None:
            _count_reaction(editorial_list.pk, current.reaction, -1)
            if not reaction:
                current.delete()
                return None
            current.reaction = reaction
            current.save(update_fields=["reaction", "created"])
        elif not reaction:
            return None
        else:
            current = ListReaction.objects.create(
                member=member, editorial_list=editorial_list, reaction=reaction
            )
        _count_reaction(editorial_list.pk, reaction, +1)
        return current


def reaction_remove(answer):
    """Staff removal of a list reaction (admin), whoever gave it."""
    with transaction.atomic():
        ListReactionCounts.objects.select_for_update().filter(pk=answer.editorial_list_id).first()
        locked = ListReaction.objects.select_for_update().filter(pk=answer.pk).first()
        if locked is not None:
            _count_reaction(locked.editorial_list_id, locked.reaction, -1)
            locked.delete()


def member_forget(*, member) -> int:
    """Take a departing member's ratings and list reactions out of every stored figure.

    Runs for every account deletion, wherever it starts (the member's own page, admin,
    a shell), through the pre_delete receiver in VotesConfig; it removes the rows it
    counts out, so running twice changes nothing. Returns the number of ratings removed.
    """
    with transaction.atomic():
        # The member's ratings first, then each work's figures in work order: the order
        # every rating write takes its locks in, so nothing waits in a circle.
        ratings = list(Rating.objects.select_for_update().filter(member=member).order_by("work_id"))
        for rating in ratings:
            _withdraw_locked(rating)
        for mark in member.tear_marks.order_by("work_id", "bucket"):
            _count_tear(mark.work_id, mark.bucket, -1)
            mark.delete()
        for answer in member.list_reactions.order_by("editorial_list_id"):
            ListReactionCounts.objects.select_for_update().filter(
                pk=answer.editorial_list_id
            ).first()
            _count_reaction(answer.editorial_list_id, answer.reaction, -1)
            answer.delete()
    return len(ratings)


def member_delete(*, member) -> int:
    """Delete a member's account; returns the number of ratings it had.

    The figures are kept exact by member_forget, which the deletion itself triggers.
    """
    check_member(member)
    with transaction.atomic():
        ratings = Rating.objects.filter(member=member).count()
        member.delete()
    return ratings


def watchlist_toggle(*, member, work, add=None) -> bool:
    """Put `work` on `member`'s watchlist or take it off; returns True if it is on now.

    `add` True/False sets the state (a resubmitted form is harmless); None flips it.
    """
    check_member(member)
    check_published_work(work)
    with transaction.atomic():
        present = WatchlistEntry.objects.filter(member=member, work=work).exists()
        want = (not present) if add is None else bool(add)
        if want and not present:
            try:
                with transaction.atomic():
                    WatchlistEntry.objects.create(member=member, work=work)
            except IntegrityError:
                pass  # the same request raced itself: it is on the list either way
        elif present and not want:
            WatchlistEntry.objects.filter(member=member, work=work).delete()
    return want


# --- "I cried here" marks ---------------------------------------------------------------


def tear_bucket_of(seconds: int) -> int:
    width = settings.KCRY_TEAR_BUCKET_SECONDS
    return seconds // width * width


def tear_limit(work) -> int:
    """The last second a mark may be at: the work's runtime, else KCRY_TEAR_MAX_SECONDS."""
    return work.runtime_seconds if work.runtime_seconds else settings.KCRY_TEAR_MAX_SECONDS


def _count_tear(work_id, start, delta):
    """Change one bucket's stored count: the row is made once, then moved with F()."""
    bucket, _created = TearBucket.objects.get_or_create(work_id=work_id, start=start)
    TearBucket.objects.filter(pk=bucket.pk).update(count=F("count") + delta)


def tear_mark_add(*, member, work, at_seconds) -> tuple[TearMark, bool]:
    """Mark “I cried here” at `at_seconds`; returns (mark, created).

    A member has one mark per bucket: marking again in the same bucket returns the
    mark already there (created=False) and counts nothing.
    """
    check_member(member)
    check_published_work(work)
    limit = tear_limit(work)
    if (
        isinstance(at_seconds, bool)
        or not isinstance(at_seconds, int)
        or not 0 <= at_seconds <= limit
    ):
        raise ValidationError(
            _("A tear mark must be between 0:00 and %(limit)s.") % {"limit": format_moment(limit)},
            code="tear_range",
        )
    bucket = tear_bucket_of(at_seconds)
    with transaction.atomic():
        try:
            with transaction.atomic():
                mark = TearMark.objects.create(
                    member=member, work=work, bucket=bucket, at_seconds=at_seconds
                )
        except IntegrityError:
            # Already marked here (perhaps by the same tap, twice at once).
            return TearMark.objects.get(member=member, work=work, bucket=bucket), False
        _count_tear(work.pk, bucket, +1)
    return mark, True


def tear_mark_remove(*, member, work, bucket) -> bool:
    """Take back the member's mark in `bucket`; returns whether there was one."""
    check_member(member)
    with transaction.atomic():
        deleted, _kinds = TearMark.objects.filter(member=member, work=work, bucket=bucket).delete()
        if deleted:
            _count_tear(work.pk, bucket, -1)
    return bool(deleted)
