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

from catalog.models import EditorialList, Work
from catalog.services import check_member, check_published_work
from catalog.text import format_moment
from kcry_site.web import versions

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
from .stats import current_baseline, refresh_scores_if_stale, refreshes_in_requests, rising_since


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


def _figure_values(baseline, *, taken=None, added=None):
    """The UPDATE's assignments for taking rating value `taken` out of a work's figures
    and/or putting `added` in (either may be None).

    F() keeps each change relative to the stored value, and SQL computes the new score
    from the row's old columns plus the change (SET expressions all read the row as it
    was), so rows with different figures can share one statement.
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
    return dict(
        n=F("n") + n_delta,
        total=F("total") + total_delta,
        score=score_expression(
            mean=baseline.mean, weight=baseline.weight, n_delta=n_delta, total_delta=total_delta
        ),
        **{column: F(column) + delta for column, delta in changes.items() if delta},
    )


def _refresh_baseline_later(baseline):
    if baseline.stale and refreshes_in_requests():
        transaction.on_commit(refresh_scores_if_stale)


def _change_figures(work_id, *, taken=None, added=None):
    """Take rating value `taken` out of the work's figures and/or put `added` in; return
    the figures as this change left them (a WorkStats, not read again).

    One UPDATE … RETURNING changes the count, sum, histogram and score together and hands
    back the row. The UPDATE also locks the row until the transaction ends, which
    serialises the per-day buckets below. A work without a figures row gets one first.
    """
    baseline = current_baseline()
    values = _figure_values(baseline, taken=taken, added=added)
    row = _update_returning(WorkStats.objects.filter(pk=work_id), STATS_COLUMNS, **values)
    if row is None:
        WorkStats.objects.get_or_create(work_id=work_id)
        row = _update_returning(WorkStats.objects.filter(pk=work_id), STATS_COLUMNS, **values)
    _refresh_baseline_later(baseline)
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


def rating_set(*, member, work, tears, savepoint=True) -> Rating:
    """Give or change `member`'s tear rating of `work` (0-5 tissues).

    Afterwards `work.tear_stats` holds the work's figures as this write left them, and
    the rating's `replaced` the tears it replaced (None for a first rating), so the
    caller can show them without reading anything again.

    Locks are taken in one order everywhere (the member's rating, then the work's
    figures row, then its day buckets), so concurrent writes queue without deadlocks.
    `savepoint=False` when the caller's own transaction wraps this one and ends with it
    (two statements fewer): an error here then fails that transaction as a whole.
    """
    check_member(member)
    check_published_work(work)
    _check_tears(tears)
    with transaction.atomic(savepoint=savepoint):
        versions.bump(versions.SITE, versions.work(work.slug))
        now = timezone.now()
        written = _upsert_rating(member, work, tears, now) or _set_rating(member, work, tears, now)
        rating, old_tears, old_rated_at = written
        rating.replaced = old_tears
        if old_tears is None:
            work.tear_stats = _change_figures(work.pk, added=tears)
            _change_days(work.pk, added=(tears, now))
        elif old_tears != tears:
            work.tear_stats = _change_figures(work.pk, taken=old_tears, added=tears)
            _change_days(work.pk, taken=(old_tears, old_rated_at), added=(tears, now))
        else:
            work.tear_stats = WorkStats.objects.get(pk=work.pk)
        return rating


# How many ids go into one `IN (…)` of a bulk write (SQLite allows 999 parameters in
# old builds).
IDS_PER_QUERY = 500


def _chunks(ids, size=IDS_PER_QUERY):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _update_figures(work_ids, baseline, *, taken=None, added=None):
    """One UPDATE applying the same change to the (locked) figures rows of `work_ids`."""
    WorkStats.objects.filter(pk__in=work_ids).update(
        **_figure_values(baseline, taken=taken, added=added)
    )


def _change_days_many(changes):
    """`_change_days` for many works at once: `changes` is [(work_id, taken, added)].

    Runs with every named work's figures row locked. Buckets that exist are moved with
    one F() UPDATE per (day, change) group; missing ones are created in one INSERT
    (after the works' buckets older than the window are dropped, as _change_days does).
    """
    deltas = {}  # (work_id, day) -> [n, total]
    for work_id, taken, added in changes:
        for rating, sign in ((taken, -1), (added, +1)):
            if rating is None:
                continue
            tears, when = rating
            delta = deltas.setdefault((work_id, timezone.localdate(when)), [0, 0])
            delta[0] += sign
            delta[1] += sign * tears
    deltas = {key: delta for key, delta in deltas.items() if delta[0] or delta[1]}
    if not deltas:
        return
    days = {day for _work, day in deltas}
    existing = set()
    for chunk in _chunks({work_id for work_id, _day in deltas}):
        existing.update(
            WorkDay.objects.filter(stats_id__in=chunk, day__in=days).values_list("stats_id", "day")
        )
    groups = {}  # (day, n, total) -> [work ids]
    missing = []
    for (work_id, day), (n, total) in deltas.items():
        if (work_id, day) in existing:
            groups.setdefault((day, n, total), []).append(work_id)
        elif n > 0:
            missing.append(WorkDay(stats_id=work_id, day=day, n=n, total=total))
    for (day, n, total), work_ids in groups.items():
        for chunk in _chunks(work_ids):
            WorkDay.objects.filter(stats_id__in=chunk, day=day).update(
                n=F("n") + n, total=F("total") + total
            )
    if missing:
        since = rising_since()
        for chunk in _chunks({bucket.stats_id for bucket in missing}):
            WorkDay.objects.filter(stats_id__in=chunk, day__lt=since).delete()
        WorkDay.objects.bulk_create(missing, batch_size=IDS_PER_QUERY)


def ratings_set_many(*, member, tears_by_work) -> tuple[int, int, int]:
    """Give or change many of `member`'s ratings at once: {work id: tears}.

    All or nothing, in one short transaction of set-based statements (an import of
    thousands of ratings holds the write lock for a fraction of a second): the works'
    figures rows are locked in pk order, new ratings inserted in bulk, changed ones
    updated in one statement per new value, and the figures of all works that change
    the same way (same old and new value) moved by one F() update. Raises
    ValidationError when a work is not (or no longer) published. Returns
    (added, changed, unchanged).
    """
    check_member(member)
    for tears in tears_by_work.values():
        _check_tears(tears)
    work_ids = sorted(tears_by_work)
    if not work_ids:
        return 0, 0, 0
    with transaction.atomic():
        have_figures = set()
        for chunk in _chunks(work_ids):
            have_figures.update(WorkStats.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        WorkStats.objects.bulk_create(
            [WorkStats(work_id=work_id) for work_id in work_ids if work_id not in have_figures],
            ignore_conflicts=True,  # made meanwhile by a first rating: fine
            batch_size=IDS_PER_QUERY,
        )
        published = set()
        before = {}  # work id -> (rating pk, tears, rated_at)
        for chunk in _chunks(work_ids):
            # The member's ratings, then the figures rows in work order: the order every
            # rating write takes its locks in, so nothing waits in a circle.
            for pk, work_id, tears, rated_at in (
                Rating.objects.select_for_update()
                .filter(member=member, work_id__in=chunk)
                .order_by("work_id")
                .values_list("pk", "work_id", "tears", "rated_at")
            ):
                before[work_id] = (pk, tears, rated_at)
            list(
                WorkStats.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            published.update(
                Work.objects.filter(pk__in=chunk, is_published=True).values_list("pk", flat=True)
            )
        if len(published) != len(work_ids):
            raise ValidationError(_("There is no such work."), code="unknown_work")
        now = timezone.now()
        new = []
        changed = {}  # new tears -> [rating pks]
        figure_groups = {}  # (taken, added) -> [work ids]
        day_changes = []
        unchanged = 0
        for work_id in work_ids:
            tears = tears_by_work[work_id]
            old = before.get(work_id)
            if old is None:
                new.append(
                    Rating(member=member, work_id=work_id, tears=tears, created=now, rated_at=now)
                )
                figure_groups.setdefault((None, tears), []).append(work_id)
                day_changes.append((work_id, None, (tears, now)))
            elif old[1] == tears:
                unchanged += 1
            else:
                changed.setdefault(tears, []).append(old[0])
                figure_groups.setdefault((old[1], tears), []).append(work_id)
                day_changes.append((work_id, (old[1], old[2]), (tears, now)))
        Rating.objects.bulk_create(new, batch_size=IDS_PER_QUERY)
        for tears, pks in changed.items():
            for chunk in _chunks(pks):
                Rating.objects.filter(pk__in=chunk).update(tears=tears, rated_at=now)
        baseline = current_baseline()
        for (taken, added), ids in figure_groups.items():
            for chunk in _chunks(ids):
                _update_figures(chunk, baseline, taken=taken, added=added)
        _change_days_many(day_changes)
        _refresh_baseline_later(baseline)
    return len(new), sum(len(pks) for pks in changed.values()), unchanged


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
        versions.bump(versions.SITE, versions.work(work.slug))
        rating = Rating.objects.select_for_update().filter(member=member, work=work).first()
        if rating is None:
            return False
        work.tear_stats = _withdraw_locked(rating)
        return True


def rating_remove(rating):
    """Staff removal of a rating (admin). Unlike rating_withdraw it does not ask the
    member to be active: moderators remove a banned member's ratings too."""
    with transaction.atomic():
        versions.bump(versions.SITE)
        locked = Rating.objects.select_for_update().filter(pk=rating.pk).first()
        if locked is not None:
            _withdraw_locked(locked)


def _count_reaction(list_id, reaction, sign):
    ListReactionCounts.objects.filter(pk=list_id).update(**{reaction: F(reaction) + sign})


def reaction_set(*, member, editorial_list, reaction) -> ListReaction | None:
    """Set `member`'s reaction to a list; an empty reaction, or the member's current
    reaction given again, removes it (returns None): a reaction button toggles."""
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
        versions.bump(versions.PEOPLE, versions.editorial_list(editorial_list.slug))
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
            reaction = ""  # the same reaction again takes it back
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
        versions.bump(versions.SITE)
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
        versions.bump(versions.SITE)
        # The member's ratings first, then each work's figures in work order: the order
        # every rating write takes its locks in, so nothing waits in a circle.
        ratings = list(Rating.objects.select_for_update().filter(member=member).order_by("work_id"))
        for rating in ratings:
            _withdraw_locked(rating)
        marks = list(member.tear_marks.select_related("work").order_by("work_id", "bucket"))
        # Their works' tear maps are kept under the works' versions.
        versions.bump(*(versions.work(mark.work.slug) for mark in marks))
        for mark in marks:
            _count_tear(mark.work_id, mark.bucket, -1)
            mark.delete()
        for answer in member.list_reactions.order_by("editorial_list_id"):
            ListReactionCounts.objects.select_for_update().filter(
                pk=answer.editorial_list_id
            ).first()
            _count_reaction(answer.editorial_list_id, answer.reaction, -1)
            answer.delete()
    return len(ratings)


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
    limit = work.longest_moment
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
        versions.bump(versions.PEOPLE, versions.work(work.slug))
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
        versions.bump(versions.PEOPLE, versions.work(work.slug))
        deleted, _kinds = TearMark.objects.filter(member=member, work=work, bucket=bucket).delete()
        if deleted:
            _count_tear(work.pk, bucket, -1)
    return bool(deleted)
