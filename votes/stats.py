"""The ranking baseline (C and m) and rebuilding stored figures from the ratings.

How scores stay correct:
- A write recomputes its own work's `score` in the same transaction, in SQL, from the
  row's fresh `n` and `total` and the baseline's C and m (`votes.services`).
- C (the mean of all ratings) moves slowly. It is stored once, in `RankingBaseline`, and
  every score is computed with that same C, so comparing two scores is always exact for
  that C. `refresh_scores()` recomputes C from the stored figures (one row per work, not
  the ratings) and rewrites every score in one UPDATE. With a task broker configured,
  beat runs it every KCRY_RANKING_BASELINE_MAX_AGE seconds (votes.tasks); without one
  (tasks run eagerly in-process), it runs after a write's commit when the baseline is
  older than that or m changed. `manage.py recompute_rating_stats` runs it too.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from kcry_site.web import versions

from .models import (
    ListReaction,
    ListReactionCounts,
    RankingBaseline,
    Rating,
    Reaction,
    WorkDay,
    WorkStats,
    score_expression,
)

BASELINE_PK = 1
REFRESH_LOCK = "votes:refreshing-scores"


@dataclass(frozen=True)
class Baseline:
    mean: float
    weight: float
    stale: bool


def current_baseline() -> Baseline:
    row = RankingBaseline.objects.filter(pk=BASELINE_PK).first()
    m = float(settings.KCRY_RANKING_MIN_RATINGS)
    if row is None:
        return Baseline(mean=float(settings.KCRY_RANKING_DEFAULT_MEAN), weight=m, stale=True)
    max_age = timedelta(seconds=settings.KCRY_RANKING_BASELINE_MAX_AGE)
    stale = row.weight != m or timezone.now() - row.computed_at > max_age
    return Baseline(mean=row.mean, weight=row.weight, stale=stale)


def global_mean():
    """(C, number of ratings) from the stored figures; the default C when nothing is rated."""
    figures = WorkStats.objects.aggregate(n=Sum("n"), total=Sum("total"))
    count = figures["n"] or 0
    if not count:
        return float(settings.KCRY_RANKING_DEFAULT_MEAN), 0
    return figures["total"] / count, count


@transaction.atomic
def refresh_scores() -> RankingBaseline:
    """Store the current C and m and rewrite every work's score with them."""
    mean, count = global_mean()
    weight = float(settings.KCRY_RANKING_MIN_RATINGS)
    baseline, _ = RankingBaseline.objects.update_or_create(
        pk=BASELINE_PK,
        defaults={"mean": mean, "weight": weight, "ratings": count, "computed_at": timezone.now()},
    )
    WorkStats.objects.update(score=score_expression(mean=mean, weight=weight))
    # Every score moved (and a recount's fixed figures with them): kept pages showing
    # them are stale.
    versions.bump(versions.SITE)
    return baseline


def refreshes_in_requests():
    """Whether a request refreshes a stale baseline itself: only when no broker is
    configured; with one, the periodic task does it (CELERY_BEAT_SCHEDULE)."""
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True))


def refresh_scores_if_stale():
    """Called after a rating write commits; one process at a time does the refresh."""
    if not refreshes_in_requests() or not current_baseline().stale:
        return
    if not cache.add(REFRESH_LOCK, True, timeout=60):
        return
    try:
        refresh_scores()
    finally:
        cache.delete(REFRESH_LOCK)


@dataclass
class Drift:
    work_slug: str
    stored: dict
    actual: dict

    def __str__(self):
        changes = ", ".join(
            f"{key} {self.stored[key]}→{self.actual[key]}"
            for key in self.actual
            if self.stored[key] != self.actual[key]
        )
        return f"{self.work_slug}: {changes}"


FIGURES = ["n", "total", "c0", "c1", "c2", "c3", "c4", "c5"]


def _figures(ratings):
    row = ratings.aggregate(
        n=Count("pk"),
        total=Sum("tears"),
        **{f"c{value}": Count("pk", filter=Q(tears=value)) for value in range(6)},
    )
    return {key: row[key] or 0 for key in FIGURES}


def rising_since():
    """The first day of the rising window (today included)."""
    return timezone.localdate() - timedelta(days=settings.KCRY_RISING_DAYS - 1)


def recompute_all(*, fix=True, progress=None) -> list[Drift]:
    """Compare every work's stored figures with its ratings; fix and report the drift.

    Each work is checked inside its own transaction with its figures row locked, so a
    rating written meanwhile is either counted here or applied by its own write after,
    never both. With `fix`, the work's per-day buckets of the rising window are rebuilt
    too (older ones dropped) and, at the end, every score is refreshed with a fresh C.
    """
    drifts = []
    rated = set(Rating.objects.values_list("work_id", flat=True).distinct())
    work_ids = sorted(rated | set(WorkStats.objects.values_list("pk", flat=True)))
    since = rising_since()
    zone = timezone.get_current_timezone()
    for index, work_id in enumerate(work_ids, start=1):
        with transaction.atomic():
            WorkStats.objects.get_or_create(work_id=work_id)
            stats = WorkStats.objects.select_for_update().select_related("work").get(pk=work_id)
            ratings = Rating.objects.filter(work_id=work_id)
            actual = _figures(ratings)
            stored = {key: getattr(stats, key) for key in FIGURES}
            if stored != actual:
                drifts.append(Drift(stats.work.slug, stored, actual))
            if fix:
                if stored != actual:
                    WorkStats.objects.filter(pk=work_id).update(**actual)
                WorkDay.objects.filter(stats_id=work_id).delete()
                days = (
                    ratings.annotate(day=TruncDate("rated_at", tzinfo=zone))
                    .filter(day__gte=since)
                    .values("day")
                    .annotate(n=Count("pk"), total=Sum("tears"))
                    .order_by()
                )
                WorkDay.objects.bulk_create(
                    WorkDay(stats_id=work_id, day=row["day"], n=row["n"], total=row["total"])
                    for row in days
                )
        if progress:
            progress(index, len(work_ids))
    drifts.extend(recompute_reaction_counts(fix=fix))
    if fix:
        refresh_scores()
    return drifts


def recompute_reaction_counts(*, fix=True) -> list[Drift]:
    """The same check for the stored reaction counts of every list."""
    drifts = []
    listed = set(ListReaction.objects.values_list("editorial_list_id", flat=True).distinct())
    list_ids = sorted(listed | set(ListReactionCounts.objects.values_list("pk", flat=True)))
    for list_id in list_ids:
        with transaction.atomic():
            ListReactionCounts.objects.get_or_create(editorial_list_id=list_id)
            stored_row = (
                ListReactionCounts.objects.select_for_update()
                .select_related("editorial_list")
                .get(pk=list_id)
            )
            found = dict(
                ListReaction.objects.filter(editorial_list_id=list_id)
                .values_list("reaction")
                .annotate(count=Count("pk"))
                .order_by()
            )
            actual = {choice.value: found.get(choice.value, 0) for choice in Reaction}
            stored = {choice.value: getattr(stored_row, choice.value) for choice in Reaction}
            if stored != actual:
                drifts.append(Drift(f"list {stored_row.editorial_list.slug}", stored, actual))
                if fix:
                    ListReactionCounts.objects.filter(pk=list_id).update(**actual)
    return drifts
